import CrossbarFoundation
import CrossbarDevices
import CrossbarTile

/// A complete configuration of an analog tile (the reference simulator's "RPU config"):
/// forward and backward IO, the update (pulse) parameters, the device or algorithm compound,
/// and the mapping of a layer's weights onto the tile. JSON keys: `forward`, `backward`,
/// `update`, `device`, `mapping`; every key is optional except `device`, unknown keys are
/// errors, and the encoded form is the full resolved configuration.
public struct TileConfiguration: ConfigRecord {
    public var forward = IOParameters()
    public var backward = IOParameters()
    public var update = UpdateParameters()
    public var device: DeviceSpec = .single(DeviceConfig(model: .constantStep))
    public var mapping = AnalogLayerOptions()

    public init() {}

    public init(forward: IOParameters = IOParameters(), backward: IOParameters = IOParameters(),
                update: UpdateParameters = UpdateParameters(), device: DeviceSpec,
                mapping: AnalogLayerOptions = AnalogLayerOptions()) {
        self.forward = forward
        self.backward = backward
        self.update = update
        self.device = device
        self.mapping = mapping
    }

    public static var fields: [ConfigField<TileConfiguration>] {
        [
            .init("forward", \.forward),
            .init("backward", \.backward),
            .init("update", \.update),
            .init("device", \.device),
            .init("mapping", \.mapping),
        ]
    }

    /// The floating-point reference (`fp`): exact MVMs and exact GEMM updates.
    public static var floatingPoint: TileConfiguration {
        TileConfiguration(forward: .perfect, backward: .perfect, device: .single(DeviceConfig(model: .floatingPoint)))
    }

    /// True for the floating-point reference configuration (no device physics at all).
    public var isFloatingPoint: Bool {
        if case let .single(d) = device, !d.model.isPulsed { return true }
        return false
    }
}
