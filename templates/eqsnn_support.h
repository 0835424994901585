/* eqsnn_support.h — the C side of eqsnn's built-in functions.
 *
 * Included by every generated network module (`cdef extern from "eqsnn_support.h"`);
 * the compiler passes -I for the installed eqsnn.templates folder. Everything here is
 * `static inline` so each module gets its own copy and the optimiser can hoist the
 * loop-invariant parts of the random number generator out of the neuron loop.
 *
 * eqsnn/codegen/numpy_support.py is the numpy twin of this file: the uniforms are
 * bit-identical, the normals agree to rounding. Change both together (the hash of this
 * file is part of the compile-cache key, so a change here rebuilds every module).
 */
#ifndef EQSNN_SUPPORT_H
#define EQSNN_SUPPORT_H

#include <math.h>
#include <stdint.h>

/* ---- vectorised math (x86-64 glibc) ------------------------------------------------
 * glibc's libmvec has SIMD versions of exp, log, sin, cos, pow (since 2.22) and of most
 * other functions (since 2.35), and math.h announces them to gcc — but only under
 * __FAST_MATH__, which gcc stops defining as soon as one fast-math flag is taken back.
 * eqsnn compiles with -fno-finite-math-only (NaN checks must survive), so without the
 * declarations below every loop that calls exp stays scalar (the HH update, exprel).
 * These redeclare the functions with the same `simd("notinbranch")` attribute glibc
 * uses; the module links -lmvec (see eqsnn/compiler/options.py). libmvec is accurate to
 * 4 ulp and handles NaN, infinities and overflow like the scalar functions. */
#if defined(__x86_64__) && defined(__GLIBC__) && !defined(__FAST_MATH__) \
    && !defined(EQSNN_NO_LIBMVEC)
#define EQSNN_SIMD_DECL __attribute__((__simd__("notinbranch")))
extern double exp(double) EQSNN_SIMD_DECL;
extern double log(double) EQSNN_SIMD_DECL;
extern double sin(double) EQSNN_SIMD_DECL;
extern double cos(double) EQSNN_SIMD_DECL;
extern double pow(double, double) EQSNN_SIMD_DECL;
#if __GLIBC_PREREQ(2, 35)
extern double expm1(double) EQSNN_SIMD_DECL;
extern double log1p(double) EQSNN_SIMD_DECL;
extern double tan(double) EQSNN_SIMD_DECL;
extern double sinh(double) EQSNN_SIMD_DECL;
extern double cosh(double) EQSNN_SIMD_DECL;
extern double tanh(double) EQSNN_SIMD_DECL;
extern double asin(double) EQSNN_SIMD_DECL;
extern double acos(double) EQSNN_SIMD_DECL;
extern double atan(double) EQSNN_SIMD_DECL;
extern double atan2(double, double) EQSNN_SIMD_DECL;
#endif
#endif

/* ---- exp and expm1: eqsnn_exp, eqsnn_expm1 -----------------------------------------
 * Every exp and expm1 of generated code calls these (the printers' table,
 * eqsnn/equations/functions.py), and so do exprel and its relatives below. With
 * CompilerOptions(exp="libm") they are the C library's exp and expm1 (libmvec's,
 * declared above, in vectorised loops: within 4 ulp). CompilerOptions(exp="inline")
 * (eqsnn/compiler/options.py) compiles with -DEQSNN_EXP_INLINE, and they are eqsnn's
 * own, written out here: gcc inlines them into the neuron loops and vectorises them with
 * no call, and every neuron gets the same value whether the loop runs it in a vector of
 * 8, of 4 or alone (libmvec's vector exp and glibc's scalar one differ in the last
 * bits). A libmvec call makes gcc spill the live vector registers around it; written
 * out, exp takes ~30 vector instructions (expm1 ~38) against libmvec's ~25 and the call
 * (a table, a gather and a degree-3 polynomial, accurate to 4 ulp). Which is faster is
 * the CPU's business: on Intel Rocket Lake (session 7) the HH and COBAHH loops were
 * 5-16 % slower with these than with libmvec's, on AMD Zen 4 (session 11) they took
 * 5-37 % less time, so the default is chosen by the CPU (exp_for_cpu in options.py;
 * docs/internals.md).
 *
 * One reduction serves both: x = k ln2 + r, k = rint(x/ln2), |r| <= ln2/2, then
 *   e^r - 1 = r + r^2 P(r),  P of degree 9 (interpolating (e^r - 1 - r)/r^2 at the
 *                            Chebyshev nodes of [-ln2/2, ln2/2]; its error is below
 *                            1.6e-17 relative to e^r; tests/codegen/test_exp.py
 *                            recomputes the coefficients with mpmath),
 *   exp(x)   = 2^k (1 + (e^r - 1)),
 *   expm1(x) = 2^k (e^r - 1) + (2^k - 1), summed with fma: no cancellation near 0,
 *              where k = 0 and the result is r + r^2 P(r) itself.
 * ln2 is split (Cody and Waite) into LN2_HI, whose 32 significant bits make k*LN2_HI
 * and x - k*LN2_HI exact for |k| < 2^20, and LN2_LO.
 * Against 50-digit mpmath over [-750, 712] (tests/codegen/test_exp.py): exp within
 * 1.05 ulp (measured 1.00), expm1 within 1.5 ulp (measured 1.36), in ulps of the exact
 * result (glibc's scalar functions: 1 ulp; libmvec's: 4).
 * Specials as glibc: exp(+inf) = inf and inf above 709.78 (overflow), exp(-inf) = 0,
 * gradual underflow to subnormals from -708.40 and 0 below -745.13; expm1(-inf) = -1,
 * expm1(+inf) = inf, expm1(-0) = -0; NaN in, NaN out (the NaN check after each chunk
 * must see it). They are selections, not branches: the loop stays vectorised.
 *
 * Under -ffast-math gcc may reassociate floating-point arithmetic; what the formulas
 * need it not to do is written so that it cannot: every rounding step of the
 * reduction, the polynomial and expm1's sum is an explicit fma (reassociation does not
 * split or merge fma calls), and 2^k is added to the exponent bits as an integer taken
 * from the bits of k + 1.5*2^52 (not the shifter trick (x/ln2 + c) - c, which gcc
 * folds). Compiled without fma instructions (-march of a CPU without them), they are
 * the C library's. Checked with gcc 12. */
