/// Compile-time switches of the dense-row loops (the loops are specialised per combination,
/// so the switches cost nothing inside them).
protocol StaticFlag { static var on: Bool { get } }
enum FlagOn: StaticFlag { static var on: Bool { true } }
enum FlagOff: StaticFlag { static var on: Bool { false } }
