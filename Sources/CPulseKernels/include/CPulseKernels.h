#ifndef CROSSBARKIT_CPULSEKERNELS_H
#define CROSSBARKIT_CPULSEKERNELS_H

// The hot loops of the stochastic pulsed update and of the device noise, in C so that they can
// be compiled twice — once for the x86-64 baseline, once with AVX2, FMA, BMI2 and POPCNT — and
// the variant the CPU supports chosen once at run time, as OpenBLAS chooses its kernels. Both
// variants compute every value with the same operations in the same order (no contraction of
// multiply-add pairs; fused multiply-adds exactly where written), so results are bit-identical
// whichever variant runs (docs/devices.md, "Kernel variants").
//
// Swift code reaches these functions only through CrossbarDevices and CrossbarFoundation
// (NoiseSource, LinearStepKernel, PulsedUpdateEngine).

#include <stdint.h>

// MARK: - Device noise

/// Eight xoshiro128++ generators in lanes (a, b, c, d: one state word per lane each), the
/// block buffer of N(0, 1) variates they fill, and the read position in it (64: empty).
typedef struct cpk_noise {
    uint32_t a[8];
    uint32_t b[8];
    uint32_t c[8];
    uint32_t d[8];
    /// At least 72 floats: 64 variates and 8 of padding, so that a vector of 8 can be loaded at
    /// any position.
    float *buffer;
    int64_t position;
} cpk_noise;

/// Refills `noise->buffer` with 64 N(0, 1) variates (Box–Muller on the lanes) and sets the
/// position to 0.
void cpk_noise_refill(cpk_noise *noise);

/// Writes ⌈count/64⌉·64 variates to `out`, 64 at a time straight from the lanes (the buffer
/// and its position are not touched).
void cpk_noise_fill(cpk_noise *noise, float *out, int64_t count);

/// One N(0, 1) variate from the buffer.
static inline float cpk_noise_gaussian(cpk_noise *noise) {
    if (noise->position == 64) cpk_noise_refill(noise);
    return noise->buffer[noise->position++];
}

// MARK: - LinearStep family (ConstantStep, LinearStep, SoftBounds, SoftBoundsReference)

/// The kernel's view of a device array: row-major buffers of the array's device parameters.
typedef struct cpk_linear_device {
    float *hidden;
    /// Write-noise flags (one byte per device; NULL without write noise).
    uint8_t *dirty;
    /// Reference conductances (NULL: none).
    const float *reference;
    const float *step_up;
    const float *step_down;
    const float *slope_up;
    const float *slope_down;
    const float *b_max;
    const float *b_min;
    /// Cycle-to-cycle noise σ (dw_min_std).
    float sigma;
    int32_t mult_noise;
    int32_t has_slopes;
} cpk_linear_device;

/// `count` ≥ 1 pulses in one direction to device k: one pulse by its equation, several by the
/// exact closed form when the clipping margin allows, else pulse by pulse.
void cpk_linear_apply(const cpk_linear_device *device, int64_t k, int64_t count, int32_t down, cpk_noise *noise);

/// What the rows of one sample's single-word update (BL ≤ 64) read.
typedef struct cpk_single_word_rows {
    int64_t cols;
    /// Per row: the d bit line (0: the row does not fire) and 1 when d_i < 0.
    const uint64_t *row_masks;
    const uint8_t *row_negative;
    /// The active columns: their bit lines, indices and sign flags, in ascending order.
    const uint64_t *masks;
    const int32_t *columns;
    const uint8_t *negative;
    int64_t active_count;
    /// Per slot s, the active columns firing in s (slot_start[s] ..< slot_start[s + 1]);
    /// used when `use_slots`.
    int32_t use_slots;
    const int32_t *slot_start;
    const int32_t *slot_columns;
    const uint8_t *slot_negative;
    /// Mean fraction of columns firing per slot, and the row densities above which rows take
    /// the dense pass (rows firing in one slot, other rows).
    float rate;
    float single_slot_dense_threshold;
    float dense_threshold;
    /// Dense pass: every column's bit line (low and high 32 bits; high NULL when BL ≤ 32), its
    /// sign (±1) and the sign all active columns share (0 when they differ).
    const uint32_t *column_masks_low;
    const uint32_t *column_masks_high;
    const int32_t *column_signs;
    int32_t uniform_sign;
    /// Scratch of the chunk: coincidence counts (cols), fallback columns (cols + 8), the noise
    /// of single-slot rows (cols rounded up to 64).
    int32_t *counts;
    int32_t *fallback_columns;
    float *row_noise;
    /// Per-device pulse counters (NULL when not counting).
    uint32_t *per_device_up;
    uint32_t *per_device_down;
} cpk_single_word_rows;

/// Applies the coincidences of rows r0 ..< r1 to a LinearStep-family array; adds the pulses to
/// `*up` and `*down`.
void cpk_linear_single_word_rows(const cpk_linear_device *device, const cpk_single_word_rows *rows, int64_t r0, int64_t r1,
                                 cpk_noise *noise, uint64_t *up, uint64_t *down);

// MARK: - Write noise

/// Draws the pending write noise of `count` devices in index order: every device k whose flag
/// `dirty[k]` is set gets apparent[k] = hidden[k] + scale · z, z the next N(0, 1) variate of
/// `noise`, and its flag cleared (clean stretches are skipped 32 flags at a time).
void cpk_materialize_write_noise(uint8_t *dirty, const float *hidden, float *apparent, int64_t count, float scale,
                                 cpk_noise *noise);

// MARK: - Bit lines

/// The number of set bits in `count` 64-bit words (the firing slots of a sample's bit lines).
int64_t cpk_popcount_sum(const uint64_t *words, int64_t count);

// MARK: - Variant selection

/// 1 when the AVX2/FMA/BMI2/POPCNT variant runs, 0 for the portable variant.
int32_t cpk_kernel_variant(void);
/// The name of the running variant: "avx2-fma" or "portable".
const char *cpk_kernel_variant_name(void);
/// 1 when this CPU can run the AVX2 variant.
int32_t cpk_cpu_supports_avx2(void);
/// Forces a variant (0 portable, 1 AVX2 where supported; −1 back to automatic). For tests and
/// benchmarks; results do not depend on it. Returns the variant now in use.
int32_t cpk_force_kernel_variant(int32_t variant);

/// Asks the CPU to bring the cache line holding `address` into all cache levels ahead of a
/// read. A hint only; it never faults, whatever the address.
static inline void cpk_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
