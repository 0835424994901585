/* COBAHH on T threads: the network of eqsnn's benchmark model `cobahh` (benchmarks/specs.py
 * COBAHH_EQUATIONS, HH_NAMESPACE, COBAHH_WE/WI; models_eqsnn.py cobahh) with the
 * arithmetic of hh_mt.c.
 *
 * N Traub-Miles neurons (mV, ms, uS, nF; area 20000 um^2), 0.8 N excitatory, with
 * conductance synapses: every pair (i, j) connected with p = 80/N (synapses.h), a spike of
 * an excitatory source adds we = 6 nS to ge[j], of an inhibitory one wi = 67 nS to gi[j],
 * no delay (seen by the next step's update). dt = 0.1 ms, exponential Euler (eqsnn's and
 * Brian2's method on this model: every variable x gets x' = -B/A + (x + B/A) exp(A dt), A
 * and B from the old state; ge and gi decay by the constants exp(-dt/taue), exp(-dt/taui)).
 * Threshold v > -20 mV, refractory 3 ms (30 steps; v keeps integrating, no reset), as
 * eqsnn: a spike needs v' > -20 mV and step - lastspike >= 30.
 * Initial values as models_eqsnn.py: v = El + (randn*5 - 5) mV, ge = (randn*1.5 + 4)*10 nS,
 * gi = (randn*12 + 20)*10 nS, m = n = h = 0; the normals from one xoshiro256** stream (a
 * ziggurat, mt.h), then the connectivity from the same stream: another draw of the same
 * network than eqsnn's counter-based generator gives, so compare rates, not spikes.
 *
 * Threads: as cuba_mt.c. Thread t owns the neurons [lo_t, lo_t+1) (whole blocks of 32) and
 * its rows of the synapses. A step is
 *   1. update and threshold of its own neurons; its spikes go to its own list
 *      spikes[step % 2][t] and its own spike record;
 *   2. the barrier;
 *   3. propagation of every thread's list into its own targets only (synapses.h).
 * The lists are double-buffered (see cuba_mt.c for why one barrier a step is enough).
 * Every addition into ge[j] or gi[j] is of the same constant in source order, so the state
 * is bit-identical at any thread count (the checksum and spike hash it prints).
 *
 * Two builds, as hh_mt.c (hh_channels.h): the default with the inline exp poly_exp.h
 * (8 exp per neuron-step), -DHH_LIBM with libmvec's exp/expm1 as eqsnn's loop (link
 * -lmvec).
 *
 * usage: ./cobahh_mt [seed] [duration_s] [N] [threads] [network_file]   prints one JSON line
 * With network_file, it also writes the network it simulated and its spikes there, for
 * tests/benchmarks/test_handc_threads.py to give eqsnn the same network (see dump()).
 */
#include "mt.h"
#include "hh_channels.h"
#include "synapses.h"

#define BLOCK 32

/* mV, ms, uS, nF */
static const double dt = 0.1, Cm = 0.2, gl = 0.01, gna = 20.0, gk = 6.0;
static const double El = -60.0, EK = -90.0, ENa = 50.0, Ee = 0.0, Ei = -80.0;
static const double taue = 5.0, taui = 10.0, we = 0.006, wi = 0.067;

/* One step of the neurons [first, end) (whole blocks) at step s: state update and
 * threshold; the neurons that spike go into `mine`, their number is returned. A function
 * of its own with restrict arrays, so that gcc vectorises the block loop (inlined into the
 * OpenMP region's body it did not). The spike flags are 64-bit like the doubles, so gcc
 * vectorises 4 lanes at a time and -DHH_LIBM calls libmvec's 4-lane AVX2 exp, as eqsnn's
 * loop does; with 32-bit flags it took 8 lanes and the AVX-512 exp, ~20 % faster on this
 * machine at 1 thread. */
static int update(int first, int end, double s, double refractory_start, double *restrict v,
                  double *restrict m, double *restrict n, double *restrict h,
                  double *restrict ge, double *restrict gi, double *restrict lastspike,
                  int32_t *restrict mine) {
    const double decay_e = exp(-dt / taue), decay_i = exp(-dt / taui);
    int ns = 0;
    for (int b0 = first; b0 < end; b0 += BLOCK) {
        int64_t any = 0;   /* 64-bit flags, as eqsnn's threshold: see above */
        for (int i = b0; i < b0 + BLOCK; i++) {
            const double vo = v[i], mo = m[i], no = n[i], ho = h[i], g1 = ge[i], g2 = gi[i];
            const gates_t next = hh_gates(vo, mo, no, ho, dt);
            const double gNa = gna * mo * mo * mo * ho, gK = gk * (no * no) * (no * no);
            const double gtot = gl + g1 + g2 + gNa + gK;
            const double BAv = -(gl * El + g1 * Ee + g2 * Ei + gNa * ENa + gK * EK) / gtot;
            const double vn = -BAv + (vo + BAv) * HH_EXP(-gtot / Cm * dt);
            m[i] = next.m;
            n[i] = next.n;
            h[i] = next.h;
            v[i] = vn;
            ge[i] = g1 * decay_e;
            gi[i] = g2 * decay_i;
            const int64_t spike = (int64_t)(lastspike[i] <= refractory_start) & (int64_t)(vn > -20.0);
            lastspike[i] = spike ? s : lastspike[i];
            any |= spike;
        }
        if (any)
            for (int i = b0; i < b0 + BLOCK; i++)
                if (lastspike[i] == s) mine[ns++] = i;
    }
    return ns;
}

