/* Izhikevich (2003) on T threads: eqsnn's benchmark model `izhikevich` (benchmarks/specs.py,
 * models_eqsnn.py). The single-threaded reference izhikevich.c is the same network at
 * dt = 0.1 ms with noise held for 1 ms; this one follows the benchmark instead.
 *
 * N neurons (0.8 N regular spiking, 0.2 N fast spiking, r ~ U(0,1) per neuron):
 *   exc: a = 0.02, b = 0.2, c = -65 + 15 r^2 mV, d = 8 - 6 r^2 mV, sigma = 5 mV
 *   inh: a = 0.02 + 0.08 r, b = 0.25 - 0.05 r, c = -65 mV, d = 2 mV, sigma = 2 mV
 *   v(0) = -65 mV, u(0) = b v.  dt = 0.5 ms, 1 s, Euler-Maruyama (Brian2's 'euler'):
 *   v' = v + dt (0.04 v^2 + 5 v + 140 - u) + sigma sqrt(dt) xi,  u' = u + dt a (b v - u)
 *   threshold v >= 30 mV; all-to-all synapses (self included), w = 0.5 U(0,1) mV from
 *   excitatory and -U(0,1) mV from inhibitory sources, on_pre v_post += w, no delay;
 *   reset v = c, u += d after the propagation (Brian2's schedule: thresholds, synapses,
 *   resets), so a neuron that spikes ends the step at c whatever it received.
 *
 * Threads: thread t owns neurons [lo_t, hi_t) and the columns of W onto them (W is
 * row = source, so a spike's row is read in each thread's own contiguous part). Every
 * neuron has its own random stream (xoshiro256** seeded from (seed, neuron)), so the
 * noise does not depend on who draws it. A step is
 *   1. noise and Euler update of its own neurons, threshold, its own spike list
 *      spikes[step % 2][t] and record;
 *   2. the barrier;
 *   3. every thread's spikes (in neuron order) added into its own targets, then the
 *      reset of its own spiking neurons.
 * Double-buffered lists, one barrier a step, as cuba_mt.c. A neuron's v receives its
 * inputs in the same order at any thread count, so results are bit-identical.
 *
 * usage: ./izhikevich_mt [seed] [duration_s] [N] [threads]       prints one JSON line
 */
#include "mt.h"

#define BLOCK 8