#if defined(EQSNN_EXP_INLINE) && defined(__FMA__)
#define EQSNN_INLINE_EXP 1
#endif

#ifdef EQSNN_INLINE_EXP
#define EQSNN_LOG2E 0x1.71547652b82fep0
#define EQSNN_LN2_HI 0x1.62e42fefp-1           /* ln2 to 32 bits */
#define EQSNN_LN2_LO 0x1.473de6af278edp-34     /* ln2 - EQSNN_LN2_HI */
#define EQSNN_SHIFTER 0x1.8p52  /* k + 1.5*2^52 holds the integer k in its low bits */
#define EQSNN_EXP_MAX 709.782712893384          /* the largest x whose exp is finite */

/* P(r) = (e^r - 1 - r)/r^2 for |r| <= ln2/2 (the bound holds to |r| = 0.35) */
static inline double eqsnn_exp_polynomial(double r)
{
    double p = 0x1.af389eea54156p-26;
    p = __builtin_fma(p, r, 0x1.28917c9f3a495p-22);
    p = __builtin_fma(p, r, 0x1.71de0db2eb873p-19);
    p = __builtin_fma(p, r, 0x1.a019b914881bap-16);
    p = __builtin_fma(p, r, 0x1.a01a01a7c2f2cp-13);
    p = __builtin_fma(p, r, 0x1.6c16c17889f3cp-10);
    p = __builtin_fma(p, r, 0x1.11111111109b5p-7);
    p = __builtin_fma(p, r, 0x1.5555555553d68p-5);
    p = __builtin_fma(p, r, 0x1.5555555555556p-3);
    return __builtin_fma(p, r, 0x1.0000000000001p-1);
}

/* k << 52 for a whole number kd, |kd| < 2^51: kd + EQSNN_SHIFTER is exact and holds k
 * in its low bits, whose shift by 52 drops the shifter's (vectorises where a conversion
 * of doubles to 64-bit integers may not: AVX2) */
static inline int64_t eqsnn_exp_k_bits(double kd)
{
    union { double d; int64_t i; } shifted = {kd + EQSNN_SHIFTER};
    return (int64_t)((uint64_t)shifted.i << 52);
}

/* y * 2^k for 2^k given as k << 52 and y > 0 such that y * 2^k is a normal number: its
 * exponent bits plus k (exact, one integer addition) */
static inline double eqsnn_exp_scaled(double y, int64_t k_bits)
{
    union { double d; int64_t i; } bits = {y};
    bits.i += k_bits;
    return bits.d;
}

static inline double eqsnn_exp(double x)
{
    x = x < -746.0 ? -746.0 : x;  /* (e^-746 rounds to 0; -inf too; a NaN passes) */
    const double kd = __builtin_rint(x * EQSNN_LOG2E);
    const double r = __builtin_fma(kd, -EQSNN_LN2_LO, __builtin_fma(kd, -EQSNN_LN2_HI, x));
    const double p = 1.0 + __builtin_fma(r * r, eqsnn_exp_polynomial(r), r);
    const int64_t k_bits = eqsnn_exp_k_bits(kd);
    /* below e^-708 (2^-1021) the result may be subnormal: scaled to 2^64 times it, a
     * normal number, then multiplied by 2^-64, rounded once */
    const double y = x < -708.0
        ? eqsnn_exp_scaled(p, k_bits + (INT64_C(64) << 52)) * 0x1p-64
        : eqsnn_exp_scaled(p, k_bits);
    /* overflow: inf (x * inf; a NaN stays NaN, where k_bits were not a number's) */
    return !(x <= EQSNN_EXP_MAX) ? x * __builtin_inf() : y;
}

static inline double eqsnn_expm1(double x)
{
    x = x < -60.0 ? -60.0 : x;  /* (expm1 is -1 to the last bit below -38; -inf too) */
    const double kd = __builtin_rint(x * EQSNN_LOG2E);
    const double high = __builtin_fma(kd, -EQSNN_LN2_HI, x);     /* exact */
    const double r = __builtin_fma(kd, -EQSNN_LN2_LO, high);
    const double low = __builtin_fma(kd, -EQSNN_LN2_LO, high - r); /* x - k ln2 = r + low */
    /* t = e^(r + low) - 1 - r */
    const double t = __builtin_fma(r * r, eqsnn_exp_polynomial(r), low);
    /* expm1(x) = 2 (h t + (h r + (h - 1/2))) with h = 2^(k-1), a normal number for every
     * k here (-87 <= k <= 1024): the sum 2^k - 1 + 2^k r is rounded once (where k = 1 its
     * terms nearly cancel, and without low, r's rounding error would be 2 ulp of the
     * result), then + 2^k t */
    const double h = eqsnn_exp_scaled(0.5, eqsnn_exp_k_bits(kd));
    const double y = 2.0 * __builtin_fma(h, t, __builtin_fma(h, r, h - 0.5));
    /* overflow: inf (x * inf; a NaN stays NaN); |x| < 2^-54: x itself, correctly rounded
     * (the halved sum would round a subnormal x, and give +0 for -0) */
    return !(x <= EQSNN_EXP_MAX) ? x * __builtin_inf() : fabs(x) < 0x1p-54 ? x : y;
}
#else
static inline double eqsnn_exp(double x) { return exp(x); }
static inline double eqsnn_expm1(double x) { return expm1(x); }
#endif

