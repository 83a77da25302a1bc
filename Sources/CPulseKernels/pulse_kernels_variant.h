// One variant of the pulse kernels. pulse_kernels.c includes this file twice: with
// CPK_AVX2 = 1 (every function carries the AVX2/FMA/BMI2/POPCNT target attribute) and with
// CPK_AVX2 = 0 (the x86-64 baseline). The source is the same; only the few lane operations
// that have no portable vector form are written twice below (CPK_AVX2 blocks), each as an exact
// equivalent of the other. No multiply-add pair is contracted (pragma in pulse_kernels.c);
// fused multiply-adds appear exactly where the Swift reference wrote `addingProduct`.
//
// Expects: CPK_AVX2, CPK_ATTR (the function attributes), CPK_NAME(name) (the variant's name).

// MARK: Lane operations

/// Bit l set ⇔ lane l of `v` is negative.
static inline CPK_ATTR int CPK_NAME(sign_bits)(i32x8 v) {
#if CPK_AVX2
    return _mm256_movemask_ps((__m256)v);
#else
    int bits = 0;
    for (int l = 0; l < 8; l++) bits |= (v[l] < 0) << l;
    return bits;
#endif
}

/// result[l] = v[index[l]].
static inline CPK_ATTR f32x8 CPK_NAME(permute)(f32x8 v, i32x8 index) {
#if CPK_AVX2
    return (f32x8)_mm256_permutevar8x32_ps((__m256)v, (__m256i)index);
#else
    f32x8 r;
    for (int l = 0; l < 8; l++) r[l] = v[index[l] & 7];
    return r;
#endif
}

static inline CPK_ATTR i32x8 CPK_NAME(permute_int)(i32x8 v, i32x8 index) {
    return (i32x8)CPK_NAME(permute)((f32x8)v, index);
}

/// Byte l = bit l of `bits` (8 bytes, little endian).
static inline CPK_ATTR uint64_t CPK_NAME(bytes)(int bits) {
#if CPK_AVX2
    return _pdep_u64((uint64_t)(uint32_t)bits, 0x0101010101010101ull);
#else
    uint64_t b = 0;
    for (int l = 0; l < 8; l++) if (bits & (1 << l)) b |= (uint64_t)1 << (8 * l);
    return b;
#endif
}

static inline CPK_ATTR int CPK_NAME(popcount32)(uint32_t x) { return __builtin_popcount(x); }
static inline CPK_ATTR int CPK_NAME(popcount64)(uint64_t x) { return __builtin_popcountll(x); }

