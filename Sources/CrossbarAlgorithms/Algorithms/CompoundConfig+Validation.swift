import CrossbarFoundation

extension CompoundConfig {
    /// Refuses invalid values and invalid combinations (docs/algorithms.md restrictions), naming the
    /// field, the value and what is allowed.
    public func validate() throws {
        let devKey = Self.devicesKey(kind)
        for (k, d) in unitCellDevices.enumerated() {
            guard d.model.isPulsed else {
                throw CrossbarError.invalidParameter(field: kind == .mixedPrecision ? "\(devKey).type" : "\(devKey)[\(k)].type",
                                                     value: d.model.rawValue, allowed: "a pulsed device model")
            }
        }
        switch kind {
        case .transfer, .buffered:
            if unitCellDevices.count < 2 {
                throw CrossbarError.invalidParameter(field: devKey, value: "\(unitCellDevices.count) devices", allowed: "at least 2")
            }
        case .chopped, .dynamic:
            if unitCellDevices.count != 2 {
                throw CrossbarError.invalidParameter(field: devKey, value: "\(unitCellDevices.count) devices", allowed: "exactly 2")
            }
            if nReadsPerTransfer != 1 {
                throw CrossbarError.invalidParameter(field: "n_reads_per_transfer", value: "\(nReadsPerTransfer)", allowed: "1 for \(kind.rawValue)")
            }
            if randomSelection {
                throw CrossbarError.invalidParameter(field: "random_selection", value: "true", allowed: "false for \(kind.rawValue)")
            }
            if withResetProb != 0 {
                throw CrossbarError.invalidParameter(field: "with_reset_prob", value: "\(withResetProb)", allowed: "0 for \(kind.rawValue)")
            }
            try Self.validateChopProbability(inChopProb, needsChopper: kind == .dynamic)
            try Check.probability(outChopProb, "out_chop_prob")
            try Check.positive(bufferGranularity, "buffer_granularity")
            try Check.nonNegative(autoGranularity, "auto_granularity")
            if !(autoMomentum >= 0 && autoMomentum < 1) {
                throw CrossbarError.invalidParameter(field: "auto_momentum", value: "\(autoMomentum)", allowed: "[0, 1)")
            }
            if kind == .dynamic {
                if !(autoMomentum > 0 && autoMomentum < 1) {
                    throw CrossbarError.invalidParameter(field: "auto_momentum", value: "\(autoMomentum)", allowed: "(0, 1) for AGAD")
                }
                try Check.nonNegative(tailWeightening, "tail_weightening")
                try Check.nonNegative(bufferCap, "buffer_cap")
            }
        case .mixedPrecision:
            if unitCellDevices.count != 1 {
                throw CrossbarError.invalidParameter(field: devKey, value: "\(unitCellDevices.count) devices", allowed: "exactly 1")
            }
            try Check.atLeast(nXBins, 0, "n_x_bins")
            try Check.atLeast(nDBins, 0, "n_d_bins")
            if (nXBins > 0) != (nDBins > 0) {
                // docs/algorithms.md §7: the reference simulator writes d into one slot when only one
                // side is quantised; we refuse the configuration instead.
                throw CrossbarError.invalidParameter(field: nXBins > 0 ? "n_d_bins" : "n_x_bins", value: "0",
                                                     allowed: "> 0 when the other of n_x_bins/n_d_bins is > 0 (both or neither)")
            }
            try Check.finite(granularity, "granularity")
            try Check.positive(transferLR, "transfer_lr")
            if transferEvery < 1 || transferEvery != transferEvery.rounded() {
                throw CrossbarError.invalidParameter(field: "transfer_every", value: "\(transferEvery)", allowed: "an integer ≥ 1 (mini-batches)")
            }
            return
        }
        try Check.finite(gamma, "gamma")
        if !gammaVec.isEmpty && gammaVec.count != unitCellDevices.count {
            throw CrossbarError.invalidParameter(field: "gamma_vec", value: "\(gammaVec.count) values",
                                                 allowed: "one per device (\(unitCellDevices.count)) or empty")
        }
        if kind != .chopped && kind != .dynamic {
            try Check.nonNegative(transferEvery, "transfer_every")
        } else {
            try Check.finite(transferEvery, "transfer_every")
        }
        if !transferEveryVec.isEmpty && transferEveryVec.count != unitCellDevices.count {
            throw CrossbarError.invalidParameter(field: "transfer_every_vec", value: "\(transferEveryVec.count) values",
                                                 allowed: "one per device (\(unitCellDevices.count)) or empty")
        }
        if !transferLRVec.isEmpty && transferLRVec.count != unitCellDevices.count - 1 && transferLRVec.count != unitCellDevices.count {
            throw CrossbarError.invalidParameter(field: "transfer_lr_vec", value: "\(transferLRVec.count) values",
                                                 allowed: "one per device or per transfer, or empty")
        }
        try Check.atLeast(nReadsPerTransfer, 1, "n_reads_per_transfer")
        try Check.probability(withResetProb, "with_reset_prob")
        try Check.finite(fastLR, "fast_lr")
        try Check.finite(transferLR, "transfer_lr")
        try Check.positive(step, "step")
        try Check.probability(momentum, "momentum")
        if kind == .buffered { try Check.positive(thresScale, "thres_scale") }
        if kind == .chopped || kind == .dynamic || kind == .buffered {
            if transferUpdate.pulseType == .none || transferUpdate.pulseType == .noneWithDevice {
                throw CrossbarError.invalidParameter(field: "transfer_update.pulse_type", value: transferUpdate.pulseType.rawValue,
                                                     allowed: "a pulsed type (the transfer writes pulses)")
            }
        }
    }
}