/* ---- exprel(x) = (exp(x) - 1)/x, exprel(0) = 1 ------------------------------------
 * One formula on every backend (the numpy twin is eqsnn/codegen/numpy_support.py):
 *   |x| < 1e-5:  1 + x/2 + x^2/6        (truncation x^3/24 relative: below 4.2e-17)
 *   otherwise:   h*((h + 2)/x), h = expm1(x/2)
 * since e^x - 1 = (e^(x/2) - 1)(e^(x/2) + 1). expm1(x)/x would be as accurate but
 * overflows for 709.78 < x < 716.1, where exprel itself is finite; the halved argument
 * does not (h is finite up to x = 1419), and it costs no more: one expm1, one division.
 * The series also keeps (h + 2)/x from overflowing at subnormal x. Relative error
 * against 50-digit mpmath over |x| in [1e-320, 1e3]: within 3e-16 with glibc's expm1
 * (tests/codegen/test_exprel.py; libmvec's 4-ulp expm1 adds at most ~1e-15).
 * Large negative x tends to -1/x; x > 716.1 overflows to +inf, as exp does. */
static inline double eqsnn_exprel(double x)
{
    if (fabs(x) < 1e-5)
        return 1.0 + x * (0.5 + x * (1.0 / 6.0));
    const double h = eqsnn_expm1(0.5 * x);
    return h * ((h + 2.0) / x);
}

/* ---- 1/exprel, and exprel from an exp computed once for several calls -------------
 * eqsnn/lowering/exponentials.py rewrites c/exprel(x) as c*eqsnn_inv_exprel(x) (one
 * division instead of two) and, where a model calls exp/exprel of arguments that differ
 * by a constant (HH: beta_m's x, alpha_n's -5 - x, beta_h's -x), evaluates one exp and
 * derives the others from it: e = exp(x) = p/q comes in, exprel(x) = (p - q)/(x q). Near 0
 * that subtraction cancels: errors of k ulp in p and q become about k ulp * e/|e - 1| in
 * the result, at most 4.5 k ulp for |x| >= 1/4. Below, a Taylor series, whose truncation is under
 * 1.1e-17 (exprel, degree 11) and 3.6e-17 (1/exprel, degree 10) relative for |x| < 1/4.
 * Relative error against 50-digit mpmath (tests/lowering/test_shared_exponentials.py):
 * the test's bound is 3e-15 with libmvec's 4-ulp exp (measured: 1.3e-15 in C, 5.6e-16 with
 * numpy's exp). The numpy twins are in eqsnn/codegen/numpy_support.py. */
#define EQSNN_EXPREL_SERIES 0.25
static inline double eqsnn_exprel_series(double x)
{
    return 1.0 + x * (1.0 / 2 + x * (1.0 / 6 + x * (1.0 / 24 + x * (1.0 / 120 + x * (
        1.0 / 720 + x * (1.0 / 5040 + x * (1.0 / 40320 + x * (1.0 / 362880 + x * (
        1.0 / 3628800 + x * (1.0 / 39916800 + x * (1.0 / 479001600)))))))))));
}

static inline double eqsnn_inv_exprel_series(double x)
{
    /* x/(e^x - 1) = sum of B_n x^n/n! (Bernoulli numbers; odd ones vanish but B_1) */
    const double x2 = x * x;
    return 1.0 - 0.5 * x + x2 * (1.0 / 12 + x2 * (-1.0 / 720 + x2 * (1.0 / 30240 + x2 * (
        -1.0 / 1209600 + x2 * (1.0 / 47900160)))));
}

/* e = exp(x) = p/q: (p, q) = (exp(d)*E, 1) or (exp(d), E) for a shared E, so that
 * neither form needs a division more than the formula's own. q is capped at 1e200 (the
 * shared exp of -x, x < -460): x*q cannot overflow to inf/inf = NaN for |x| < 1e100,
 * and e = p/q < 1e-191 there (p <= e^20) is nothing beside 1, so the result is the
 * limit -1/x, -x to the last bit; a NaN q stays NaN */
static inline double eqsnn_exprel_from_exp(double x, double p, double q)
{
    q = q > 1e200 ? 1e200 : q;
    return fabs(x) < EQSNN_EXPREL_SERIES ? eqsnn_exprel_series(x) : (p - q) / (x * q);
}

static inline double eqsnn_inv_exprel_from_exp(double x, double p, double q)
{
    q = q > 1e200 ? 1e200 : q;
    return fabs(x) < EQSNN_EXPREL_SERIES ? eqsnn_inv_exprel_series(x) : x * q / (p - q);
}

/* x/expm1(x): expm1 is accurate to the last bits everywhere (no cancellation), and
 * x/inf = 0 where expm1 overflows, the right limit; only 0/0 at x = 0 needs the series
 * (used for |x| < 1e-5, truncation below 1e-20) */
static inline double eqsnn_inv_exprel(double x)
{
    return fabs(x) < 1e-5 ? 1.0 - 0.5 * x + x * x * (1.0 / 12) : x / eqsnn_expm1(x);
}

