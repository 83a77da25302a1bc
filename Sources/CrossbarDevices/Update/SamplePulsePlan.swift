/// What one sample's bit lines (or deterministic counts) came out as, and so how its pulses are
/// applied: built by ``PulsedUpdateEngine``'s bit-line or count pass, read by the dispatch and
/// the row chunks. One value per sample, so nothing of a sample outlives it in the engine.
///
/// The vectors it describes (active columns, row masks, slot lists) live in the engine's
/// scratch buffers; the plan holds their sizes and the per-sample properties that select the
/// kernel paths.
struct SamplePulsePlan {
    /// How the coincidence counts n_ij are formed.
    enum Mode: Equatable {
        /// Stochastic pulse types with BL ≤ 64: one UInt64 bit line per column and row.
        case singleWord
        /// Stochastic pulse types with BL > 64: `words` = ⌈BL / 64⌉ UInt64 per bit line.
        case multiWord(Int)
        /// Deterministic pulse types (mean_count, deterministic_implicit): rounded products of counts.
        case counts
    }

    var mode: Mode
    /// Columns with at least one pulse slot (0…cols): the first `activeColumns` entries of the
    /// engine's active-column lists.
    var activeColumns = 0
    /// Rows with at least one pulse slot (0…rows).
    var activeRows = 0
    /// Active rows whose bit line fires in exactly one slot (0…activeRows; single-word mode
    /// only, else 0). When > 0 the engine has built the slot lists.
    var singleSlotRows = 0
    /// +1 (−1) when every active column has a positive (negative) pulse sign, 0 when mixed.
    /// Set by the bit-line pass, read by the single-word C kernel.
    var uniformColumnSign: Int32 = 0
    /// Fired (column, slot) pairs ÷ (cols · BL), in [0, 1]: the mean probability that a column
    /// fires in a given slot (single-word mode, else 0; chooses the dense row pass).
    var columnFiringRate: Float = 0
    /// BL > 32: the single-word kernel also reads the high 32 bits of the column masks.
    var usesHighMaskWord = false

    init(mode: Mode) { self.mode = mode }

    /// Device visits the row chunks make at most (active rows × active columns), which decides
    /// whether the chunks run in parallel (``PulsedUpdateEngine/parallelThreshold``).
    var work: Int { activeRows * activeColumns }
}