/* The network and what it did, for a test: int32 N, number of synapses S, number of
 * spikes K; float64 v, ge, gi at t = 0 (mV, uS; N each); int32 sources, targets (S each);
 * int32 neurons, steps of the spikes (K each) */
static void dump(const char *path, int N, const double *v0, const double *ge0,
                 const double *gi0, const rows_t *rows, int threads, const record_t *records) {
    FILE *out = fopen(path, "wb");
    if (!out) { perror(path); exit(1); }
    int32_t counts[3] = {N, 0, 0};
    for (int t = 0; t < threads; t++) {
        counts[1] += (int32_t)rows[t].row[N];
        counts[2] += (int32_t)records[t].n;
    }
    fwrite(counts, sizeof counts, 1, out);
    fwrite(v0, sizeof(double), N, out);
    fwrite(ge0, sizeof(double), N, out);
    fwrite(gi0, sizeof(double), N, out);
    for (int side = 0; side < 2; side++)
        for (int t = 0; t < threads; t++)
            for (int32_t i = 0; i < N; i++)
                for (int64_t q = rows[t].row[i]; q < rows[t].row[i + 1]; q++)
                    fwrite(side ? &rows[t].target[q] : &i, sizeof(int32_t), 1, out);
    for (int t = 0; t < threads; t++) fwrite(records[t].neuron, sizeof(int32_t), records[t].n, out);
    for (int t = 0; t < threads; t++) fwrite(records[t].step, sizeof(int32_t), records[t].n, out);
    fclose(out);
}

int main(int argc, char **argv) {
    const double t_process = now_s();
    const uint64_t seed = argc > 1 ? strtoull(argv[1], 0, 10) : 1;
    const double duration = argc > 2 ? atof(argv[2]) : 1.0;
    const int N = argc > 3 ? atoi(argv[3]) : 4000;
    const int threads = threads_arg(argc > 4 ? argv[4] : NULL);
    const int Ne = (int)(0.8 * N);

    const double p = 80.0 / N;
    const int refractory_steps = 30;                 /* timestep(3 ms, 0.1 ms) */
    const long steps = lround(duration * 1e3 / dt);

    const int Npad = (N + BLOCK - 1) / BLOCK * BLOCK;
    int lo[MAX_THREADS + 1];
    for (int t = 0; t <= threads; t++) lo[t] = part_begin(Npad / BLOCK, BLOCK, t, threads);
    lo[threads] = N;   /* the last thread's partial block is padding beyond N */

    rng_t rng;
    rng_seed(&rng, seed);
    normal_tables();
    double *v = alloc_aligned(sizeof(double) * Npad), *m = alloc_aligned(sizeof(double) * Npad);
    double *n = alloc_aligned(sizeof(double) * Npad), *h = alloc_aligned(sizeof(double) * Npad);
    double *ge = alloc_aligned(sizeof(double) * Npad), *gi = alloc_aligned(sizeof(double) * Npad);
    double *lastspike = alloc_aligned(sizeof(double) * Npad);   /* step of the last spike */
    for (int i = 0; i < Npad; i++) {   /* padding: at rest, unconnected, never spiking */
        v[i] = El;
        m[i] = n[i] = h[i] = ge[i] = gi[i] = 0.0;
        lastspike[i] = i < N ? -1e9 : 1e300;
    }
    for (int i = 0; i < N; i++) v[i] = El + rng_normal(&rng) * 5.0 - 5.0;
    for (int i = 0; i < N; i++) ge[i] = (rng_normal(&rng) * 1.5 + 4.0) * 0.01;
    for (int i = 0; i < N; i++) gi[i] = (rng_normal(&rng) * 12.0 + 20.0) * 0.01;
    double *initial = alloc_aligned(sizeof(double) * 3 * N);   /* for dump() */
    memcpy(initial, v, sizeof(double) * N);
    memcpy(initial + N, ge, sizeof(double) * N);
    memcpy(initial + 2 * N, gi, sizeof(double) * N);
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
            int32_t *mine = spikes[buffer][t];
            const int ns = update(first, end, s, refractory_start, v, m, n, h, ge, gi, lastspike, mine);
            n_spikes[buffer][t] = ns;
            for (int k = 0; k < ns; k++) record_spike(rec, mine[k], step);
            barrier(threads, &sense);
            events += propagate(spikes[buffer], n_spikes[buffer], threads, row, target, Ne, ge, gi,
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
    printf("{\"model\": \"cobahh\", \"variant\": \"%s\", \"n\": %d, \"threads\": %d, \"barrier\": \"%s\", "
           "\"duration_s\": %g, \"steps\": %ld, \"synapses\": %zu, \"spikes\": %zu, \"rate_hz\": %.4f, "
           "\"syn_events\": %ld, \"spike_hash\": \"%016llx\", \"checksum_v\": %.17g, \"loop_s\": %.6f, "
           "\"thread_cpu_s\": %s, \"process_internal_s\": %.6f}\n",
           HH_VARIANT, N, threads, BARRIER_NAME, duration, steps, n_synapses, total,
           total / (N * duration), events, (unsigned long long)hash, vsum, loop_s,
           threads_cpu(records, threads), now_s() - t_process);
    if (argc > 5) dump(argv[5], N, initial, initial + N, initial + 2 * N, rows, threads, records);
    return 0;
}