/* ---- floor, ceil and int() of a quotient n/q, q a whole number > 1 -----------------
 * SymPy distributes a rational factor over a sum: (i - 5)/3 is i/3 - 5/3, -2.2e-16 at
 * i = 5 in floating point, so floor, int() and % stepped early at exact multiples. The
 * printer gathers such an argument back into n/q (eqsnn/printers/quotients.py)
 * and calls these. Under -ffast-math gcc computes n/q as n*(1/q) (49*(1/49.0) is
 * 0.9999999999999999), so the rounded quotient r is corrected by the products r*q and
 * (r + 1)*q, exact for whole numbers below 2^53: the result is the floor of the exact
 * quotient of n by q. The numpy twin computes the same. */
static inline double eqsnn_floor_quotient(double n, double q)
{
    const double r = floor(n / q);
    return r + (((r + 1.0) * q <= n) ? 1.0 : 0.0) - ((r * q > n) ? 1.0 : 0.0);
}

static inline double eqsnn_ceil_quotient(double n, double q)
{
    const double r = ceil(n / q);
    return r - (((r - 1.0) * q >= n) ? 1.0 : 0.0) + ((r * q < n) ? 1.0 : 0.0);
}

static inline double eqsnn_trunc_quotient(double n, double q)
{
    return (n < 0.0) ? eqsnn_ceil_quotient(n, q) : eqsnn_floor_quotient(n, q);
}

/* ---- clip(x, low, high) -------------------------------------------------------------
 * Written as two comparisons (not fmin/fmax) so that it vectorises to min/max and a NaN
 * in x propagates (the NaN check after each chunk must see blow-ups). */
static inline double eqsnn_clip(double x, double low, double high)
{
    x = (x < low) ? low : x;
    return (x > high) ? high : x;
}

/* ---- counter-based random numbers ---------------------------------------------------
 * A random number is a pure function of (seed, stream, counter): no state is carried
 * from one draw to the next, so results do not depend on chunking, loop order or the
 * number of workers, and the numpy backend can draw the same numbers vectorised.
 *
 * The runtime gives each operation a stream (operation id << 32, plus the call-site id k
 * of rand(k)/randn(k)) and each draw a counter (time step * N + neuron index).
 *
 *   eqsnn_mix64(z)       the splitmix64 finaliser: a bijection on 64-bit integers with
 *                        full avalanche (every input bit flips each output bit with
 *                        probability about 1/2).
 *   eqsnn_key(seed, stream) = mix64(mix64(seed ^ 0x9E3779B97F4A7C15) + stream)
 *                        distinct (seed, stream) pairs give unrelated 64-bit keys; it is
 *                        loop-invariant, so the compiler computes it once per loop.
 *   eqsnn_bits(seed, stream, counter) = mix64(key + counter * 0xD1B54A32D192ED03)
 *                        for a fixed key, a bijection of the counter (odd multiplier).
 *   eqsnn_uniform(...)   = (bits >> 11) * 2^-53: the top 53 bits, uniform on the grid
 *                        {0, 2^-53, ..., 1 - 2^-53}, so in [0, 1) and exact in double.
 *   eqsnn_normal(seed, stream, c): Box–Muller from the two uniforms
 *                        u1 = eqsnn_uniform(seed, ~stream, 2*c),
 *                        u2 = eqsnn_uniform(seed, ~stream, 2*c + 1),
 *                        z = sqrt(-2 log(1 - u1)) * cos(2 pi u2).
 *                        The complemented stream keeps normals apart from the uniforms
 *                        of the same stream (streams used by the runtime are < 2^63);
 *                        1 - u1 is in (0, 1], so the logarithm is finite.
 * All arithmetic is modulo 2^64 (unsigned wraparound is defined in C).
 */
static inline uint64_t eqsnn_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static inline uint64_t eqsnn_key(uint64_t seed, uint64_t stream)
{
    return eqsnn_mix64(eqsnn_mix64(seed ^ UINT64_C(0x9E3779B97F4A7C15)) + stream);
}

static inline uint64_t eqsnn_bits(uint64_t seed, uint64_t stream, uint64_t counter)
{
    return eqsnn_mix64(eqsnn_key(seed, stream) + counter * UINT64_C(0xD1B54A32D192ED03));
}

static inline double eqsnn_uniform(uint64_t seed, uint64_t stream, uint64_t counter)
{
    return (double)(eqsnn_bits(seed, stream, counter) >> 11) * 0x1.0p-53;
}

static inline double eqsnn_normal(uint64_t seed, uint64_t stream, uint64_t counter)
{
    const double u1 = eqsnn_uniform(seed, ~stream, 2 * counter);
    const double u2 = eqsnn_uniform(seed, ~stream, 2 * counter + 1);
    return sqrt(-2.0 * log(1.0 - u1)) * cos(6.283185307179586 * u2);
}

/* ---- the threads' parts of a group's neurons ------------------------------------
 * (templates/network.c.j2 uses them; tests/runtime/test_thread_chunks.py checks them) */
/* The units the elements are cut at: EQSNN_BLOCK, 64 elements (a threshold's unit of
 * work), so no two threads share a cache line of doubles or of 32-bit spike indices;
 * EQSNN_FINE_BLOCK, 16 (a cache line of 32-bit values, two of doubles), for steps in
 * batches whose operations touch only their own thread's neurons (codegen/barriers.py,
 * Batch.fine): there the shares differ by 16 neurons at most instead of 64 (HH 1000 on
 * 2 threads: 496 and 504, not 512 and 488, whose difference was ~80 us of work per batch
 * of 256 steps, the batch length until session 8 (now at most 128), more than the other thread spins before it sleeps). A part's length is
 * a multiple of the unit except at the end, so every neuron goes through the same
 * vector instructions as on one thread. */
