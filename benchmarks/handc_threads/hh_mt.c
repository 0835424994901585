/* N uncoupled Traub-Miles HH neurons on T threads: eqsnn's benchmark model `hh`
 * (benchmarks/specs.py HH_EQUATIONS, HH_NAMESPACE, HH_THRESHOLD, HH_REFRACTORY) with the
 * arithmetic of the single-threaded reference hh.c.
 *
 * I_i = 0.7 nA i / N, dt = 0.01 ms, 1 s, El = -60 mV, VT = -63 mV, v(0) = El, m = n = h = 0.
 * threshold v > -20 mV, refractory 3 ms (300 steps; v keeps integrating: no 'unless
 * refractory'), as Brian2: not_refractory = step - lastspike >= 300 at the update, and a
 * spike needs v' > -20 mV and not_refractory.
 * Integration: exponential Euler (Brian2's method on this model): every variable x gets
 * x' = -B/A + (x + B/A) exp(A dt), A and B from the old state.
 *
 * Two builds of the same arithmetic, as hh.c (the channels in hh_channels.h, shared with
 * cobahh_mt.c):
 *   default   inline branch-free exp (Cody-Waite reduction, degree-12 Taylor polynomial)
 *             that gcc vectorises, shared subexpressions across the rates: 8 exp per
 *             neuron-step;
 *   -DHH_LIBM exp()/expm1() written as the model reads (10 calls per neuron-step),
 *             vectorised by gcc through glibc's libmvec (link -lmvec), as eqsnn's
 *             generated loop is.
 *
 * Threads: the neurons are uncoupled, so thread t takes its block of neurons (whole blocks
 * of 8) for the whole run and records its own spikes: no barrier inside the loop. Each
 * thread's block is updated step by step like the single-threaded program (state stays in
 * its L1/L2: 1000 neurons x 7 doubles = 56 kB).
 *
 * usage: ./hh_mt [N] [duration_s] [threads]       prints one JSON line
 */
#include "mt.h"
#include "hh_channels.h"

#define BLOCK 8

/* neurons [first, end) for the whole run */
static void run_block(int first, int end, long steps, double *restrict v, double *restrict m,
                      double *restrict n, double *restrict h, const double *restrict I,
                      double *restrict lastspike, record_t *rec) {
    /* mV, ms, nA, uS, nF; area 20000 um^2 */
    const double dt = 0.01, Cm = 0.2, gl = 0.01, gna = 20.0, gk = 6.0;
    const double El = -60.0, EK = -90.0, ENa = 50.0;
    const int refractory_steps = 300;
    for (long step = 0; step < steps; step++) {
        const double s = (double)step, refractory_start = s - refractory_steps;
        int any = 0;
        for (int i = first; i < end; i++) {
            const double vo = v[i], mo = m[i], no = n[i], ho = h[i];
            const gates_t next = hh_gates(vo, mo, no, ho, dt);
            const double gNa = gna * mo * mo * mo * ho, gK = gk * (no * no) * (no * no);
            const double gtot = gl + gNa + gK;
            const double BAv = -(gl * El + gNa * ENa + gK * EK + I[i]) / gtot;
            const double vn = -BAv + (vo + BAv) * HH_EXP(-gtot / Cm * dt);
            m[i] = next.m;
            n[i] = next.n;
            h[i] = next.h;
            v[i] = vn;
            const int spike = (lastspike[i] <= refractory_start) & (vn > -20.0);
            lastspike[i] = spike ? s : lastspike[i];
            any |= spike;
        }
        if (any)
            for (int i = first; i < end; i++)
                if (lastspike[i] == s) record_spike(rec, i, step);
    }
}

int main(int argc, char **argv) {
    const double t_process = now_s();
    const int N = argc > 1 ? atoi(argv[1]) : 1000;
    const double duration = argc > 2 ? atof(argv[2]) : 1.0;
    const int threads = threads_arg(argc > 3 ? argv[3] : NULL);
    const long steps = lround(duration * 1e3 / 0.01);

    double *v = alloc_aligned(sizeof(double) * N), *m = alloc_aligned(sizeof(double) * N);
    double *n = alloc_aligned(sizeof(double) * N), *h = alloc_aligned(sizeof(double) * N);
    double *I = alloc_aligned(sizeof(double) * N), *lastspike = alloc_aligned(sizeof(double) * N);
    for (int i = 0; i < N; i++) {
        v[i] = -60.0; m[i] = n[i] = h[i] = 0.0;
        I[i] = 0.7 * i / N;
        lastspike[i] = -1e9;
    }
    record_t records[MAX_THREADS];
    memset(records, 0, sizeof records);

    omp_set_num_threads(threads);
    omp_set_dynamic(0);
    double loop_s = 0.0;
    const double started = now_s();
#pragma omp parallel
    {
        const int t = omp_get_thread_num();
        const int units = (N + BLOCK - 1) / BLOCK;
        const int first = part_begin(units, BLOCK, t, threads);
        int end = part_begin(units, BLOCK, t + 1, threads);
        end = end < N ? end : N;
        const double cpu_started = thread_cpu_s();
        run_block(first, end, steps, v, m, n, h, I, lastspike, &records[t]);
        records[t].cpu_s = thread_cpu_s() - cpu_started;
    }
    loop_s = now_s() - started;

    size_t total;
    const uint64_t hash = spikes_hash(records, threads, &total);
    int silent = 0;
    for (int i = 0; i < N; i++) silent += lastspike[i] < 0;
    double vsum = 0;
    for (int i = 0; i < N; i++) vsum += v[i];
    printf("{\"model\": \"hh\", \"variant\": \"%s\", \"n\": %d, \"threads\": %d, \"duration_s\": %g, "
           "\"steps\": %ld, \"spikes\": %zu, \"rate_hz\": %.4f, \"n_silent\": %d, "
           "\"spike_hash\": \"%016llx\", \"checksum_v\": %.17g, \"loop_s\": %.6f, "
           "\"thread_cpu_s\": %s, \"process_internal_s\": %.6f}\n",
           HH_VARIANT, N, threads, duration, steps, total, total / (N * duration), silent,
           (unsigned long long)hash, vsum, loop_s, threads_cpu(records, threads), now_s() - t_process);
    return 0;
}