int main(int argc, char **argv) {
    const double t_process = now_s();
    const uint64_t seed = argc > 1 ? strtoull(argv[1], 0, 10) : 1;
    const double duration = argc > 2 ? atof(argv[2]) : 1.0;
    const int N = argc > 3 ? atoi(argv[3]) : 1000;
    const int threads = threads_arg(argc > 4 ? argv[4] : NULL);
    const int Ne = (int)(0.8 * N);
    const double h = 0.5;                           /* dt in ms */
    const double sqrt_h = sqrt(h);
    const long steps = lround(duration * 1e3 / h);

    normal_tables();
    rng_t rng;
    rng_seed(&rng, seed);
    double *v = alloc_aligned(sizeof(double) * N), *u = alloc_aligned(sizeof(double) * N);
    double *a = alloc_aligned(sizeof(double) * N), *b = alloc_aligned(sizeof(double) * N);
    double *c = alloc_aligned(sizeof(double) * N), *d = alloc_aligned(sizeof(double) * N);
    double *noise = alloc_aligned(sizeof(double) * N);   /* sigma sqrt(dt) */
    double *W = alloc_aligned(sizeof(double) * (size_t)N * N);
    rng_t *stream = alloc_aligned(sizeof(rng_t) * N);
    for (int i = 0; i < N; i++) {
        const double r = rng_uniform(&rng);
        if (i < Ne) { a[i] = 0.02; b[i] = 0.2; c[i] = -65 + 15 * r * r; d[i] = 8 - 6 * r * r; noise[i] = 5.0 * sqrt_h; }
        else { a[i] = 0.02 + 0.08 * r; b[i] = 0.25 - 0.05 * r; c[i] = -65; d[i] = 2; noise[i] = 2.0 * sqrt_h; }
        v[i] = -65;
        u[i] = b[i] * v[i];
        rng_seed(&stream[i], seed * 0x100000001b3ULL + (uint64_t)i + 1);
    }
    for (size_t k = 0; k < (size_t)N * N; k++)
        W[k] = k < (size_t)Ne * N ? 0.5 * rng_uniform(&rng) : -rng_uniform(&rng);

    int lo[MAX_THREADS + 1];
    for (int t = 0; t <= threads; t++) lo[t] = part_begin((N + BLOCK - 1) / BLOCK, BLOCK, t, threads);
    lo[threads] = N;
    int32_t *spikes[2][MAX_THREADS];
    int n_spikes[2][MAX_THREADS];
    record_t records[MAX_THREADS];
    memset(records, 0, sizeof records);
    for (int t = 0; t < threads; t++)
        for (int k = 0; k < 2; k++) spikes[k][t] = malloc(sizeof(int32_t) * (lo[t + 1] - lo[t] + 1));

    omp_set_num_threads(threads);
    omp_set_dynamic(0);
    double loop_s = 0.0;
#pragma omp parallel
    {
        const int t = omp_get_thread_num();
        const int first = lo[t], end = lo[t + 1];
        record_t *rec = &records[t];
        int sense = 0;
        long events = 0;
#pragma omp barrier
        const double started = now_s(), cpu_started = thread_cpu_s();
        for (long step = 0; step < steps; step++) {
            const int buffer = (int)(step & 1);
            int32_t *restrict mine = spikes[buffer][t];
            int ns = 0;
            for (int i = first; i < end; i++) {
                const double vo = v[i], uo = u[i];
                const double xi = rng_normal(&stream[i]);
                v[i] = vo + h * (0.04 * vo * vo + 5 * vo + 140 - uo) + noise[i] * xi;
                u[i] = uo + h * (a[i] * (b[i] * vo - uo));
            }
            for (int i = first; i < end; i++)
                if (v[i] >= 30.0) mine[ns++] = i;
            n_spikes[buffer][t] = ns;
            for (int k = 0; k < ns; k++) record_spike(rec, mine[k], step);
            barrier(threads, &sense);
            double *restrict V = v;
            for (int s = 0; s < threads; s++) {
                const int32_t *list = spikes[buffer][s];
                const int count = n_spikes[buffer][s];
                for (int k = 0; k < count; k++) {
                    const double *restrict w = W + (size_t)list[k] * N;
                    for (int j = first; j < end; j++) V[j] += w[j];
                }
                events += (long)count * (end - first);
            }
            for (int k = 0; k < ns; k++) {
                const int i = mine[k];
                v[i] = c[i];
                u[i] += d[i];
            }
        }
        rec->events = events;
        rec->cpu_s = thread_cpu_s() - cpu_started;
#pragma omp barrier
        if (t == 0) loop_s = now_s() - started;
    }

    size_t total;
    const uint64_t hash = spikes_hash(records, threads, &total);
    long events = 0, exc = 0;
    for (int t = 0; t < threads; t++) {
        events += records[t].events;
        for (size_t k = 0; k < records[t].n; k++) exc += records[t].neuron[k] < Ne;
    }
    double vsum = 0;
    for (int i = 0; i < N; i++) vsum += v[i];
    printf("{\"model\": \"izhikevich\", \"n\": %d, \"threads\": %d, \"barrier\": \"%s\", \"duration_s\": %g, "
           "\"steps\": %ld, \"synapses\": %lld, \"spikes\": %zu, \"exc_spikes\": %ld, \"rate_hz\": %.4f, "
           "\"syn_events\": %ld, \"spike_hash\": \"%016llx\", \"checksum_v\": %.17g, \"loop_s\": %.6f, "
           "\"thread_cpu_s\": %s, \"process_internal_s\": %.6f}\n",
           N, threads, BARRIER_NAME, duration, steps, (long long)N * N, total, exc, total / (N * duration),
           events, (unsigned long long)hash, vsum, loop_s, threads_cpu(records, threads), now_s() - t_process);
    return 0;
}