#define EQSNN_BLOCK 64
#define EQSNN_FINE_BLOCK 16
/* A group's state update and threshold in one pass (update_threshold.c.j2) go through
 * the thread's block in tiles of this many neurons (a multiple of EQSNN_BLOCK): a tile
 * is updated, then tested while it is in L1 (CUBA: 32 bytes a neuron, 8 KB; COBAHH 56,
 * 14 KB). Each tile's update loop has its once-per-loop costs (gcc's run-time checks
 * that the arrays do not overlap, before its vector loop), which tiles of one block of
 * 64 would pay 4 times as often (session 12: COBAHH 4000, 2 threads, 1.01-1.06 of the
 * unfused loop with those). */
#ifndef EQSNN_FUSED_TILE
#define EQSNN_FUSED_TILE 256  /* (tests build with other sizes) */
#endif
#if EQSNN_FUSED_TILE % EQSNN_BLOCK != 0 || EQSNN_FUSED_TILE <= 0
#error "EQSNN_FUSED_TILE must be a positive multiple of EQSNN_BLOCK (every tile starts where a block of the unfused loop would)"
#endif
/* The first element of part t of n elements cut into nt parts of whole units of `unit`
 * elements: part t is [eqsnn_block(n, t, nt, unit), eqsnn_block(n, t + 1, nt, unit)). */
static inline int64_t eqsnn_block(int64_t n, int64_t t, int64_t nt, int64_t unit)
{
    const int64_t units = (n + unit - 1) / unit;
    const int64_t first = unit * (units * t / nt);
    return first < n ? first : n;
}

/* Where the threads share out the operations before a step's barrier (codegen/
 * barriers.py, chunked_run), each thread's block is cut into chunks of whole blocks of
 * EQSNN_BLOCK (EQSNN_CHUNK_BLOCKS of them at least, at most EQSNN_MAX_CHUNKS chunks per
 * thread), and a thread that is done with its own chunks takes those left of another.
 * The threads then meet at the barrier within about a chunk's work of each other, so a
 * chunk should be short against how far apart the threads drift in a step: on this
 * project's Zen 4 VM the two vCPUs' speeds differ from step to step by 5-100 us in
 * COBAHH 16 000's steps of ~100 us, and with chunks of 16 blocks (14 us of its work) the
 * threads waited 12-15 % of the loop at the barrier; with chunks of 4 blocks (3.2 us),
 * 3.5-4 % (session 13, benchmarks/waits.py; docs/threads.md). Claims stay few: an owner
 * claims half of what is left at once, as one range (31 chunks: 16, 8, 4, 2, 1).
 * With c chunks per thread, chunk k is part k of c*nt, and thread t's chunks
 * t*c ... t*c + c - 1 are exactly its block:
 * eqsnn_block(n, t*c, c*nt, EQSNN_BLOCK) = eqsnn_block(n, t, nt, EQSNN_BLOCK).
 * A block that would make fewer than EQSNN_MIN_CHUNKS chunks stays whole (one chunk,
 * which no other thread takes: that would move the whole imbalance to the taker):
 * Izhikevich 1000 on 2 threads, 8 blocks a thread, measured slower with chunks of 1 block
 * (session 12). */
#ifndef EQSNN_MAX_CHUNKS
#define EQSNN_MAX_CHUNKS 32
#endif
#ifndef EQSNN_MIN_CHUNKS
#define EQSNN_MIN_CHUNKS 4
#endif
/* A thread that has done its own chunks takes another thread's while more than
 * EQSNN_STEAL_LEAVE of them are left unclaimed (default 0: any left, but never an owner's
 * only chunk). A chunk's neurons are in its owner's caches (its owner ran them in the
 * last step, and propagated onto them), so the thief fetches every line of them from the
 * owner's core, and the owner fetches them back in the next step: with chunks of 16
 * blocks, session 8 (Intel VM) kept the last 2 to their owner (CUBA 16 000 0.89 of the
 * loop time against taking any, CUBA 100 000 0.97). With chunks of 4 blocks, taking any
 * measured faster on session 13's Zen 4 VM (benchmarks/ab.py, 2 threads, 9-15 runs:
 * COBAHH 16 000 0.97-0.98 of main's loop, CUBA 16 000 0.90-0.95), and leaving 2 slower
 * for CUBA 16 000 (1.25-1.87: its chunks are a fraction of a microsecond of work). */
#ifndef EQSNN_STEAL_LEAVE
#define EQSNN_STEAL_LEAVE 0
#endif
#if EQSNN_MAX_CHUNKS > 64 || EQSNN_MAX_CHUNKS < 1
#error "EQSNN_MAX_CHUNKS: 1 to 64 chunks a thread"
#endif
/* the cells of a thread's chunk counts for one step (network.c.j2): whole cache lines of
 * 8 counts (a thread reading another's misses 4 lines at 32 chunks, not 32) */
#define EQSNN_CHUNK_CELLS ((EQSNN_MAX_CHUNKS + 7) / 8 * 8)
#ifndef EQSNN_CHUNK_BLOCKS
#define EQSNN_CHUNK_BLOCKS 4  /* (tests build with fewer) */
#endif
/* the owners of at most this many chunks are never helped (network.c.j2) */
#define EQSNN_STEAL_ABOVE (EQSNN_STEAL_LEAVE > 1 ? EQSNN_STEAL_LEAVE : 1)
static inline int64_t eqsnn_chunks_per_thread(int64_t n, int64_t nt)
{
    if (nt == 1) return 1;  /* (nobody to share with) */
    const int64_t c = (n + EQSNN_BLOCK - 1) / EQSNN_BLOCK / nt / EQSNN_CHUNK_BLOCKS;
    return c < EQSNN_MIN_CHUNKS ? 1 : c > EQSNN_MAX_CHUNKS ? EQSNN_MAX_CHUNKS : c;
}

