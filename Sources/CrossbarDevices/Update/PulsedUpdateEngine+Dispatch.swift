import CPulseKernels
import CrossbarFoundation

/// Applying one sample's pulses: the device kernel is chosen by the array's model, the rows are
/// cut into the engine's fixed chunks, and the chunks run one after the other or in parallel
/// (``ParallelExecutor``) when the sample's work reaches ``PulsedUpdateEngine/parallelThreshold``.
/// Each chunk draws from its own noise stream and writes its pulse counts to its own slot, so
/// the result does not depend on the thread count.
extension PulsedUpdateEngine {
    /// The chunk context of the sample described by `plan`.
    func makeContext(_ plan: SamplePulsePlan) -> PulseChunkContext {
        PulseChunkContext(cols: cols, rowMasks: rowMask.pointer, rowNeg: rowNeg.pointer, rowValue: rowValue.pointer,
                          masks: activeMask.pointer, idx: activeCols.pointer, neg: activeNeg.pointer, values: activeValue.pointer,
                          slotStart: slotStart.pointer, slotCols: slotCols.pointer, slotNeg: slotNeg.pointer,
                          activeCount: plan.activeColumns, useSlots: plan.singleSlotRows > 0, rate: plan.columnFiringRate,
                          perDevice: perDevicePair, denseMaskLow: denseMaskLow.pointer,
                          denseMaskHigh: plan.usesHighMaskWord ? denseMaskHigh.pointer : nil, denseSign: denseSign.pointer,
                          uniformSign: plan.uniformColumnSign,
                          rowCounts: rowCounts.pointer, rowNoise: rowNoise.pointer,
                          rowFallback: rowFallback.pointer,
                          rowStride: rowStride, noiseScratch: noiseScratch.pointer, noiseKey: noiseKey,
                          rowsPerChunk: rowsPerChunk, rows: rows, up: chunkUp.pointer, down: chunkDown.pointer)
    }

    /// Applies the pulses of `plan` with the kernel of the array's device model (single-word
    /// updates of LinearStep-family arrays go to the C row kernels).
    func dispatch(sample: UInt64, plan: SamplePulsePlan) {
        switch array.kernelKind {
        case .linear:
            if case .singleWord = plan.mode {
                runLinearSingleWord(LinearStepKernel(array), sample: sample, plan: plan)
            } else {
                run(LinearStepKernel(array), sample: sample, plan: plan)
            }
        case .pow: run(PowStepKernel(array), sample: sample, plan: plan)
        case .exp: run(ExpStepKernel(array), sample: sample, plan: plan)
        case .piecewise: run(PiecewiseStepKernel(array), sample: sample, plan: plan)
        }
    }

    /// The generic path: every chunk through the Swift loop of the plan's mode with kernel `kern`.
    func run<K: PulseKernel>(_ kern: K, sample: UInt64, plan: SamplePulsePlan) {
        let parallel = plan.work >= Self.parallelThreshold
        let ctx = makeContext(plan)
        let mode = plan.mode
        ParallelExecutor.forEach(chunks: chunkCount, parallel: parallel) { c in
            let (r0, r1) = ctx.rowRange(chunk: c)
            var g = ctx.noiseSource(sample: sample, chunk: c)
            var nUp: UInt64 = 0, nDown: UInt64 = 0
            switch mode {
            case .singleWord: Self.applySingleWord(kern, ctx, c, r0, r1, &g, &nUp, &nDown)
            case let .multiWord(words): Self.applyMultiWord(kern, ctx, r0, r1, words, &g, &nUp, &nDown)
            case .counts: Self.applyCounts(kern, ctx, r0, r1, &g, &nUp, &nDown)
            }
            ctx.up[c] = nUp
            ctx.down[c] = nDown
        }
        finishSample(ctx)
    }

    /// A single-word update of a LinearStep-family array: every row of a chunk in the C kernels
    /// (dense rows by the SIMD pass, rows firing in one slot by their slot list, the rest column
    /// by column), with the same chunks and noise streams as ``run(_:sample:plan:)``.
    func runLinearSingleWord(_ kern: LinearStepKernel, sample: UInt64, plan: SamplePulsePlan) {
        let parallel = plan.work >= Self.parallelThreshold
        let ctx = makeContext(plan)
        let device = kern.device
        ParallelExecutor.forEach(chunks: chunkCount, parallel: parallel) { c in
            let (r0, r1) = ctx.rowRange(chunk: c)
            var g = ctx.noiseSource(sample: sample, chunk: c)
            var rows = ctx.singleWordRows(chunk: c)
            var dev = device
            var nUp: UInt64 = 0, nDown: UInt64 = 0
            cpk_linear_single_word_rows(&dev, &rows, Int64(r0), Int64(r1), &g.state, &nUp, &nDown)
            ctx.up[c] = nUp
            ctx.down[c] = nDown
        }
        finishSample(ctx)
    }

    /// Adds the chunks' pulse counts to the totals (in chunk order) and flags the write noise of
    /// the pulsed devices for redrawing.
    @inline(__always)
    func finishSample(_ ctx: PulseChunkContext) {
        for c in 0..<chunkCount {
            counters.up &+= ctx.up[c]
            counters.down &+= ctx.down[c]
        }
        if array.dirty != nil { array.hasPendingWriteNoise = true }
    }
}
