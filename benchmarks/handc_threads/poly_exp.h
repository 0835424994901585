/* exp written out for gcc to vectorise: the shared reference hh.c's Cody-Waite reduction
 * and degree-12 Taylor polynomial (~1 ulp). Inputs are clamped to [-708, 709]: no
 * overflow to inf and no subnormal results (HH's arguments stay far inside). Used by
 * hh_mt.c and by the inline_exp.h experiment, so both compute the same exp. */
#ifndef POLY_EXP_H
#define POLY_EXP_H
#include <stdint.h>
#include <string.h>

static inline double poly_exp(double x) {
    x = x < -708.0 ? -708.0 : x;
    x = x > 709.0 ? 709.0 : x;
    const int32_t k = (int32_t)(x * 0x1.71547652b82fep0 + 1024.5) - 1024;   /* round(x/ln2) */
    const double kd = (double)k;
    double r = x - kd * 0x1.62e42fefa39efp-1;
    r = r - kd * 0x1.abc9e3b39803fp-56;
    double q = 1.0 / 479001600.0;
    q = q * r + 1.0 / 39916800.0;
    q = q * r + 1.0 / 3628800.0;
    q = q * r + 1.0 / 362880.0;
    q = q * r + 1.0 / 40320.0;
    q = q * r + 1.0 / 5040.0;
    q = q * r + 1.0 / 720.0;
    q = q * r + 1.0 / 120.0;
    q = q * r + 1.0 / 24.0;
    q = q * r + 1.0 / 6.0;
    q = q * r + 0.5;
    q = q * r + 1.0;
    q = q * r + 1.0;
    uint64_t u;
    memcpy(&u, &q, 8);
    u += (uint64_t)(int64_t)k << 52;
    memcpy(&q, &u, 8);
    return q;
}
#endif
