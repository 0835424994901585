/* Shared helpers of the multi-threaded hand-written references (see README.md):
 * wall clock, a random number generator, the threads' partition of the neurons, the barrier
 * between a step's phases, per-thread spike records and their checksum.
 *
 * The barrier is OpenMP's own (`#pragma omp barrier`, libgomp's default policy: spin
 * GOMP_SPINCOUNT times, then sleep on a futex) unless the program is built with
 * -DSPIN_BARRIER: then a sense-reversing barrier that spins with `pause` and only yields the
 * CPU after a long spin (about 1 ms), the kind of barrier a loop of ~10-50 us steps on
 * dedicated cores wants. Both are built and measured (README).
 */
#ifndef HANDC_MT_H
#define HANDC_MT_H
#define _POSIX_C_SOURCE 199309L
#include <immintrin.h>
#include <math.h>
#include <omp.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 64

static inline double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* CPU seconds the calling thread has run (not waited for a vCPU, not slept) */
static inline double thread_cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void *alloc_aligned(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
    if (!p) { fprintf(stderr, "out of memory (%zu bytes)\n", bytes); exit(1); }
    return p;
}

/* ---- xoshiro256** seeded through splitmix64 ----------------------------------------- */
typedef struct { uint64_t s[4]; } rng_t;

static inline uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static inline void rng_seed(rng_t *r, uint64_t seed) {
    for (int k = 0; k < 4; k++) r->s[k] = splitmix64(&seed);
}
static inline uint64_t rng_next(rng_t *r) {
    uint64_t *s = r->s;
    const uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}
static inline double rng_uniform(rng_t *r) { return (rng_next(r) >> 11) * 0x1.0p-53; }      /* [0,1) */
static inline double rng_uniform_pos(rng_t *r) { return ((rng_next(r) >> 11) + 1) * 0x1.0p-53; } /* (0,1] */

/* ---- standard normals: ziggurat with 256 strips (Marsaglia & Tsang 2000) -------------
 * zx[k] is the right edge of strip k (zx[0]: the base strip's width as if it were a
 * rectangle, zx[256] = 0), zf[k] = exp(-zx[k]^2/2). One 64-bit draw decides strip, sign and
 * position; ~99 % of draws are accepted by one comparison. */
#define ZIG_STRIPS 256
#define ZIG_R 3.6541528853610088
#define ZIG_AREA 0.00492867323399
static double zx[ZIG_STRIPS + 1], zf[ZIG_STRIPS + 1];

static inline void normal_tables(void) {
    const double f_r = exp(-0.5 * ZIG_R * ZIG_R);
    zx[0] = ZIG_AREA / f_r;
    zx[1] = ZIG_R;
    for (int k = 2; k < ZIG_STRIPS; k++)
        zx[k] = sqrt(-2.0 * log(ZIG_AREA / zx[k - 1] + exp(-0.5 * zx[k - 1] * zx[k - 1])));
    zx[ZIG_STRIPS] = 0.0;
    for (int k = 0; k <= ZIG_STRIPS; k++) zf[k] = exp(-0.5 * zx[k] * zx[k]);
}

static inline double normal_rejected(rng_t *r, uint64_t u) {
    for (;;) {
        const int k = (int)(u & 0xff);
        const double sign = (u & 0x100) ? -1.0 : 1.0;
        const double x = ((u >> 11) * 0x1.0p-53) * zx[k];
        if (x < zx[k + 1]) return sign * x;
        if (k == 0) {                     /* the tail beyond R (Marsaglia 1964) */
            double a, b;
            do {
                a = -log(rng_uniform_pos(r)) / ZIG_R;
                b = -log(rng_uniform_pos(r));
            } while (b + b < a * a);
            return sign * (ZIG_R + a);
        }
        if (zf[k + 1] + rng_uniform(r) * (zf[k] - zf[k + 1]) < exp(-0.5 * x * x)) return sign * x;
        u = rng_next(r);
    }
}

