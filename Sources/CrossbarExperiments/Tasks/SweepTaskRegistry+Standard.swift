import CrossbarSweep

extension SweepTaskRegistry {
    /// The tasks of the `crossbar sweep` command. The simulator's tasks (`program`, `train`,
    /// `toy`) are registered here next to the built-in `synthetic` task.
    public static var standard: SweepTaskRegistry {
        SweepTaskRegistry([SyntheticTask(), ProgramSweepTask(), TrainSweepTask(), ToySweepTask()])
    }
}
