// The pulse kernels in two variants (x86-64 baseline and AVX2/FMA/BMI2/POPCNT), chosen once at
// run time; see include/CPulseKernels.h and pulse_kernels_variant.h.
#include "CPulseKernels.h"

#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Every value is computed as written: multiply and add are never fused behind our back, so the
// variants with and without FMA instructions round identically.
#pragma clang fp contract(off)
// The portable variant passes 256-bit vectors between its static inline helpers (all inlined;
// no ABI boundary), which clang would otherwise warn about.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float f32x8 __attribute__((ext_vector_type(8)));
typedef int32_t i32x8 __attribute__((ext_vector_type(8)));
typedef uint32_t u32x8 __attribute__((ext_vector_type(8)));
typedef float f32x32 __attribute__((ext_vector_type(32)));
typedef uint32_t u32x32 __attribute__((ext_vector_type(32)));

/// Closed-form multi-pulse updates are used only when, with this many standard deviations of
/// margin, the unclipped trajectory stays inside the device bounds (docs/devices.md).
#define CPK_CLOSED_FORM_MARGIN 7.0f

/// Lane permutations indexed by an 8-bit lane mask: cpk_expand[m] moves element r of a packed
/// vector to the lane of the r-th set bit of m; cpk_compress[m] moves the lane of the r-th set
/// bit to element r.
static i32x8 cpk_expand[256];
static i32x8 cpk_compress[256];

static void cpk_make_permutations(void) {
    for (int m = 0; m < 256; m++) {
        i32x8 e = 0, c = 0;
        int r = 0;
        for (int lane = 0; lane < 8; lane++) {
            if (m & (1 << lane)) {
                e[lane] = r;
                c[r] = lane;
                r++;
            }
        }
        cpk_expand[m] = e;
        cpk_compress[m] = c;
    }
}

#define CPK_CAT2(a, b) a##b
#define CPK_CAT(a, b) CPK_CAT2(a, b)

#if defined(__x86_64__)
#define CPK_AVX2 1
#define CPK_ATTR __attribute__((target("avx2,fma,bmi2,popcnt")))
#define CPK_NAME(name) CPK_CAT(name, _avx2)
#include "pulse_kernels_variant.h"
#undef CPK_AVX2
#undef CPK_ATTR
#undef CPK_NAME
#endif

#define CPK_AVX2 0
#define CPK_ATTR
#define CPK_NAME(name) CPK_CAT(name, _portable)
#include "pulse_kernels_variant.h"
#undef CPK_AVX2
#undef CPK_ATTR
#undef CPK_NAME

// MARK: Variant selection

typedef struct cpk_variant {
    void (*noise_refill)(cpk_noise *);
    void (*noise_fill)(cpk_noise *, float *, int64_t);
    void (*linear_apply)(const cpk_linear_device *, int64_t, int64_t, int32_t, cpk_noise *);
    void (*single_word_rows)(const cpk_linear_device *, const cpk_single_word_rows *, int64_t, int64_t, cpk_noise *, uint64_t *,
                             uint64_t *);
    int64_t (*popcount_sum)(const uint64_t *, int64_t);
    void (*materialize_write_noise)(uint8_t *, const float *, float *, int64_t, float, cpk_noise *);
    const char *name;
} cpk_variant;

static const cpk_variant cpk_portable = {
    noise_refill_portable, noise_fill_portable, linear_apply_portable, single_word_rows_portable, popcount_sum_portable, materialize_write_noise_portable,
    "portable",
};
#if defined(__x86_64__)
static const cpk_variant cpk_avx2 = {
    noise_refill_avx2, noise_fill_avx2, linear_apply_avx2, single_word_rows_avx2, popcount_sum_avx2, materialize_write_noise_avx2,
    "avx2-fma",
};
#endif

static const cpk_variant *cpk_current = &cpk_portable;
static int32_t cpk_supports_avx2 = 0;

/// Chooses the variant once, before main: AVX2 where the CPU has AVX2, FMA, BMI2 and POPCNT,
/// unless the environment says CROSSBAR_KERNELS=portable.
__attribute__((constructor)) static void cpk_select(void) {
    cpk_make_permutations();
#if defined(__x86_64__)
    __builtin_cpu_init();
    cpk_supports_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2") &&
                        __builtin_cpu_supports("popcnt");
#endif
    const char *forced = getenv("CROSSBAR_KERNELS");
    int portable = forced && strcmp(forced, "portable") == 0;
#if defined(__x86_64__)
    if (cpk_supports_avx2 && !portable) cpk_current = &cpk_avx2;
#else
    (void)portable;
#endif
}

int32_t cpk_cpu_supports_avx2(void) { return cpk_supports_avx2; }

int32_t cpk_kernel_variant(void) {
#if defined(__x86_64__)
    return cpk_current == &cpk_avx2;
#else
    return 0;
#endif
}

const char *cpk_kernel_variant_name(void) { return cpk_current->name; }

int32_t cpk_force_kernel_variant(int32_t variant) {
#if defined(__x86_64__)
    if (variant < 0) {
        const char *forced = getenv("CROSSBAR_KERNELS");
        int portable = forced && strcmp(forced, "portable") == 0;
        cpk_current = cpk_supports_avx2 && !portable ? &cpk_avx2 : &cpk_portable;
    } else {
        cpk_current = variant == 1 && cpk_supports_avx2 ? &cpk_avx2 : &cpk_portable;
    }
#else
    (void)variant;
#endif
    return cpk_kernel_variant();
}

// MARK: Entry points

void cpk_noise_refill(cpk_noise *noise) { cpk_current->noise_refill(noise); }

void cpk_noise_fill(cpk_noise *noise, float *out, int64_t count) { cpk_current->noise_fill(noise, out, count); }

void cpk_linear_apply(const cpk_linear_device *device, int64_t k, int64_t count, int32_t down, cpk_noise *noise) {
    cpk_current->linear_apply(device, k, count, down, noise);
}

void cpk_linear_single_word_rows(const cpk_linear_device *device, const cpk_single_word_rows *rows, int64_t r0, int64_t r1,
                                 cpk_noise *noise, uint64_t *up, uint64_t *down) {
    cpk_current->single_word_rows(device, rows, r0, r1, noise, up, down);
}

int64_t cpk_popcount_sum(const uint64_t *words, int64_t count) { return cpk_current->popcount_sum(words, count); }

void cpk_materialize_write_noise(uint8_t *dirty, const float *hidden, float *apparent, int64_t count, float scale,
                                 cpk_noise *noise) {
    cpk_current->materialize_write_noise(dirty, hidden, apparent, count, scale, noise);
}