static inline double rng_normal(rng_t *r) {
    const uint64_t u = rng_next(r);
    const int k = (int)(u & 0xff);
    const double x = ((u >> 11) * 0x1.0p-53) * zx[k];
    if (__builtin_expect(x < zx[k + 1], 1)) return (u & 0x100) ? -x : x;
    return normal_rejected(r, u);
}

/* ---- which neurons a thread owns: [first, end) in whole blocks of `unit` ------------- */
static inline int part_begin(int n_units, int unit, int thread, int threads) {
    return (int)((int64_t)n_units * thread / threads) * unit;
}

/* ---- the barrier ----------------------------------------------------------------------- */
#ifdef SPIN_BARRIER
static struct {
    _Alignas(64) atomic_int waiting;
    _Alignas(64) atomic_int sense;
} spin_bar;
#define SPINS_BEFORE_YIELD 100000   /* ~1 ms of `pause` on this machine */
static inline void barrier(int threads, int *my_sense) {
    *my_sense = !*my_sense;
    if (atomic_fetch_add_explicit(&spin_bar.waiting, 1, memory_order_acq_rel) == threads - 1) {
        atomic_store_explicit(&spin_bar.waiting, 0, memory_order_relaxed);
        atomic_store_explicit(&spin_bar.sense, *my_sense, memory_order_release);
        return;
    }
    for (long k = 0; atomic_load_explicit(&spin_bar.sense, memory_order_acquire) != *my_sense; k++) {
        _mm_pause();
        if (k > SPINS_BEFORE_YIELD) sched_yield();
    }
}
#define BARRIER_NAME "spin"
#else
static inline void barrier(int threads, int *my_sense) {
    (void)threads; (void)my_sense;
#pragma omp barrier
}
#define BARRIER_NAME "omp"
#endif

/* ---- spikes a thread records: (neuron, step), growable -------------------------------- */
typedef struct {
    int32_t *neuron;
    int32_t *step;
    size_t n, cap;
    long events;          /* synaptic events this thread delivered */
    double cpu_s;         /* CPU seconds of this thread in the loop */
    char pad[64];
} record_t;

static inline void record_spike(record_t *r, int neuron, long step) {
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 1 << 14;
        r->neuron = realloc(r->neuron, sizeof(int32_t) * r->cap);
        r->step = realloc(r->step, sizeof(int32_t) * r->cap);
        if (!r->neuron || !r->step) { fprintf(stderr, "out of memory\n"); exit(1); }
    }
    r->neuron[r->n] = neuron;
    r->step[r->n] = (int32_t)step;
    r->n++;
}

/* An order-independent fingerprint of every (neuron, step): equal at any thread count iff
 * (barring a 2^-64 collision) the same spikes were emitted. */
static uint64_t spikes_hash(const record_t *records, int threads, size_t *total) {
    uint64_t h = 0;
    *total = 0;
    for (int t = 0; t < threads; t++) {
        for (size_t k = 0; k < records[t].n; k++) {
            uint64_t x = ((uint64_t)records[t].step[k] << 32) | (uint32_t)records[t].neuron[k];
            h += splitmix64(&x);
        }
        *total += records[t].n;
    }
    return h;
}

/* "[cpu of thread 0, cpu of thread 1, ...]" for the JSON line */
static const char *threads_cpu(const record_t *records, int threads) {
    static char text[32 * MAX_THREADS];
    size_t used = 0;
    text[used++] = '[';
    for (int t = 0; t < threads; t++)
        used += snprintf(text + used, sizeof text - used, "%s%.6f", t ? ", " : "", records[t].cpu_s);
    snprintf(text + used, sizeof text - used, "]");
    return text;
}

static int threads_arg(const char *text) {
    const int t = text ? atoi(text) : 1;
    if (t < 1 || t > MAX_THREADS) { fprintf(stderr, "threads must be 1..%d\n", MAX_THREADS); exit(2); }
    return t;
}

#endif
