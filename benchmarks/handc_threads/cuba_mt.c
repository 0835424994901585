/* CUBA on T threads: the network of eqsnn's benchmark model `cuba` (benchmarks/specs.py,
 * models_eqsnn.py) with the arithmetic of the single-threaded reference cuba.c.
 *
 * N LIF neurons, 0.8 N excitatory; every pair (i, j) connected with p = 80/N (Bernoulli,
 * self-connections allowed), from an excitatory source ge[j] += we, from an inhibitory one
 * gi[j] += wi, no delay (seen by the next step's update). dt = 0.1 ms, method 'exact',
 * refractory 5 ms (v held), v(0) = Vr + U(0,1) (Vt - Vr).
 *
 * Threads: one OpenMP team for the whole loop. Thread t owns the neurons [lo_t, hi_t)
 * (whole blocks of 32) and, for every source, the row of that source's synapses onto its
 * own targets (a CSR per thread). A step is
 *   1. update, threshold and reset of its own neurons; its spikes go to its own list
 *      spikes[step % 2][t] and its own spike record;
 *   2. the barrier;
 *   3. propagation of every thread's list (in thread order = neuron order) into its own
 *      targets only: no atomics, no second barrier.
 * The lists are double-buffered: a thread that runs ahead writes step s+1's list into the
 * other buffer while the others still read step s's, and cannot reach step s+2 (which
 * reuses the buffer) before every thread has passed step s+1's barrier, i.e. finished
 * reading. Every addition into ge[j] or gi[j] is of the same constant, so the state is
 * bit-identical at any thread count (checked by the checksum and spike hash it prints).
 *
 * The synapses and their propagation (prefetched a group of 32 spikes at a time;
 * -DPREFETCH=0: not) are synapses.h's, shared with cobahh_mt.c.
 *
 * usage: ./cuba_mt [seed] [duration_s] [N] [threads]       prints one JSON line
 */
#include "mt.h"
#include "synapses.h"

#define BLOCK 32

/* select a where mask is all ones, b where it is zero (exact, branch-free) */
static inline double bsel(uint64_t m, double a, double b) {
    uint64_t ua, ub, r;
    double d;
    memcpy(&ua, &a, 8); memcpy(&ub, &b, 8);
    r = (ua & m) | (ub & ~m);
    memcpy(&d, &r, 8);
    return d;
}