/* ---- the threads' barrier between the operations of a step --------------------------
 * The step loop runs on one OpenMP team; where an operation needs what another thread
 * wrote, every thread waits here (eqsnn/codegen/barriers.py places these). A step lasts
 * microseconds, so how a thread waits decides whether threads pay:
 *  - sleeping at once (libgomp with OMP_WAIT_POLICY=passive) costs 15-40 us per barrier
 *    on a KVM guest (the partner's futex wake-up goes through the hypervisor): CUBA 4000
 *    on 2 threads ran 13x slower than on 1;
 *  - spinning (libgomp's default, or any fixed spin count) costs ~0.3 us while the
 *    partner runs, but on a machine whose cores are busy with other programs the partner
 *    is often not running, and every barrier then burns the whole spin: 3 CPU hogs made
 *    CUBA 4000 on 2 threads 17x (20 us of spin) to 300x (active) slower than on 1.
 * So each thread adapts its spin: a wait the spin covered restores the full budget
 * (~40 us), one it had to sleep through halves it. On a quiet machine the budget stays
 * full; when the partner keeps missing (a busy machine), it drops to a few pause
 * instructions and the thread sleeps on a futex (Linux; elsewhere it yields) — the
 * cost of a wake-up instead of a burnt spin, and on a machine with more runnable
 * threads than cores a spinning thread takes the core its partner waits for. But a
 * sleeping thread is late by its wake-up (5-30 us on this VM), so its partner's next
 * spin fails too: after one stall of a vCPU, both threads could reach the floor and
 * sleep at every barrier for the rest of the call (CUBA 4000 on 2 threads 4x slower,
 * 89-99 % of its barriers reached at the floor; benchmarks/waits.py). So a thread at
 * the floor probes: after EQSNN_PROBE_FIRST (16) sleeps there it spins the full budget
 * once more. If that spin is covered, both recover; if not (the machine is busy) it
 * halves down again, and the next probe waits twice as many sleeps (up to 1024), so a
 * busy machine pays a burnt spin ever more rarely. (Restoring the budget after every
 * short sleep instead made 2 threads 7x slower beside other programs: the spin took
 * the core the partner needed, the partner came soon after it slept, and the budget
 * was full again. Starting low and doubling after each covered wait was slower on a
 * quiet machine, for the wake-ups.) The thread arriving last wakes sleepers only if
 * there are any. Measurements: docs/threads.md. */
#if defined(_OPENMP) && !defined(__cplusplus)
#include <stdatomic.h>
#if defined(__linux__)
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#else
#include <sched.h>
#endif

#ifndef EQSNN_SPIN_MIN
#define EQSNN_SPIN_MIN 8
#endif
#ifndef EQSNN_SPIN_MAX
#define EQSNN_SPIN_MAX 2048   /* pause loops: ~40 us on session 5's Zen 4 VM, ~20 us on session 8's Xeon */
#endif
#ifndef EQSNN_PROBE_FIRST
#define EQSNN_PROBE_FIRST 16  /* sleeps at the floor before the first probe, */
#endif
#ifndef EQSNN_PROBE_LAST
#define EQSNN_PROBE_LAST 1024 /* and at most (doubling after each probe that failed) */
#endif

/* A thread's spin budget (pause loops before it sleeps), how many waits it slept
 * through at the floor since its last probe, and how many before its next. */
typedef struct {
    int64_t budget, misses, interval;
} eqsnn_spin_t;
#define EQSNN_SPIN_INIT {EQSNN_SPIN_MAX, 0, EQSNN_PROBE_FIRST}

typedef struct {
    _Alignas(64) atomic_uint generation;   /* barriers completed: the futex word */
    atomic_int sleeping;                   /* threads waiting on the futex */
    _Alignas(64) atomic_long arrived;      /* threads at the current barrier */
    char _pad[64 - sizeof(atomic_long)];
} eqsnn_barrier_t;

