/* The Traub-Miles channels of eqsnn's benchmark models `hh` and `cobahh`
 * (benchmarks/specs.py _HH_CHANNELS) in mV and ms: the rate functions and the gates'
 * exponential-Euler step, written once for hh_mt.c and cobahh_mt.c (the shared reference
 * hh.c's arithmetic). Each gate x gets x' = -B/A + (x + B/A) exp(A dt), A = -(alpha +
 * beta), B = alpha, both from the old v.
 *
 * Two builds of the same arithmetic:
 *   default   inline branch-free exp (poly_exp.h) that gcc vectorises, shared
 *             subexpressions across the rates: 7 exp per neuron-step for the rates and
 *             the gates (8 with the caller's HH_EXP of v);
 *   -DHH_LIBM exp()/expm1() written as the model reads, vectorised by gcc through glibc's
 *             libmvec (link -lmvec), as eqsnn's generated loop is.
 */
#ifndef HANDC_HH_CHANNELS_H
#define HANDC_HH_CHANNELS_H
#include <math.h>

#ifndef HH_LIBM
#include "poly_exp.h"
/* x / (e^x - 1) given e^x, a series near 0 */
static inline double inv_exprel_from(double x, double ex) {
    const double quotient = x / (ex - 1.0), series = 1.0 - 0.5 * x;
    return fabs(x) < 1e-6 ? series : quotient;
}
#define HH_EXP poly_exp
#define HH_VARIANT "inline_exp"
#else
/* glibc tells gcc of its vector exp and expm1 (libmvec) only under __FAST_MATH__, which
 * -fno-finite-math-only takes away: declared here as glibc declares them (link -lmvec),
 * the loop calls them 4 or 8 lanes at a time, as eqsnn's generated loop does */
#if defined(__GLIBC__) && !defined(__FAST_MATH__)
extern double exp(double) __attribute__((__simd__("notinbranch")));
extern double expm1(double) __attribute__((__simd__("notinbranch")));
#endif
static inline double exprel(double x) { return fabs(x) < 1e-16 ? 1.0 : expm1(x) / x; }
#define HH_EXP exp
#define HH_VARIANT "libm"
#endif

#define HH_VT (-63.0)   /* mV */

typedef struct { double m, n, h; } gates_t;

/* the gates one step of dt (ms) after (mo, no, ho) at membrane potential vo (mV) */
static inline gates_t hh_gates(double vo, double mo, double no, double ho, double dt) {
    const double VT = HH_VT;
#ifndef HH_LIBM
    const double x1 = (13.0 - vo + VT) * 0.25;   /* alpha_m = 1.28 / exprel(x1) */
    const double x2 = (vo - VT - 40.0) * 0.2;    /* beta_m  = 1.4 / exprel(x2) */
    const double x3 = (15.0 - vo + VT) * 0.2;    /* alpha_n = 0.16 / exprel(x3), x3 = -x2 - 5 */
    const double e1 = poly_exp(x1), e2 = poly_exp(x2), ie2 = 1.0 / e2;
    const double e3 = 0x1.b993fe00d5376p-8 * ie2; /* e^-5 / e^x2 */
    const double am = 1.28 * inv_exprel_from(x1, e1);
    const double bm = 1.4 * inv_exprel_from(x2, e2);
    const double an = 0.16 * inv_exprel_from(x3, e3);
    const double bn = 0.5 * poly_exp((10.0 - vo + VT) * 0.025);
    const double ah = 0.128 * poly_exp((17.0 - vo + VT) * (1.0 / 18.0));
    const double bh = 4.0 / (1.0 + ie2);          /* exp((40 - v + VT)/5) = 1/e2 */
#else
    const double am = 1.28 / exprel((13.0 - vo + VT) / 4.0);
    const double bm = 1.4 / exprel((vo - VT - 40.0) / 5.0);
    const double an = 0.16 / exprel((15.0 - vo + VT) / 5.0);
    const double bn = 0.5 * exp((10.0 - vo + VT) / 40.0);
    const double ah = 0.128 * exp((17.0 - vo + VT) / 18.0);
    const double bh = 4.0 / (1.0 + exp((40.0 - vo + VT) / 5.0));
#endif
    const double Am = -(am + bm), BAm = am / Am;
    const double An = -(an + bn), BAn = an / An;
    const double Ah = -(ah + bh), BAh = ah / Ah;
    const gates_t next = {-BAm + (mo + BAm) * HH_EXP(Am * dt), -BAn + (no + BAn) * HH_EXP(An * dt),
                          -BAh + (ho + BAh) * HH_EXP(Ah * dt)};
    return next;
}

#endif