/// Lane-wise population count of 32-bit words (pairs, nibbles, bytes, then a multiply that sums
/// the four bytes into the top one).
static inline CPK_ATTR u32x8 CPK_NAME(popcount_lanes)(u32x8 v) {
    u32x8 x = v - ((v >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (x * 0x01010101u) >> 24;
}

/// All lanes of the 8-bit lane mask `bits`.
static inline CPK_ATTR i32x8 CPK_NAME(lane_mask)(int bits) {
    const i32x8 lanes = {1, 2, 4, 8, 16, 32, 64, 128};
    return ((i32x8)bits & lanes) != 0;
}

static inline CPK_ATTR f32x8 CPK_NAME(fma8)(f32x8 a, f32x8 b, f32x8 c) { return __builtin_elementwise_fma(a, b, c); }
static inline CPK_ATTR f32x8 CPK_NAME(sqrt8)(f32x8 a) { return __builtin_elementwise_sqrt(a); }
static inline CPK_ATTR float CPK_NAME(fma1)(float a, float b, float c) { return __builtin_fmaf(a, b, c); }

// MARK: Device noise: Box–Muller on eight xoshiro128++ lanes

/// One step of the eight generators: eight 32-bit outputs (xoshiro128++: rotl(a + d, 7) + a).
static inline CPK_ATTR u32x8 CPK_NAME(lanes_next)(u32x8 *a, u32x8 *b, u32x8 *c, u32x8 *d) {
    u32x8 sum = *a + *d;
    u32x8 result = ((sum << 7) | (sum >> 25)) + *a;
    u32x8 t = *b << 9;
    *c ^= *a;
    *d ^= *b;
    *b ^= *c;
    *a ^= *d;
    *c ^= t;
    *d = (*d << 11) | (*d >> 21);
    return result;
}

/// Uniform [0, 1) floats from the top 23 bits of each lane: 1.m − 1.
static inline CPK_ATTR f32x32 CPK_NAME(unit)(u32x32 bits) {
    return (f32x32)((bits >> 9) | 0x3F800000u) - 1.0f;
}

static inline CPK_ATTR f32x32 CPK_NAME(fma32)(f32x32 a, f32x32 b, f32x32 c) { return __builtin_elementwise_fma(a, b, c); }

/// Box–Muller for 32 pairs at once (four independent vector chains, so the long polynomial
/// dependencies overlap): radius from the 32 bits of `hi`, angle from 23 bits of `lo`
/// (docs/randomness.md states the accuracy).
static inline CPK_ATTR void CPK_NAME(box_muller)(u32x32 lo, u32x32 hi, f32x32 *cosines, f32x32 *sines) {
    // u1 = top 23 bits + next 9 bits · 2⁻²³ + 2⁻³³ ∈ (0, 1).
    f32x32 u1 = CPK_NAME(unit)(hi) + CPK_NAME(unit)((hi & 0x1FFu) << 23) * (1.0f / 8388608.0f) + (1.0f / 8589934592.0f);
    // ln u1 = e·ln2 + ln m with m ∈ [√½, √2), ln m = f·P(f), f = m − 1.
    u32x32 ix = (u32x32)u1 + (0x3F800000u - 0x3F3504F3u);
    f32x32 e = (f32x32)((ix >> 23) | 0x4B000000u) - 8388735.0f;
    f32x32 f = (f32x32)((ix & 0x007FFFFFu) + 0x3F3504F3u) - 1.0f;
    f32x32 p = 0.08743945509195328f;
    p = CPK_NAME(fma32)(p, f, -0.14377330243587494f);
    p = CPK_NAME(fma32)(p, f, 0.14949095249176025f);
    p = CPK_NAME(fma32)(p, f, -0.16560696065425873f);
    p = CPK_NAME(fma32)(p, f, 0.19956977665424347f);
    p = CPK_NAME(fma32)(p, f, -0.2500215470790863f);
    p = CPK_NAME(fma32)(p, f, 0.3333418369293213f);
    p = CPK_NAME(fma32)(p, f, -0.49999988079071045f);
    p = CPK_NAME(fma32)(p, f, 1.0f);
    f32x32 x = -2.0f * (e * 0.69314718f + f * p);
    f32x32 radius = __builtin_elementwise_sqrt(x);
    // 2π·u2 = φ + π with φ ∈ [−π, π); quarter angle q = φ/4 ∈ [−π/4, π/4). (π as Swift's
    // Float.pi: rounded toward zero.)
    f32x32 q = (CPK_NAME(unit)(lo) - 0.5f) * (0x1.921fb4p+1f / 2.0f);
    f32x32 q2 = q * q;
    f32x32 ps = 1.0f / 362880.0f;
    ps = CPK_NAME(fma32)(ps, q2, -1.0f / 5040.0f);
    ps = CPK_NAME(fma32)(ps, q2, 1.0f / 120.0f);
    ps = CPK_NAME(fma32)(ps, q2, -1.0f / 6.0f);
    ps = CPK_NAME(fma32)(ps, q2, 1.0f);
    f32x32 s1 = q * ps;
    f32x32 pc = -1.0f / 3628800.0f;
    pc = CPK_NAME(fma32)(pc, q2, 1.0f / 40320.0f);
    pc = CPK_NAME(fma32)(pc, q2, -1.0f / 720.0f);
    pc = CPK_NAME(fma32)(pc, q2, 1.0f / 24.0f);
    pc = CPK_NAME(fma32)(pc, q2, -0.5f);
    f32x32 c1 = CPK_NAME(fma32)(pc, q2, 1.0f);
    f32x32 s2 = 2.0f * s1 * c1;
    f32x32 c2 = c1 * c1 - s1 * s1;
    f32x32 s4 = 2.0f * s2 * c2;
    f32x32 c4 = c2 * c2 - s2 * s2;
    // sin(φ + π) = −sin φ, cos(φ + π) = −cos φ.
    f32x32 minus_radius = 0.0f - radius;
    *cosines = minus_radius * c4;
    *sines = minus_radius * s4;
}

/// 64 variates into `out`: four steps of the lanes give the radius words, four more the angle
/// words; the 32 cosines first, then the 32 sines.
static CPK_ATTR void CPK_NAME(gaussian_block)(cpk_noise *noise, float *out) {
    u32x8 a, b, c, d;
    memcpy(&a, noise->a, 32);
    memcpy(&b, noise->b, 32);
    memcpy(&c, noise->c, 32);
    memcpy(&d, noise->d, 32);
    uint32_t words[64];
    for (int t = 0; t < 8; t++) {
        u32x8 w = CPK_NAME(lanes_next)(&a, &b, &c, &d);
        memcpy(words + 8 * t, &w, 32);
    }
    u32x32 hi, lo;
    memcpy(&hi, words, 128);
    memcpy(&lo, words + 32, 128);
    f32x32 cs, sn;
    CPK_NAME(box_muller)(lo, hi, &cs, &sn);
    memcpy(out, &cs, 128);
    memcpy(out + 32, &sn, 128);
    memcpy(noise->a, &a, 32);
    memcpy(noise->b, &b, 32);
    memcpy(noise->c, &c, 32);
    memcpy(noise->d, &d, 32);
}

// Out of line, so that the loops drawing from the buffer keep their values in registers.
static __attribute__((noinline)) CPK_ATTR void CPK_NAME(noise_refill)(cpk_noise *noise) {
    CPK_NAME(gaussian_block)(noise, noise->buffer);
    noise->position = 0;
}

static CPK_ATTR void CPK_NAME(noise_fill)(cpk_noise *noise, float *out, int64_t count) {
    for (int64_t k = 0; k < count; k += 64) CPK_NAME(gaussian_block)(noise, out + k);
}

static inline CPK_ATTR float CPK_NAME(gaussian)(cpk_noise *noise) {
    if (noise->position == 64) CPK_NAME(noise_refill)(noise);
    return noise->buffer[noise->position++];
}

/// The next `k` ≤ 8 variates in lanes 0 ..< k (a block with fewer left is discarded first).
static inline CPK_ATTR f32x8 CPK_NAME(next_compressed)(cpk_noise *noise, int k) {
    if (noise->position + k > 64) CPK_NAME(noise_refill)(noise);
    f32x8 v;
    memcpy(&v, noise->buffer + noise->position, 32);
    noise->position += k;
    return v;
}

// MARK: The affine pulse series (closed form of n pulses)

/// ℓ(s) = ln(1 + s)/s, φ(t) = (eᵗ − 1)/t and 1/(1 + s/2) by their Taylor series (docs/devices.md,
/// "Exactness of the multi-pulse shortcut"); valid for |s| ≤ 1/32 and |n·ln(1 + s)| ≤ 1/8.
static inline CPK_ATTR f32x8 CPK_NAME(log_ratio)(f32x8 s) {
    f32x8 p = -1.0f / 6.0f;
    p = CPK_NAME(fma8)(p, s, 1.0f / 5.0f);
    p = CPK_NAME(fma8)(p, s, -1.0f / 4.0f);
    p = CPK_NAME(fma8)(p, s, 1.0f / 3.0f);
    p = CPK_NAME(fma8)(p, s, -1.0f / 2.0f);
    return CPK_NAME(fma8)(p, s, 1.0f);
}

static inline CPK_ATTR f32x8 CPK_NAME(exp_ratio)(f32x8 t) {
    f32x8 p = 1.0f / 5040.0f;
    p = CPK_NAME(fma8)(p, t, 1.0f / 720.0f);
    p = CPK_NAME(fma8)(p, t, 1.0f / 120.0f);
    p = CPK_NAME(fma8)(p, t, 1.0f / 24.0f);
    p = CPK_NAME(fma8)(p, t, 1.0f / 6.0f);
    p = CPK_NAME(fma8)(p, t, 1.0f / 2.0f);
    return CPK_NAME(fma8)(p, t, 1.0f);
}

static inline CPK_ATTR f32x8 CPK_NAME(half_reciprocal)(f32x8 s) {
    f32x8 p = 1.0f / 16.0f;
    p = CPK_NAME(fma8)(p, s, -1.0f / 8.0f);
    p = CPK_NAME(fma8)(p, s, 1.0f / 4.0f);
    p = CPK_NAME(fma8)(p, s, -1.0f / 2.0f);
    return CPK_NAME(fma8)(p, s, 1.0f);
}

/// Mean, variance factor S₂ and validity slack (≥ 0: the series are valid) of n pulses from x.
static inline CPK_ATTR void CPK_NAME(affine_series)(f32x8 x, f32x8 n, f32x8 c, f32x8 s, f32x8 *mean, f32x8 *s2, f32x8 *slack) {
    f32x8 l = CPK_NAME(log_ratio)(s);
    f32x8 nl = n * l;
    f32x8 a = nl * s;
    f32x8 e1 = CPK_NAME(exp_ratio)(a);
    f32x8 e2 = CPK_NAME(exp_ratio)(a + a);
    f32x8 power = CPK_NAME(fma8)(a, e1, 1.0f);
    *mean = CPK_NAME(fma8)(c, nl * e1, power * x);
    *s2 = nl * e2 * CPK_NAME(half_reciprocal)(s);
    f32x8 zero = 0.0f;
    f32x8 abs_s = s < zero ? zero - s : s;
    f32x8 abs_a = a < zero ? zero - a : a;
    f32x8 slope = (1.0f / 32.0f) - abs_s, exponent = (1.0f / 8.0f) - abs_a;
    *slack = exponent < slope ? exponent : slope;
}

// MARK: LinearStep family, one device

static inline CPK_ATTR float CPK_NAME(smax)(float x, float y) { return y >= x ? y : x; }
static inline CPK_ATTR float CPK_NAME(smin)(float x, float y) { return y < x ? y : x; }
static inline CPK_ATTR float CPK_NAME(clip)(float v, float lo, float hi) { return CPK_NAME(smin)(CPK_NAME(smax)(v, lo), hi); }

/// One pulse: x + (c + s·x)·(1 + σz) (multiplicative) or x + c + s·x + |c|σz (additive), with
/// fused multiply-adds. Every path (one device, single-pulse lists, dense rows) rounds alike.
static inline CPK_ATTR float CPK_NAME(one_pulse)(float x, float c, float s, float sigma, float z, int mult) {
    float step = CPK_NAME(fma1)(s, x, c);
    return mult ? CPK_NAME(fma1)(step * sigma, z, x + step) : CPK_NAME(fma1)(__builtin_fabsf(c) * sigma, z, x + step);
}

static inline CPK_ATTR float CPK_NAME(pulse_by_pulse)(const cpk_linear_device *dv, float x0, int64_t n, float c, float s, float lo,
                                                      float hi, cpk_noise *noise) {
    float x = x0;
    float sigma = dv->sigma;
    if (sigma == 0) {
        for (int64_t i = 0; i < n; i++) x = CPK_NAME(clip)(x + c + s * x, lo, hi);
    } else if (dv->mult_noise) {
        for (int64_t i = 0; i < n; i++) {
            float t = x + (c + s * x) * (1 + sigma * CPK_NAME(gaussian)(noise));
            x = CPK_NAME(clip)(t, lo, hi);
        }
    } else {
        float cn = __builtin_fabsf(c) * sigma;
        for (int64_t i = 0; i < n; i++) {
            float t = x + c + s * x;
            x = CPK_NAME(clip)(t + cn * CPK_NAME(gaussian)(noise), lo, hi);
        }
    }
    return x;
}

static CPK_ATTR void CPK_NAME(linear_apply)(const cpk_linear_device *dv, int64_t k, int64_t n, int32_t down, cpk_noise *noise) {
    float r = dv->reference ? dv->reference[k] : 0.0f;
    float x = dv->hidden[k] + r;
    float lo = dv->b_min[k], hi = dv->b_max[k];
    float c = down ? -dv->step_down[k] : dv->step_up[k];
    float s = dv->has_slopes ? (down ? -dv->slope_down[k] : dv->slope_up[k]) : 0.0f;
    float sigma = dv->sigma;
    if (n == 1) {
        float z = sigma != 0 ? CPK_NAME(gaussian)(noise) : 0.0f;
        x = CPK_NAME(clip)(CPK_NAME(one_pulse)(x, c, s, sigma, z, dv->mult_noise), lo, hi);
    } else if (sigma == 0 || dv->mult_noise) {
        x = CPK_NAME(pulse_by_pulse)(dv, x, n, c, s, lo, hi, noise);
    } else {
        // The closed form of the additive recursion, where its series are valid.
        float fn = (float)n;
        int valid = 1;
        float m, sd;
        if (s == 0) {
            m = x + fn * c;
            sd = __builtin_fabsf(c) * sigma * __builtin_sqrtf(fn);
        } else {
            f32x8 mean, s2, slack;
            CPK_NAME(affine_series)((f32x8)x, (f32x8)fn, (f32x8)c, (f32x8)s, &mean, &s2, &slack);
            valid = !(slack[0] < 0);
            m = mean[0];
            sd = __builtin_fabsf(c) * sigma * __builtin_sqrtf(CPK_NAME(smax)(s2[0], 0.0f));
        }
        if (valid) {
            float margin = CPK_CLOSED_FORM_MARGIN * sd;
            if (CPK_NAME(smin)(x, m) - margin >= lo && CPK_NAME(smax)(x, m) + margin <= hi) {
                x = m + sd * CPK_NAME(gaussian)(noise);
            } else {
                x = CPK_NAME(pulse_by_pulse)(dv, x, n, c, s, lo, hi, noise);
            }
        } else {
            x = CPK_NAME(pulse_by_pulse)(dv, x, n, c, s, lo, hi, noise);
        }
    }
    dv->hidden[k] = x - r;
    if (dv->dirty) dv->dirty[k] = 1;
}

/// `n` pulses to device k one at a time (its closed form is known not to be valid).
static CPK_ATTR void CPK_NAME(linear_one_at_a_time)(const cpk_linear_device *dv, int64_t k, int64_t n, int32_t down, cpk_noise *noise) {
    float r = dv->reference ? dv->reference[k] : 0.0f;
    float c = down ? -dv->step_down[k] : dv->step_up[k];
    float s = dv->has_slopes ? (down ? -dv->slope_down[k] : dv->slope_up[k]) : 0.0f;
    dv->hidden[k] = CPK_NAME(pulse_by_pulse)(dv, dv->hidden[k] + r, n, c, s, dv->b_min[k], dv->b_max[k], noise) - r;
    if (dv->dirty) dv->dirty[k] = 1;
}

// MARK: LinearStep family, one pulse each to a list of devices (rows firing in one slot)

static inline __attribute__((always_inline)) CPK_ATTR int64_t CPK_NAME(singles_loop)(
    const cpk_linear_device *dv, int ref_on, int sloped, int mult, int64_t base, const int32_t *columns,
    const uint8_t *negative, int64_t count, uint8_t row_negative, const float *z) {
    float *h = dv->hidden + base;
    const float *ref = (ref_on ? dv->reference : dv->hidden) + base;
    const float *up = dv->step_up + base, *dn = dv->step_down + base;
    const float *su = dv->slope_up + base, *sd = dv->slope_down + base;
    const float *hi = dv->b_max + base, *lo = dv->b_min + base;
    float sigma = dv->sigma;
    int64_t n_down = 0;
    for (int64_t q = 0; q < count; q++) {
        int64_t j = columns[q];
        int is_down = row_negative == negative[q];
        float r = ref_on ? ref[j] : 0.0f;
        float x = h[j] + r;
        float upv = up[j], dnv = dn[j];
        float c = is_down ? -dnv : upv;
        float s = 0.0f;
        if (sloped) {
            float suv = su[j], sdv = sd[j];
            s = is_down ? -sdv : suv;
        }
        float x1 = CPK_NAME(one_pulse)(x, c, s, sigma, z[q], mult);
        h[j] = CPK_NAME(smin)(CPK_NAME(smax)(x1, lo[j]), hi[j]) - r;
        n_down += is_down;
    }
    return n_down;
}

static CPK_ATTR void CPK_NAME(linear_singles)(const cpk_linear_device *dv, int64_t base, const int32_t *columns, const uint8_t *negative,
                                              int64_t count, uint8_t row_negative, float *noise_out, cpk_noise *noise,
                                              uint64_t *up, uint64_t *down) {
    if (dv->sigma != 0) {
        CPK_NAME(noise_fill)(noise, noise_out, count);
    } else {
        for (int64_t q = 0; q < count; q++) noise_out[q] = 0;
    }
    int ref_on = dv->reference != 0, sloped = dv->has_slopes, mult = dv->mult_noise;
    int64_t n_down;
    if (ref_on && sloped && mult) n_down = CPK_NAME(singles_loop)(dv, 1, 1, 1, base, columns, negative, count, row_negative, noise_out);
    else if (ref_on && sloped) n_down = CPK_NAME(singles_loop)(dv, 1, 1, 0, base, columns, negative, count, row_negative, noise_out);
    else if (ref_on) n_down = CPK_NAME(singles_loop)(dv, 1, 0, 0, base, columns, negative, count, row_negative, noise_out);
    else if (sloped && mult) n_down = CPK_NAME(singles_loop)(dv, 0, 1, 1, base, columns, negative, count, row_negative, noise_out);
    else if (sloped) n_down = CPK_NAME(singles_loop)(dv, 0, 1, 0, base, columns, negative, count, row_negative, noise_out);
    else n_down = CPK_NAME(singles_loop)(dv, 0, 0, 0, base, columns, negative, count, row_negative, noise_out);
    if (dv->dirty) {
        uint8_t *d = dv->dirty + base;
        for (int64_t q = 0; q < count; q++) d[columns[q]] = 1;
    }
    *up += (uint64_t)(count - n_down);
    *down += (uint64_t)n_down;
}

// MARK: LinearStep family, a dense row (eight columns per step)

/// One more pulse for the lanes of `bits`: from x clipped to [lo, hi], one packed draw per lane
/// (the one-pulse equation); other lanes keep the clipped x.
static inline __attribute__((always_inline)) CPK_ATTR f32x8 CPK_NAME(next_pulse)(f32x8 x, int bits, f32x8 c, f32x8 s, f32x8 ac, f32x8 lo,
                                                                             f32x8 hi, f32x8 sigma, int mult, cpk_noise *noise) {
    f32x8 xk = x < lo ? lo : x;
    xk = xk > hi ? hi : xk;
    f32x8 z = CPK_NAME(permute)(CPK_NAME(next_compressed)(noise, CPK_NAME(popcount32)((uint32_t)bits)), cpk_expand[bits]);
    f32x8 step = CPK_NAME(fma8)(s, xk, c);
    f32x8 next = mult ? CPK_NAME(fma8)(step * sigma, z, xk + step) : CPK_NAME(fma8)(ac * sigma, z, xk + step);
    return CPK_NAME(lane_mask)(bits) ? next : xk;
}

static inline CPK_ATTR f32x8 CPK_NAME(load8)(const void *p) { f32x8 v; memcpy(&v, p, 32); return v; }
static inline CPK_ATTR i32x8 CPK_NAME(load8i)(const void *p) { i32x8 v; memcpy(&v, p, 32); return v; }
static inline CPK_ATTR u32x8 CPK_NAME(load8u)(const void *p) { u32x8 v; memcpy(&v, p, 32); return v; }

/// The row's full blocks of eight columns. Flags (compile-time constants after inlining):
/// `ref` the array has references, `sloped` state-dependent steps, `mult` multiplicative noise,
/// `dirty` write-noise flags, `single` the row fires in one slot (every device gets at most
/// one pulse), `uniform` all active columns share one sign (one pulse direction per row).
/// Returns the up and down pulse counts of the blocks and the number of fallback columns.
static inline __attribute__((always_inline)) CPK_ATTR int64_t CPK_NAME(block_pass)(
    const cpk_linear_device *dv, int ref, int sloped, int mult, int dirty, int single, int uniform,
    int64_t base, int64_t cols, uint64_t md, int32_t row_sign, const cpk_single_word_rows *in, cpk_noise *noise,
    uint64_t *up_out, uint64_t *down_out) {
    float *h = dv->hidden + base;
    const float *rf = (ref ? dv->reference : dv->hidden) + base;
    const float *up = dv->step_up + base, *dn = dv->step_down + base;
    const float *su = dv->slope_up + base, *sdn = dv->slope_down + base;
    const float *hi_b = dv->b_max + base, *lo_b = dv->b_min + base;
    uint8_t *dirty_row = dirty ? dv->dirty + base : 0;
    const uint32_t *masks_low = in->column_masks_low;
    const uint32_t *masks_high = in->column_masks_high ? in->column_masks_high : in->column_masks_low;
    const int32_t *signs = in->column_signs;
    int32_t *counts = in->counts;
    int32_t *fallback = in->fallback_columns;
    u32x8 md_low = (uint32_t)md, md_high = (uint32_t)(md >> 32);
    int use_high = in->column_masks_high != 0 && (md >> 32) != 0;
    int slot_in_high = __builtin_ctzll(md) >= 32;
    u32x8 slot = (uint32_t)(__builtin_ctzll(md) & 31);
    i32x8 row_sign_v = row_sign;
    int row_down = row_sign * in->uniform_sign > 0;
    const float *row_step = row_down ? dn : up, *row_slope = row_down ? sdn : su;
    f32x8 direction = row_down ? -1.0f : 1.0f;
    f32x8 sigma = dv->sigma;
    f32x8 margin = CPK_CLOSED_FORM_MARGIN;
    f32x8 zero = 0.0f;
    i32x8 total_v = 0, down_v = 0;
    int64_t n_fallback = 0;
    int store_counts = in->per_device_up != 0;
    int64_t full = cols & ~(int64_t)7;
    for (int64_t b = 0; b < full; b += 8) {
        if ((b & 15) == 0) {
            // One cache line of each device array, 256 bytes (eight blocks) ahead.
            int64_t ahead = b + 64;
            cpk_prefetch(h + ahead);
            if (ref) cpk_prefetch(rf + ahead);
            if (uniform) {
                cpk_prefetch(row_step + ahead);
                if (sloped) cpk_prefetch(row_slope + ahead);
            } else {
                cpk_prefetch(up + ahead);
                cpk_prefetch(dn + ahead);
                if (sloped) { cpk_prefetch(su + ahead); cpk_prefetch(sdn + ahead); }
            }
            cpk_prefetch(lo_b + ahead);
            cpk_prefetch(hi_b + ahead);
        }
        u32x8 n;
        if (single) {
            u32x8 m = CPK_NAME(load8u)((slot_in_high ? masks_high : masks_low) + b);
            n = (m >> slot) & 1u;
        } else {
            u32x8 cnt = CPK_NAME(popcount_lanes)(CPK_NAME(load8u)(masks_low + b) & md_low);
            if (use_high) cnt += CPK_NAME(popcount_lanes)(CPK_NAME(load8u)(masks_high + b) & md_high);
            n = cnt;
        }
        i32x8 ni = (i32x8)n;
        if (!single || store_counts) memcpy(counts + b, &ni, 32);
        // Lanes with at least one pulse (0 − n < 0).
        int pulsed_bits = CPK_NAME(sign_bits)(0 - ni);
        if (pulsed_bits == 0) continue;
        total_v += ni;
        f32x8 hv = CPK_NAME(load8)(h + b);
        f32x8 r = ref ? CPK_NAME(load8)(rf + b) : zero;
        f32x8 x = hv + r;
        // |c| and c = ±|c| (up: +Δ⁺, down: −Δ⁻); s likewise.
        f32x8 ac, c, s;
        if (uniform) {
            ac = CPK_NAME(load8)(row_step + b);
            c = ac * direction;
            s = sloped ? CPK_NAME(load8)(row_slope + b) * direction : zero;
        } else {
            // s = sgn(d)·sgn(x) = +1 ⇒ down pulse.
            i32x8 down_i = (row_sign_v * CPK_NAME(load8i)(signs + b) + 1) >> 1;
            down_v += down_i * ni;
            i32x8 is_down = down_i != 0;
            ac = is_down ? CPK_NAME(load8)(dn + b) : CPK_NAME(load8)(up + b);
            c = is_down ? zero - ac : ac;
            if (sloped) {
                f32x8 magnitude = is_down ? CPK_NAME(load8)(sdn + b) : CPK_NAME(load8)(su + b);
                s = is_down ? zero - magnitude : magnitude;
            } else {
                s = zero;
            }
        }
        f32x8 lo = CPK_NAME(load8)(lo_b + b);
        f32x8 hi = CPK_NAME(load8)(hi_b + b);
        // The noise of exactly the pulsed lanes, spread to them.
        f32x8 z = CPK_NAME(permute)(CPK_NAME(next_compressed)(noise, CPK_NAME(popcount32)((uint32_t)pulsed_bits)), cpk_expand[pulsed_bits]);
        // One pulse (the equation of one_pulse, lane-wise).
        f32x8 step = CPK_NAME(fma8)(s, x, c);
        f32x8 x_new = mult ? CPK_NAME(fma8)(step * sigma, z, x + step) : CPK_NAME(fma8)(ac * sigma, z, x + step);
        int keep = pulsed_bits ^ 0xFF;
        // Lanes with several pulses (1 − n < 0).
        int several_bits = single ? 0 : CPK_NAME(sign_bits)(1 - ni);
        int three_bits = several_bits == 0 ? 0 : CPK_NAME(sign_bits)(2 - ni);
        if (several_bits != 0 && CPK_NAME(sign_bits)(3 - ni) == 0) {
            // At most three pulses per device: the further pulses exactly, each from the clipped
            // previous value with its own noise.
            x_new = CPK_NAME(next_pulse)(x_new, several_bits, c, s, ac, lo, hi, sigma, mult, noise);
            if (three_bits != 0) x_new = CPK_NAME(next_pulse)(x_new, three_bits, c, s, ac, lo, hi, sigma, mult, noise);
        } else if (several_bits != 0) {
            i32x8 several = CPK_NAME(lane_mask)(several_bits);
            int invalid_bits = several_bits;
            if (!mult) {
                f32x8 fn = __builtin_convertvector(ni, f32x8);
                f32x8 mean, spread, slack;
                if (sloped) {
                    f32x8 s2;
                    CPK_NAME(affine_series)(x, fn, c, s, &mean, &s2, &slack);
                    spread = ac * sigma * CPK_NAME(sqrt8)(s2 < zero ? zero : s2);
                } else {
                    mean = CPK_NAME(fma8)(fn, c, x);
                    spread = ac * sigma * CPK_NAME(sqrt8)(fn);
                    slack = 1.0f;
                }
                // Valid when the unclipped trajectory keeps `margin` standard deviations from
                // both bounds and the series converge.
                f32x8 m = margin * spread;
                f32x8 least = mean < x ? mean : x;
                f32x8 most = mean > x ? mean : x;
                i32x8 invalid = (least - m < lo) | (most + m > hi) | (slack < zero);
                invalid_bits = several_bits & CPK_NAME(sign_bits)(invalid);
                x_new = several ? CPK_NAME(fma8)(spread, z, mean) : x_new;
            }
            if (invalid_bits != 0) {
                const i32x8 lanes = {0, 1, 2, 3, 4, 5, 6, 7};
                i32x8 columns = lanes + (int32_t)b;
                i32x8 packed = CPK_NAME(permute_int)(columns, cpk_compress[invalid_bits]);
                memcpy(fallback + n_fallback, &packed, 32);
                n_fallback += CPK_NAME(popcount32)((uint32_t)invalid_bits);
                keep |= invalid_bits;
            }
        }
        x_new = x_new < lo ? lo : x_new;
        x_new = x_new > hi ? hi : x_new;
        f32x8 out = CPK_NAME(lane_mask)(keep) ? hv : x_new - r;
        memcpy(h + b, &out, 32);
        if (dirty) {
            // Every pulsed device (the fallback marks its own again).
            uint64_t d;
            memcpy(&d, dirty_row + b, 8);
            d |= CPK_NAME(bytes)(pulsed_bits);
            memcpy(dirty_row + b, &d, 8);
        }
    }
    uint32_t total = 0, downs = 0;
    for (int l = 0; l < 8; l++) { total += (uint32_t)total_v[l]; downs += (uint32_t)down_v[l]; }
    uint64_t t = total;
    uint64_t dn_count = uniform ? (row_down ? t : 0) : (uint64_t)downs;
    *up_out = t - dn_count;
    *down_out = dn_count;
    return n_fallback;
}

#define CPK_BLOCK_PASS(R, S, M, D) \
    switch ((single << 1) | uniform) { \
    case 3: return CPK_NAME(block_pass)(dv, R, S, M, D, 1, 1, base, cols, md, row_sign, in, noise, up, down); \
    case 2: return CPK_NAME(block_pass)(dv, R, S, M, D, 1, 0, base, cols, md, row_sign, in, noise, up, down); \
    case 1: return CPK_NAME(block_pass)(dv, R, S, M, D, 0, 1, base, cols, md, row_sign, in, noise, up, down); \
    default: return CPK_NAME(block_pass)(dv, R, S, M, D, 0, 0, base, cols, md, row_sign, in, noise, up, down); \
    }

/// The block pass specialised for the array's options and the row's shape.
static CPK_ATTR int64_t CPK_NAME(block_pass_for)(const cpk_linear_device *dv, int64_t base, int64_t cols, uint64_t md, int32_t row_sign,
                                                 const cpk_single_word_rows *in, cpk_noise *noise, uint64_t *up, uint64_t *down) {
    int single = (md & (md - 1)) == 0;
    int uniform = in->uniform_sign != 0;
    int ref = dv->reference != 0, sloped = dv->has_slopes, mult = dv->mult_noise && sloped, dirty = dv->dirty != 0;
    int key = (ref << 3) | (sloped << 2) | (mult << 1) | dirty;
    switch (key) {
    case 15: CPK_BLOCK_PASS(1, 1, 1, 1)
    case 14: CPK_BLOCK_PASS(1, 1, 1, 0)
    case 13: CPK_BLOCK_PASS(1, 1, 0, 1)
    case 12: CPK_BLOCK_PASS(1, 1, 0, 0)
    case 9: CPK_BLOCK_PASS(1, 0, 0, 1)
    case 8: CPK_BLOCK_PASS(1, 0, 0, 0)
    case 7: CPK_BLOCK_PASS(0, 1, 1, 1)
    case 6: CPK_BLOCK_PASS(0, 1, 1, 0)
    case 5: CPK_BLOCK_PASS(0, 1, 0, 1)
    case 4: CPK_BLOCK_PASS(0, 1, 0, 0)
    case 1: CPK_BLOCK_PASS(0, 0, 0, 1)
    default: CPK_BLOCK_PASS(0, 0, 0, 0)
    }
}

/// Row `base / cols`: the SIMD pass over the full blocks, then the fallback columns one pulse at
/// a time (ascending), then the columns after the last full block. Returns (up, down).
static CPK_ATTR void CPK_NAME(dense_row)(const cpk_linear_device *dv, int64_t base, int64_t cols, uint64_t md, int32_t row_sign,
                                         const cpk_single_word_rows *in, cpk_noise *noise, uint64_t *up, uint64_t *down) {
    uint64_t u = 0, d = 0;
    int64_t n_fallback = CPK_NAME(block_pass_for)(dv, base, cols, md, row_sign, in, noise, &u, &d);
    const int32_t *signs = in->column_signs;
    int32_t *counts = in->counts;
    for (int64_t q = 0; q < n_fallback; q++) {
        int64_t j = in->fallback_columns[q];
        CPK_NAME(linear_one_at_a_time)(dv, base + j, counts[j], row_sign * signs[j] > 0, noise);
    }
    for (int64_t j = cols & ~(int64_t)7; j < cols; j++) {
        int n = CPK_NAME(popcount32)(in->column_masks_low[j] & (uint32_t)md);
        if (in->column_masks_high) n += CPK_NAME(popcount32)(in->column_masks_high[j] & (uint32_t)(md >> 32));
        counts[j] = n;
        if (n <= 0) continue;
        int is_down = row_sign * signs[j] > 0;
        CPK_NAME(linear_apply)(dv, base + j, n, is_down, noise);
        if (is_down) d += (uint64_t)n; else u += (uint64_t)n;
    }
    *up += u;
    *down += d;
}

// MARK: The rows of one chunk

static CPK_ATTR void CPK_NAME(single_word_rows)(const cpk_linear_device *dv, const cpk_single_word_rows *in, int64_t r0, int64_t r1,
                                                cpk_noise *noise, uint64_t *up, uint64_t *down) {
    int64_t cols = in->cols;
    uint64_t n_up = 0, n_down = 0;
    uint32_t *pu = in->per_device_up, *pd = in->per_device_down;
    for (int64_t i = r0; i < r1; i++) {
        uint64_t md = in->row_masks[i];
        if (md == 0) continue;
        uint8_t rn = in->row_negative[i];
        int64_t base = i * cols;
        int slots = CPK_NAME(popcount64)(md);
        float threshold = slots == 1 ? in->single_slot_dense_threshold : in->dense_threshold;
        if ((float)slots * in->rate >= threshold) {
            CPK_NAME(dense_row)(dv, base, cols, md, rn != 0 ? -1 : 1, in, noise, &n_up, &n_down);
            if (pu) {
                const int32_t *ds = in->column_signs, *cnt = in->counts;
                for (int64_t j = 0; j < cols; j++) {
                    if (cnt[j] == 0) continue;
                    int is_down = (rn != 0) == (ds[j] < 0);
                    if (is_down) pd[base + j] += (uint32_t)cnt[j]; else pu[base + j] += (uint32_t)cnt[j];
                }
            }
        } else if (in->use_slots && (md & (md - 1)) == 0) {
            int s = __builtin_ctzll(md);
            int64_t q0 = in->slot_start[s], q1 = in->slot_start[s + 1];
            CPK_NAME(linear_singles)(dv, base, in->slot_columns + q0, in->slot_negative + q0, q1 - q0, rn, in->row_noise, noise,
                                     &n_up, &n_down);
            if (pu) {
                for (int64_t q = q0; q < q1; q++) {
                    int64_t k = base + in->slot_columns[q];
                    if (rn == in->slot_negative[q]) pd[k] += 1; else pu[k] += 1;
                }
            }
        } else {
            for (int64_t a = 0; a < in->active_count; a++) {
                int n = CPK_NAME(popcount64)(in->masks[a] & md);
                if (n == 0) continue;
                int64_t k = base + in->columns[a];
                int is_down = rn == in->negative[a];
                CPK_NAME(linear_apply)(dv, k, n, is_down, noise);
                if (is_down) n_down += (uint64_t)n; else n_up += (uint64_t)n;
                if (pu) { if (is_down) pd[k] += (uint32_t)n; else pu[k] += (uint32_t)n; }
            }
        }
    }
    *up += n_up;
    *down += n_down;
}

// MARK: Bit lines

static CPK_ATTR int64_t CPK_NAME(popcount_sum)(const uint64_t *words, int64_t count) {
    int64_t total = 0;
    for (int64_t i = 0; i < count; i++) total += CPK_NAME(popcount64)(words[i]);
    return total;
}

// MARK: Write noise

static CPK_ATTR void CPK_NAME(materialize_write_noise)(uint8_t *dirty, const float *hidden, float *apparent, int64_t count,
                                                      float scale, cpk_noise *noise) {
    int64_t k = 0;
    for (; k + 32 <= count; k += 32) {
        uint64_t w[4];
        memcpy(w, dirty + k, sizeof w);
        if ((w[0] | w[1] | w[2] | w[3]) == 0) continue;
        for (int64_t i = k; i < k + 32; i++) {
            if (dirty[i] == 0) continue;
            float z = CPK_NAME(gaussian)(noise);
            apparent[i] = hidden[i] + scale * z;
            dirty[i] = 0;
        }
    }
    for (; k < count; k++) {
        if (dirty[k] == 0) continue;
        float z = CPK_NAME(gaussian)(noise);
        apparent[k] = hidden[k] + scale * z;
        dirty[k] = 0;
    }
}
