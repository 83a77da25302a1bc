#!/usr/bin/env python3
"""Where the instructions of `crossbar train` go, per training sample, from one callgrind output.

Inclusive instruction counts of the training loop (Trainer.trainEpoch: no data loading, no model
construction, no evaluation) divided by the number of training samples, split into the pulsed
updates (all arrays; those made by the transfer separately), their device kernels, Gaussian noise
refills and bit lines, the transfer, the forward and backward passes and the rest. Needs
callgrind_annotate (valgrind) and a binary whose symbols callgrind can read (valgrind 3.19 cannot
read the DWARF 5 of Swift 6 binaries: profile a copy made with `strip --strip-debug`).
docs/performance.md, "Where the time goes", gives the commands.
usage: scripts/callgrind-profile.py CALLGRIND_OUT TRAINING_SAMPLES"""
import re, subprocess, sys
path, samples = sys.argv[1], int(sys.argv[2])
txt = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", "--tree=caller", path],
                     capture_output=True, text=True).stdout
incl = {}      # function -> inclusive
callers = {}   # function -> {caller: cost}
pending = []
for line in txt.splitlines():
    m = re.match(r"\s*([\d,]+) \([^)]*\)\s+<\s+\S*?:(\S+)", line)
    if m:
        pending.append((m.group(2), int(m.group(1).replace(",", ""))))
        continue
    m = re.match(r"\s*([\d,]+) \([^)]*\)\s+\*\s+\S*?:(\S+)", line)
    if m:
        fn = m.group(2); incl[fn] = incl.get(fn, 0) + int(m.group(1).replace(",", ""))
        d = callers.setdefault(fn, {})
        for c, v in pending: d[c] = d.get(c, 0) + v
        pending = []
        continue
    if not line.strip(): pending = []
def find(pat):
    return sum(v for k, v in incl.items() if re.search(pat, k))
def via(pat, callerpat):
    return sum(v for k, d in callers.items() if re.search(pat, k) for c, v in d.items() if re.search(callerpat, c))
total = find(r"^\$s16CrossbarTraining7TrainerC10trainEpoch")
upd = r"^\$s15CrossbarDevices18PulsedUpdateEngineC6update1x1d"
updAll = find(upd)
# pulsed updates made by the transfer (writes to C/W): callers whose name contains transfer
updTransfer = via(upd, r"(?i)transfer(Line|7from|Cycle)|C8transfer4from|12transferLine")
updA = updAll - updTransfer
transfer = find(r"12transferLine3eta|C8transfer4from3etaySi_SftF$") 
fwd = find(r"^\$s15CrossbarNetwork10SequentialC7forward_5batch8training")
bwd = find(r"^\$s15CrossbarNetwork10SequentialC8backward_5batch")
seqUpd = find(r"^\$s15CrossbarNetwork10SequentialC6update12learningRate")
kern = find(r"^single_word_rows_(avx2|base)") + find(r"^linear_apply_(avx2|base)$")
noise = find(r"^noise_refill_(avx2|base)$")
bits = find(r"buildColumnMasks") + find(r"buildRowMasks") + find(r"buildSlotLists") + find(r"buildColumnCounts") + find(r"buildRowCounts")
gemm = find(r"^cblas_sgemm$")
zig = find(r"^\$s18CrossbarFoundation8ZigguratO8addNoise")
print(f"file {path}, {samples} samples")
def row(name, v, share=True):
    print(f"{name:38s} {v/samples:14,.0f}  {100*v/total:6.1f} %")
row("training total (Trainer.trainEpoch)", total)
row("pulsed updates, all arrays", updAll)
row("  of which from the transfer", updTransfer)
row("A update (or W for SGD)", updA)
row("  device kernels (C, incl. noise)", kern)
row("  Gaussian noise refills", noise)
row("  bit lines / slot lists", bits)
row("transfer (incl. its C writes)", transfer)
row("forward (Sequential.forward)", fwd)
row("backward (Sequential.backward)", bwd)
row("  BLAS sgemm (fwd+bwd+other)", gemm)
row("  output-noise Ziggurat", zig)
row("Sequential.update (all)", seqUpd)
row("rest", total - updA - transfer - fwd - bwd)
