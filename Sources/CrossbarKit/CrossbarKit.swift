// CrossbarKit: the whole toolkit under one import. Each layer is a module of its own
// (docs/architecture.md); `import CrossbarKit` brings them all.
@_exported import CrossbarFoundation
@_exported import CrossbarData
@_exported import CrossbarPlot
@_exported import CrossbarDevices
@_exported import CrossbarTile
@_exported import CrossbarAlgorithms
@_exported import CrossbarNetwork
@_exported import CrossbarTraining
@_exported import CrossbarSweep
@_exported import CrossbarExperiments

/// The toolkit version recorded in every output file (`CrossbarVersion.current`).
public let version = CrossbarVersion.current