int main(int argc, char **argv) {
    const double t_process = now_s();
    const uint64_t seed = argc > 1 ? strtoull(argv[1], 0, 10) : 1;
    const double duration = argc > 2 ? atof(argv[2]) : 1.0;
    const int N = argc > 3 ? atoi(argv[3]) : 100000;
    const int threads = threads_arg(argc > 4 ? argv[4] : NULL);
    const int Ne = (int)(0.8 * N);

    const double dt = 0.1e-3, taum = 20e-3, taue = 5e-3, taui = 10e-3;
    const double Vt = -50e-3, Vr = -60e-3, El = -49e-3;
    const double we = 60 * 0.27 / 10 * 1e-3, wi = -20 * 4.5 / 10 * 1e-3;
    const double p = 80.0 / N;
    const int refractory_steps = 50;                 /* timestep(5 ms, 0.1 ms) */
    const long steps = lround(duration / dt);
    const double Pmm = exp(-dt / taum), Pee = exp(-dt / taue), Pii = exp(-dt / taui);
    const double Pme = taue / (taue - taum) * (Pee - Pmm);
    const double Pmi = taui / (taui - taum) * (Pii - Pmm);
    const double c0 = El * (1.0 - Pmm);              /* v' = c0 + v Pmm + ge Pme + gi Pmi */

    const int Npad = (N + BLOCK - 1) / BLOCK * BLOCK;
    int lo[MAX_THREADS + 1];
    for (int t = 0; t <= threads; t++) lo[t] = part_begin(Npad / BLOCK, BLOCK, t, threads);
    lo[threads] = N;   /* the last thread's partial block is padding beyond N */

    rng_t rng;
    rng_seed(&rng, seed);
    double *v = alloc_aligned(sizeof(double) * Npad), *ge = alloc_aligned(sizeof(double) * Npad);
    double *gi = alloc_aligned(sizeof(double) * Npad);
    double *lastspike = alloc_aligned(sizeof(double) * Npad);   /* step of the last spike */
    for (int i = 0; i < Npad; i++) {
        v[i] = i < N ? Vr + rng_uniform(&rng) * (Vt - Vr) : Vr;
        ge[i] = gi[i] = 0.0;
        lastspike[i] = i < N ? -1e9 : 1e300;   /* padding is never out of refractoriness */
    }
    rows_t rows[MAX_THREADS];
    size_t n_synapses;
    connect(N, p, &rng, threads, lo, rows, &n_synapses);

    int32_t *spikes[2][MAX_THREADS];
    int n_spikes[2][MAX_THREADS];
    record_t records[MAX_THREADS];
    memset(records, 0, sizeof records);
    for (int t = 0; t < threads; t++)
        for (int b = 0; b < 2; b++) spikes[b][t] = malloc(sizeof(int32_t) * (lo[t + 1] - lo[t] + BLOCK));

    omp_set_num_threads(threads);
    omp_set_dynamic(0);
    double loop_s = 0.0;
#pragma omp parallel
    {
        const int t = omp_get_thread_num();
        if (omp_get_num_threads() != threads) { fprintf(stderr, "got %d threads\n", omp_get_num_threads()); exit(1); }
        const int first = lo[t], end = t == threads - 1 ? Npad : lo[t + 1];
        const int64_t *restrict row = rows[t].row;
        const int32_t *restrict target = rows[t].target;
        record_t *rec = &records[t];
        int sense = 0;
        long events = 0;
#pragma omp barrier
        const double started = now_s(), cpu_started = thread_cpu_s();
        for (long step = 0; step < steps; step++) {
            const int buffer = (int)(step & 1);
            const double s = (double)step, refractory_start = s - refractory_steps;
            double *restrict V = v, *restrict GE = ge, *restrict GI = gi, *restrict LS = lastspike;
            int32_t *restrict mine = spikes[buffer][t];
            int ns = 0;
            for (int b0 = first; b0 < end; b0 += BLOCK) {
                uint64_t any = 0;
                for (int i = b0; i < b0 + BLOCK; i++) {
                    const double ls = LS[i], vo = V[i], g1 = GE[i], g2 = GI[i];
                    const double vint = c0 + vo * Pmm + g1 * Pme + g2 * Pmi;
                    const uint64_t active = -(uint64_t)(ls <= refractory_start);
                    const double vn = bsel(active, vint, vo);
                    const uint64_t spike = active & -(uint64_t)(vn > Vt);
                    V[i] = bsel(spike, Vr, vn);
                    LS[i] = bsel(spike, s, ls);
                    GE[i] = g1 * Pee;
                    GI[i] = g2 * Pii;
                    any |= spike;
                }
                if (any)
                    for (int i = b0; i < b0 + BLOCK; i++)
                        if (LS[i] == s) mine[ns++] = i;
            }
            n_spikes[buffer][t] = ns;
            for (int k = 0; k < ns; k++) record_spike(rec, mine[k], step);
            barrier(threads, &sense);
            events += propagate(spikes[buffer], n_spikes[buffer], threads, row, target, Ne, GE, GI,
                                we, wi);
        }
        rec->events = events;
        rec->cpu_s = thread_cpu_s() - cpu_started;
#pragma omp barrier
        if (t == 0) loop_s = now_s() - started;
    }

    size_t total;
    const uint64_t hash = spikes_hash(records, threads, &total);
    long events = 0;
    for (int t = 0; t < threads; t++) events += records[t].events;
    double vsum = 0;
    for (int i = 0; i < N; i++) vsum += v[i];
    printf("{\"model\": \"cuba\", \"n\": %d, \"threads\": %d, \"barrier\": \"%s\", \"duration_s\": %g, "
           "\"steps\": %ld, \"synapses\": %zu, \"spikes\": %zu, \"rate_hz\": %.4f, \"syn_events\": %ld, "
           "\"spike_hash\": \"%016llx\", \"checksum_v\": %.17g, \"loop_s\": %.6f, "
           "\"thread_cpu_s\": %s, \"process_internal_s\": %.6f}\n",
           N, threads, BARRIER_NAME, duration, steps, n_synapses, total, total / (N * duration), events,
           (unsigned long long)hash, vsum, loop_s, threads_cpu(records, threads), now_s() - t_process);
    return 0;
}