static inline void eqsnn_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static inline void eqsnn_sleep_while(atomic_uint* word, unsigned value)
{
#if defined(__linux__)
    syscall(SYS_futex, (unsigned*)word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
#else
    (void)word; (void)value;
    sched_yield();
#endif
}

static inline void eqsnn_wake_all(atomic_uint* word)
{
#if defined(__linux__)
    syscall(SYS_futex, (unsigned*)word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
    (void)word;
#endif
}

/* A wait the spin covered: the full budget again. */
static inline void eqsnn_spin_covered(eqsnn_spin_t* spin)
{
    spin->budget = EQSNN_SPIN_MAX;
    spin->misses = 0;
    spin->interval = EQSNN_PROBE_FIRST;
}

/* A wait the thread is about to sleep through: half the budget, or at the floor, a
 * probe now and then (see above). */
static inline void eqsnn_spin_missed(eqsnn_spin_t* spin)
{
    if (spin->budget > EQSNN_SPIN_MIN) {
        spin->budget /= 2;
    } else if (++spin->misses >= spin->interval) {  /* probe: spin fully next time */
        spin->budget = EQSNN_SPIN_MAX;
        spin->misses = 0;
        if (spin->interval < EQSNN_PROBE_LAST) spin->interval *= 2;
    }
}

/* All nt threads of the team call it; *spin is the calling thread's budget. Everything
 * a thread wrote before the barrier is visible to every thread after it (release on the
 * generation by the last arriver, acquire by the others). */
#if defined(EQSNN_TRACE_WAITS) && defined(__x86_64__)
#define eqsnn_barrier eqsnn_barrier_untraced  /* (traced below) */
#endif
static inline void eqsnn_barrier(eqsnn_barrier_t* b, int64_t nt, eqsnn_spin_t* spin)
{
    if (nt == 1) return;
    const unsigned generation = atomic_load_explicit(&b->generation, memory_order_acquire);
    if (atomic_fetch_add_explicit(&b->arrived, 1, memory_order_acq_rel) == nt - 1) {
        atomic_store_explicit(&b->arrived, 0, memory_order_relaxed);
        atomic_fetch_add_explicit(&b->generation, 1, memory_order_seq_cst);
        if (atomic_load_explicit(&b->sleeping, memory_order_seq_cst) > 0)
            eqsnn_wake_all(&b->generation);
        return;
    }
    for (int64_t k = 0; k < spin->budget; ++k) {
        if (atomic_load_explicit(&b->generation, memory_order_acquire) != generation) {
            eqsnn_spin_covered(spin);
            return;
        }
        eqsnn_pause();
    }
    eqsnn_spin_missed(spin);
    atomic_fetch_add_explicit(&b->sleeping, 1, memory_order_seq_cst);
    while (atomic_load_explicit(&b->generation, memory_order_seq_cst) == generation)
        eqsnn_sleep_while(&b->generation, generation);
    atomic_fetch_sub_explicit(&b->sleeping, 1, memory_order_relaxed);
}

/* ---- progress words: steps in batches without a barrier -----------------------------
 * (templates/network.c.j2, steps in batches) Each thread counts the batches it has done
 * in a word of its own, and thread 0 counts those it has recorded in another: a thread
 * waits only for the one word it needs (thread 0 for a batch to be done by everyone,
 * the others for a set of slots to be free), and only when it is that far ahead. A
 * word is written once a batch, on a line of its own (no thread's progress costs
 * another a miss before it reads it). It waits as at the barrier: a spin that adapts,
 * then the futex, and the writer wakes sleepers only if there are any (the store and
 * the count of sleepers are both sequentially consistent, so either the sleeper sees
 * the new count or the writer sees the sleeper). Counts compare modulo 2^32: a thread
 * is never 2^31 batches ahead. */
typedef struct {
    _Alignas(64) atomic_uint count;   /* batches done or recorded: the futex word */
    atomic_int sleeping;              /* threads waiting on it */
    char _pad[64 - sizeof(atomic_uint) - sizeof(atomic_int)];
} eqsnn_progress_t;

/* The word says `count` (release: everything written before is visible to a thread
 * that sees it). */
static inline void eqsnn_progress_publish(eqsnn_progress_t* p, uint32_t count)
{
    atomic_store_explicit(&p->count, count, memory_order_seq_cst);
    if (atomic_load_explicit(&p->sleeping, memory_order_seq_cst) > 0)
        eqsnn_wake_all(&p->count);
}

/* Whether the word says `count` or more (acquire). */
static inline int eqsnn_progress_reached(eqsnn_progress_t* p, uint32_t count)
{
    return (int32_t)(atomic_load_explicit(&p->count, memory_order_acquire) - count) >= 0;
}

/* Until the word says `count` or more; *spin is the calling thread's budget (the same
 * as at its barriers). */
#if defined(EQSNN_TRACE_WAITS) && defined(__x86_64__)
#define eqsnn_progress_wait eqsnn_progress_wait_untraced  /* (traced below) */
#endif
static inline void eqsnn_progress_wait(eqsnn_progress_t* p, uint32_t count, eqsnn_spin_t* spin)
{
    if (eqsnn_progress_reached(p, count)) return;
    for (int64_t k = 0; k < spin->budget; ++k) {
        eqsnn_pause();
        if (eqsnn_progress_reached(p, count)) {
            eqsnn_spin_covered(spin);
            return;
        }
    }
    eqsnn_spin_missed(spin);
    atomic_fetch_add_explicit(&p->sleeping, 1, memory_order_seq_cst);
    for (;;) {
        const unsigned now = atomic_load_explicit(&p->count, memory_order_seq_cst);
        if ((int32_t)(now - count) >= 0) break;
        eqsnn_sleep_while(&p->count, now);
    }
    atomic_fetch_sub_explicit(&p->sleeping, 1, memory_order_relaxed);
}

/* ---- a trace of every barrier (benchmarks only: EQSNN_CFLAGS=... -DEQSNN_TRACE_WAITS)
 * Each thread notes the time stamp counter when it arrives at a barrier and when it
 * leaves it; at the end of a call of the loop (eqsnn_trace_flush) every thread appends
 * its records to the file named by the environment variable EQSNN_TRACE_WAITS_FILE:
 * a header (thread, team size, records, ns per 10^6 ticks), then (arrive, leave, spin
 * budget on arriving) triples.
 * benchmarks/waits.py reads them. Never compiled into a user's library. */
#if defined(EQSNN_TRACE_WAITS) && defined(__x86_64__)
#undef eqsnn_barrier
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>
typedef struct { uint64_t arrive, leave, spin; } eqsnn_trace_record_t;
static _Thread_local eqsnn_trace_record_t* eqsnn_trace_records;
static _Thread_local int64_t eqsnn_trace_n, eqsnn_trace_capacity;
static _Thread_local uint64_t eqsnn_trace_tsc0;
static _Thread_local struct timespec eqsnn_trace_ts0;

static inline void eqsnn_trace_append(eqsnn_trace_record_t record)
{
    if (eqsnn_trace_n == eqsnn_trace_capacity) {
        eqsnn_trace_capacity = eqsnn_trace_capacity ? 2 * eqsnn_trace_capacity : 65536;
        eqsnn_trace_records = realloc(eqsnn_trace_records,
                                      sizeof(eqsnn_trace_record_t) * eqsnn_trace_capacity);
    }
    if (eqsnn_trace_n == 0) {
        clock_gettime(CLOCK_MONOTONIC, &eqsnn_trace_ts0);
        eqsnn_trace_tsc0 = __rdtsc();
    }
    eqsnn_trace_records[eqsnn_trace_n++] = record;
}

static inline void eqsnn_barrier(eqsnn_barrier_t* b, int64_t nt, eqsnn_spin_t* spin)
{
    const uint64_t arrive = __rdtsc(), budget = (uint64_t)spin->budget;
    eqsnn_barrier_untraced(b, nt, spin);
    eqsnn_trace_append((eqsnn_trace_record_t){arrive, __rdtsc(), budget});
}

/* the start of block k of a step (network.c.j2 marks each): a record whose budget
 * field is ~k */
static inline void eqsnn_trace_mark(int64_t k)
{
    const uint64_t now = __rdtsc();
    eqsnn_trace_append((eqsnn_trace_record_t){now, now, ~(uint64_t)k});
}
#define EQSNN_TRACE_MARK(k) eqsnn_trace_mark(k)

/* a wait for a progress word (steps in batches): a record from its start to its end
 * whose budget field is ~EQSNN_TRACE_RING */
#define EQSNN_TRACE_RING 2000
#undef eqsnn_progress_wait
static inline void eqsnn_progress_wait(eqsnn_progress_t* p, uint32_t count, eqsnn_spin_t* spin)
{
    const uint64_t arrive = __rdtsc();
    eqsnn_progress_wait_untraced(p, count, spin);
    eqsnn_trace_append((eqsnn_trace_record_t){arrive, __rdtsc(), ~(uint64_t)EQSNN_TRACE_RING});
}

static inline void eqsnn_trace_flush(int64_t tid, int64_t nt)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    const uint64_t tsc = __rdtsc();
    const char* path = getenv("EQSNN_TRACE_WAITS_FILE");
    if (path && eqsnn_trace_n > 0) {
        int64_t header[4] = {tid, nt, eqsnn_trace_n, 0};
        double ns = (ts.tv_sec - eqsnn_trace_ts0.tv_sec) * 1e9 + (ts.tv_nsec - eqsnn_trace_ts0.tv_nsec);
        header[3] = (int64_t)(1e6 * ns / (double)(tsc - eqsnn_trace_tsc0));
#pragma omp critical(eqsnn_trace)
        {
            FILE* f = fopen(path, "ab");
            if (f) {
                fwrite(header, sizeof header, 1, f);
                fwrite(eqsnn_trace_records, sizeof(eqsnn_trace_record_t), eqsnn_trace_n, f);
                fclose(f);
            }
        }
    }
    eqsnn_trace_n = 0;
}
#endif
#endif

/* ---- a call's time budget ------------------------------------------------------------
 * Python calls the loop for the rest of a run with a budget of wall time (runtime/
 * chunks.py: CHUNK_SECONDS); thread 0 ends the call at the first step (or batch)
 * boundary after it, so that Python looks at Ctrl-C, progress and NaN that often
 * however long a step takes, without first calling for a few steps to learn their
 * speed (network.c.j2). It reads the clock at the first step, then at every `every`-th,
 * doubled while two readings are less than EQSNN_BUDGET_GRAIN_NS apart: a clock reading
 * (~25 ns) per at least 20 us of steps, however short a step is. Only where the call
 * ends depends on the clock, never a result. */
#include <time.h>
#ifndef EQSNN_BUDGET_GRAIN_NS
#define EQSNN_BUDGET_GRAIN_NS 20000
#endif
#define EQSNN_BUDGET_EVERY_MAX 4096

/* a monotonic clock in ns (the C11 clock where the POSIX one is not declared) */
static inline int64_t eqsnn_now_ns(void)
{
    struct timespec ts;
#if defined(CLOCK_MONOTONIC)
    clock_gettime(CLOCK_MONOTONIC, &ts);
#else
    timespec_get(&ts, TIME_UTC);
#endif
    return (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
}

/* the call's end (INT64_MAX: no budget), the last reading, steps until the next one;
 * a cache line of its own (thread 0 writes it every step: network.c.j2 aligns it) */
typedef struct {
    int64_t deadline, last, countdown, every;
    int64_t pad[4];
} eqsnn_budget_t;

/* a budget of `ns` from now; ns < 0: none (the clock is never read) */
static inline void eqsnn_budget_start(eqsnn_budget_t* b, int64_t ns)
{
    b->deadline = INT64_MAX;
    b->last = 0;
    b->countdown = 1;
    b->every = 1;
    if (ns >= 0) {
        b->last = eqsnn_now_ns();
        b->deadline = ns < INT64_MAX - b->last ? b->last + ns : INT64_MAX - 1;
    }
}

/* whether the budget is spent (asked once per step or batch, by one thread; once it
 * says so, it always does) */
static inline int eqsnn_budget_spent(eqsnn_budget_t* b)
{
    if (b->deadline == INT64_MAX) return 0;
    if (b->last >= b->deadline) return 1;
    if (--b->countdown > 0) return 0;
    const int64_t now = eqsnn_now_ns();
    if (now - b->last < EQSNN_BUDGET_GRAIN_NS && b->every < EQSNN_BUDGET_EVERY_MAX)
        b->every *= 2;
    b->last = now;
    b->countdown = b->every;
    return now >= b->deadline;
}

#endif /* EQSNN_SUPPORT_H */
