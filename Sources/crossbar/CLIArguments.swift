import ArgumentParser
import CrossbarKit

// The library's enumerations as command-line values: a value that is not one of the cases is
// refused by the argument parser with a message that names the option, the value and the allowed
// values (exit status 64).
extension AlgorithmName: ExpressibleByArgument {}
extension ModelName: ExpressibleByArgument {}
extension LearningRateScheduleKind: ExpressibleByArgument {}
extension SweepConflictPolicy: ExpressibleByArgument {}
extension FitModel: ExpressibleByArgument {}
