/* What two threads get from this machine's two vCPUs right now, for five kinds of work.
 *
 * Each probe is a fixed amount of work (~20 ms on one thread). It is timed on one thread
 * alone (t1, the other vCPU idle) and then on two threads at once, each doing the same
 * work on its own data (t2, from a barrier before to a barrier after both). The probe's
 * 2-thread capacity is 2 t1 / t2: 2.0 when the second vCPU is a core of its own, ~1 when
 * the two share one core (hyperthreads of a host core with nothing left to share, or a
 * host that runs one vCPU at a time), in between when the host takes some of the time.
 *
 *   chain   a dependent chain of scalar multiply-adds: latency-bound, one operation in
 *           flight; two hyperthreads of one core would still get ~2.0 here, so a low value
 *           means the host gives a vCPU less time (steal)
 *   fma     eight independent vector multiply-add chains: the core's FMA pipes full, what
 *           two hyperthreads would have to share
 *   exp     glibc's vector exp (libmvec, 4 lanes, called through the PLT as eqsnn's loops
 *           call it) over an array in L1
 *   iexp    the inline exp of poly_exp.h over the same array (what hh_mt.c and cobahh_mt.c
 *           use by default)
 *   stream  a private 1.6 MB array per thread updated in place: CUBA 10^5's neuron state
 *           per thread per step, above one vCPU's 1 MB L2, so both threads stream from L3
 *           or memory at once
 *
 * Every probe is measured REPEATS (3) times, t1 and t2 alternating; the output is one line,
 * each probe's lowest and highest 2 t1 / t2:
 *     chain 1.93-1.98 fma 1.85-2.01 exp 1.98-2.03 iexp 1.84-1.96 stream 1.55-1.91
 * (benchmarks/handc_threads/rounds.py logs it at the start of every round).
 *
 * usage: ./capacity [repeats]
 */
#include "mt.h"
#include "poly_exp.h"

/* libmvec's exp for the vectorised loop, declared as glibc does under __FAST_MATH__
 * (see hh_channels.h) */
#if defined(__GLIBC__) && !defined(__FAST_MATH__)
extern double exp(double) __attribute__((__simd__("notinbranch")));
#endif

#define EXP_LENGTH 2048                       /* 16 kB in, 16 kB out: L1 */
#define STREAM_LENGTH (200 * 1000)            /* 1.6 MB of doubles */

typedef double v4d __attribute__((vector_size(32)));

/* tells gcc that memory may have changed: a round of work cannot be hoisted out of the
 * loop of rounds, nor the rounds interchanged with the loop over the array */
#define OPAQUE() __asm__ volatile("" ::: "memory")

/* Each probe returns a value that depends on all its work, so that none is optimised
 * away; `data` is the calling thread's own scratch (STREAM_LENGTH + 2 EXP_LENGTH doubles). */
static double chain(double *data) {
    double x = data[0];
    for (long k = 0; k < 16 * 1000 * 1000; k++) x = x * 0.999999 + 1e-7;
    return x;
}

static double fma_throughput(double *data) {
    v4d acc[8];
    for (int j = 0; j < 8; j++) acc[j] = (v4d){data[j], data[j], data[j], data[j]};
    const v4d a = {0.999999, 0.999999, 0.999999, 0.999999}, b = {1e-7, 1e-7, 1e-7, 1e-7};
    for (long k = 0; k < 18 * 1000 * 1000; k++)
        for (int j = 0; j < 8; j++) acc[j] = acc[j] * a + b;
    double sum = 0;
    for (int j = 0; j < 8; j++) sum += acc[j][0] + acc[j][1] + acc[j][2] + acc[j][3];
    return sum;
}

static double exp_libmvec(double *data) {
    double *restrict in = data + STREAM_LENGTH, *restrict out = in + EXP_LENGTH, sum = 0;
    for (int round = 0; round < 12000; round++) {
        for (int i = 0; i < EXP_LENGTH; i++) out[i] = exp(in[i]);
        sum += out[round % EXP_LENGTH];
        OPAQUE();
    }
    return sum;
}

static double exp_inline(double *data) {
    double *restrict in = data + STREAM_LENGTH, *restrict out = in + EXP_LENGTH, sum = 0;
    for (int round = 0; round < 12000; round++) {
        for (int i = 0; i < EXP_LENGTH; i++) out[i] = poly_exp(in[i]);
        sum += out[round % EXP_LENGTH];
        OPAQUE();
    }
    return sum;
}

static double stream(double *data) {
    double *restrict a = data;
    for (int round = 0; round < 600; round++) {
        for (int i = 0; i < STREAM_LENGTH; i++) a[i] = a[i] * 0.999999 + 1e-7;
        OPAQUE();
    }
    return a[STREAM_LENGTH / 2];
}

typedef double (*probe_t)(double *);
static const struct { const char *name; probe_t work; } PROBES[] = {
    {"chain", chain}, {"fma", fma_throughput}, {"exp", exp_libmvec}, {"iexp", exp_inline},
    {"stream", stream},
};
#define N_PROBES (int)(sizeof PROBES / sizeof PROBES[0])

static volatile double sink;   /* where every probe's result goes */

/* seconds of `work` on one thread, the other idle (the thread pool's spinning has
 * stopped: it sleeps after a few ms) */
static double alone(probe_t work, double *data) {
    const struct timespec pause = {0, 5 * 1000 * 1000};
    nanosleep(&pause, NULL);
    const double started = now_s();
    sink = work(data);
    return now_s() - started;
}

/* seconds of `work` on two threads at once, each on its own data, barrier to barrier */
static double together(probe_t work, double *const data[2]) {
    double seconds = 0;
#pragma omp parallel num_threads(2)
    {
        const int t = omp_get_thread_num();
#pragma omp barrier
        const double started = now_s();
        const double result = work(data[t]);
#pragma omp barrier
        if (t == 0) seconds = now_s() - started;
        if (t == 1) sink = result;
    }
    return seconds;
}

int main(int argc, char **argv) {
    const int repeats = argc > 1 ? atoi(argv[1]) : 3;
    const size_t doubles = STREAM_LENGTH + 2 * EXP_LENGTH;
    double *data[2];
    for (int t = 0; t < 2; t++) {
        data[t] = alloc_aligned(sizeof(double) * doubles);
        for (size_t i = 0; i < doubles; i++) data[t][i] = 0.5 + 1e-6 * (double)(i % 1000);
        for (int i = 0; i < EXP_LENGTH; i++)   /* exp's arguments: HH's range, -10..10 */
            data[t][STREAM_LENGTH + i] = -10.0 + 20.0 * i / EXP_LENGTH;
    }
    omp_set_dynamic(0);
    sink = together(chain, data);   /* start the thread pool, fault the pages in */
    for (int p = 0; p < N_PROBES; p++) {
        double low = 1e300, high = 0;
        for (int r = 0; r < repeats; r++) {
            const double one = alone(PROBES[p].work, data[0]);
            const double two = together(PROBES[p].work, data);
            const double capacity = 2.0 * one / two;
            low = capacity < low ? capacity : low;
            high = capacity > high ? capacity : high;
        }
        printf("%s%s %.2f-%.2f", p ? " " : "", PROBES[p].name, low, high);
    }
    printf("\n");
    return 0;
}
