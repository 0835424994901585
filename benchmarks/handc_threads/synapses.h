/* The random sparse synapses of eqsnn's benchmark models `cuba` and `cobahh` on T threads,
 * written once for cuba_mt.c and cobahh_mt.c: every pair (i, j) of the N neurons connected
 * with probability p (Bernoulli, self-connections allowed, as Brian2's connect(p=)); a
 * spike of an excitatory source (i < Ne) adds we to ge[j], of an inhibitory one wi to
 * gi[j].
 *
 * Propagation is partitioned by target: thread t owns the neurons [lo_t, lo_t+1) and, for
 * every source, the row of that source's synapses onto its own targets (a CSR per thread),
 * so it walks every thread's spike list but writes only its own neurons: no atomics, and
 * every addition into a neuron happens in source order at any thread count.
 *
 * Before a list is propagated, the row pointers and then the rows of each group of PREFETCH
 * (32) of its spikes are prefetched, as eqsnn's propagation does: at 10^5 neurons the
 * rows are in DRAM, and this halves the propagation's time at 1 thread. -DPREFETCH=0
 * walks every row as it comes (the shared cuba.c's way).
 */
#ifndef HANDC_SYNAPSES_H
#define HANDC_SYNAPSES_H
#include "mt.h"

#ifndef PREFETCH
#define PREFETCH 32
#endif

typedef struct {       /* one thread's synapses: targets in its own range, rows by source */
    int64_t *row;      /* N + 1 */
    int32_t *target;
} rows_t;

/* Bernoulli(p) connectivity by source (geometric skipping), one stream, then split into
 * each thread's rows: the same synapses at any thread count. */
static void connect(int N, double p, rng_t *rng, int threads, const int *lo, rows_t *rows,
                    size_t *n_synapses) {
    size_t cap = (size_t)(p * N * (double)N * 1.1) + 1024, n = 0;
    int64_t *row = malloc(sizeof(int64_t) * (N + 1));
    int32_t *target = malloc(sizeof(int32_t) * cap);
    const double log1mp = log1p(-p);
    for (int i = 0; i < N; i++) {
        row[i] = (int64_t)n;
        for (long j = -1;;) {
            j += 1 + (long)floor(log(rng_uniform_pos(rng)) / log1mp);
            if (j >= N) break;
            if (n == cap) { cap *= 2; target = realloc(target, sizeof(int32_t) * cap); }
            target[n++] = (int32_t)j;
        }
    }
    row[N] = (int64_t)n;
    *n_synapses = n;
    for (int t = 0; t < threads; t++) {
        rows_t *r = &rows[t];
        size_t own = 0;
        for (size_t q = 0; q < n; q++) own += target[q] >= lo[t] && target[q] < lo[t + 1];
        r->row = malloc(sizeof(int64_t) * (N + 1));
        r->target = malloc(sizeof(int32_t) * (own + 1));
        size_t m = 0;
        for (int i = 0; i < N; i++) {
            r->row[i] = (int64_t)m;
            for (int64_t q = row[i]; q < row[i + 1]; q++)
                if (target[q] >= lo[t] && target[q] < lo[t + 1]) r->target[m++] = target[q];
        }
        r->row[N] = (int64_t)m;
    }
    free(row);
    free(target);
}


/* Every thread's list of this step's spikes (in thread order = neuron order) into the
 * calling thread's own targets; returns the synaptic events delivered */
static inline long propagate(int32_t *const *lists, const int *counts, int threads,
                             const int64_t *restrict row, const int32_t *restrict target, int Ne,
                             double *restrict ge, double *restrict gi, double we, double wi) {
    long events = 0;
    for (int u = 0; u < threads; u++) {
        const int32_t *list = lists[u];
        const int count = counts[u];
        const int group = PREFETCH > 0 ? PREFETCH : 1 << 30;
        for (int k0 = 0; k0 < count; k0 += group) {
            const int k1 = count - k0 < group ? count : k0 + group;
#if PREFETCH
            /* a step's rows lie far apart (in DRAM at 10^5 neurons: 32 MB of targets): ask
             * for a group's row pointers, then for every line of its rows, then walk them,
             * so that the misses overlap */
            for (int k = k0; k < k1; k++) __builtin_prefetch(&row[list[k]]);
            for (int k = k0; k < k1; k++) {
                const char *line = (const char *)&target[row[list[k]]];
                const char *stop = (const char *)&target[row[list[k] + 1]];
                for (line -= (uintptr_t)line & 63; line < stop; line += 64) __builtin_prefetch(line);
            }
#endif
            for (int k = k0; k < k1; k++) {
                const int source = list[k];
                const int64_t b = row[source], e = row[source + 1];
                events += e - b;
                if (source < Ne)
                    for (int64_t q = b; q < e; q++) ge[target[q]] += we;
                else
                    for (int64_t q = b; q < e; q++) gi[target[q]] += wi;
            }
        }
    }
    return events;
}

#endif
