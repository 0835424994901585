/* An experiment, not part of eqsnn: eqsnn's generated loop with hh_mt.c's inline exp
 * instead of glibc's libmvec, to tell the exp's cost on this VM from the threads'.
 * Force-included before the generated source, with -DEQSNN_NO_LIBMVEC so that
 * eqsnn_support.h declares no SIMD clones (README, "Rounds beside eqsnn"):
 *   EQSNN_CFLAGS="<eqsnn's DEFAULT_CFLAGS> -DEQSNN_NO_LIBMVEC -include inline_exp.h"
 * The exp is poly_exp.h's, as hh_mt.c's. Its inputs are clamped to [-708, 709]: no
 * overflow to inf, no subnormal results, which eqsnn itself must keep (its NaN/inf
 * checks) - fine for HH, whose arguments stay far inside. expm1 is a Taylor series for |x| <= 0.5 and exp(x) - 1 beyond. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "poly_exp.h"
static inline double eqsnn_x_expm1(double x) {
    /* |x| <= 0.5: Taylor to x^17 (truncation < 1e-19 relative); else exp(x) - 1 */
    double p = 1.0 + x / 17.0;
    p = 1.0 + x / 16.0 * p; p = 1.0 + x / 15.0 * p; p = 1.0 + x / 14.0 * p;
    p = 1.0 + x / 13.0 * p; p = 1.0 + x / 12.0 * p; p = 1.0 + x / 11.0 * p;
    p = 1.0 + x / 10.0 * p; p = 1.0 + x / 9.0 * p; p = 1.0 + x / 8.0 * p;
    p = 1.0 + x / 7.0 * p; p = 1.0 + x / 6.0 * p; p = 1.0 + x / 5.0 * p;
    p = 1.0 + x / 4.0 * p; p = 1.0 + x / 3.0 * p; p = 1.0 + x / 2.0 * p;
    const double small = x * p, large = poly_exp(x) - 1.0;
    return fabs(x) <= 0.5 ? small : large;
}
#define exp(x) poly_exp(x)
#define expm1(x) eqsnn_x_expm1(x)
