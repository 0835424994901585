"""What the virtual machine's two vCPUs do to each other: two probes for reading a
2-thread speed-up on this project's VM (Linux, gcc).

    python benchmarks/vcpu.py stalls [--seconds 2]
    python benchmarks/vcpu.py onoff --victim "CMD" --partner "CMD" [--seconds 7]

``stalls``: one thread per vCPU (pinned) reads the clock in a tight loop, first on one
vCPU alone, then on both at once; every gap between two reads is time the vCPU did not
run the thread (the host ran something else; an interrupt). Printed: how many gaps of
each length and the share of time lost. The guest's kernel sees none of it as steal
time, and the 2-thread capacity probe (a dependent chain of multiplications) hardly
notices gaps; a loop with a barrier waits for every one of them.

``onoff``: is a program slower while the other vCPU is busy? The victim runs on vCPU 0
and prints one line per measured run, ``START END SECONDS`` (wall clock, e.g.
``benchmarks/inprocess.py``-style loops, or a shell loop around a short program); the
partner runs on vCPU 1 and is stopped and continued (SIGSTOP/SIGCONT) every
``--period`` seconds, so a slow drift of the host hits both states alike. Printed: the
victim's median with the partner stopped and running, and their ratio (1.00: no
interference). Session 5 found none between eqsnn, hand C and libmvec loops.
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STALLS_C = r"""
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double seconds; static int threads;
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
                          return t.tv_sec + 1e-9 * t.tv_nsec; }
static void* probe(void* arg) {
    const long cpu = (long)arg; cpu_set_t set; CPU_ZERO(&set); CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    static const double edge[6] = {10e-6, 50e-6, 200e-6, 1e-3, 5e-3, 20e-3};
    long count[6] = {0}; double lost = 0, worst = 0, start = now(), last = start, t;
    while ((t = now()) - start < seconds) {
        const double gap = t - last; last = t;
        if (gap > worst) worst = gap;
        for (int k = 5; k >= 0; --k)
            if (gap > edge[k]) { ++count[k]; lost += gap; break; }
    }
    printf("vCPU %ld of %d busy: gaps >10us %ld, >50us %ld, >200us %ld, >1ms %ld, "
           ">5ms %ld, >20ms %ld; %.1f %% of the time lost, longest %.2f ms\n", cpu, threads,
           count[0], count[1], count[2], count[3], count[4], count[5],
           100 * lost / seconds, 1e3 * worst);
    return NULL;
}
int main(int argc, char** argv) {
    seconds = atof(argv[1]); threads = atoi(argv[2]); pthread_t team[64];
    for (long c = 0; c < threads; ++c) pthread_create(&team[c], NULL, probe, (void*)c);
    for (int c = 0; c < threads; ++c) pthread_join(team[c], NULL);
    return 0;
}
"""


def stalls(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        source, program = Path(scratch) / "stalls.c", Path(scratch) / "stalls"
        source.write_text(STALLS_C)
        subprocess.run(["gcc", "-O2", "-pthread", "-o", str(program), str(source)],
                       check=True)
        for threads in (1, min(2, os.cpu_count() or 1)):
            subprocess.run([str(program), repr(seconds), str(threads)], check=True)


def onoff(victim: str, partner: str, seconds: float, period: float) -> None:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    other = subprocess.Popen(f"exec taskset -c 1 {partner}", shell=True, env=env,
                             stdout=subprocess.DEVNULL)
    runs = subprocess.Popen(f"exec taskset -c 0 {victim}", shell=True, env=env,
                            stdout=subprocess.PIPE, text=True)
    time.sleep(max(period, 3.0))  # (both start: imports, builds, a first run)
    edges, running, end = [], True, time.time() + seconds
    while time.time() < end:
        running = not running
        os.kill(other.pid, signal.SIGCONT if running else signal.SIGSTOP)
        edges.append((time.time(), running))
        time.sleep(period)
    os.kill(other.pid, signal.SIGCONT)
    other.kill()
    runs.kill()
    lines = [line.split() for line in runs.stdout.read().splitlines()]
    times = {True: [], False: []}
    for fields in lines:
        if len(fields) != 3:
            continue
        start, stop, took = map(float, fields)
        for (since, state), (until, _) in zip(edges, edges[1:] + [(float("inf"), None)]):
            if since + 0.002 <= start and stop <= until - 0.002:  # (within one state)
                times[state].append(took)
    off, on = statistics.median(times[False]), statistics.median(times[True])
    print(f"partner stopped {off:.4f} s (n={len(times[False])}), running {on:.4f} s "
          f"(n={len(times[True])}): ratio {on / off:.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="probe", required=True)
    one = sub.add_parser("stalls")
    one.add_argument("--seconds", type=float, default=2.0)
    two = sub.add_parser("onoff")
    two.add_argument("--victim", required=True)
    two.add_argument("--partner", required=True)
    two.add_argument("--seconds", type=float, default=7.0)
    two.add_argument("--period", type=float, default=0.25)
    args = parser.parse_args(argv)
    if args.probe == "stalls":
        stalls(args.seconds)
    else:
        onoff(args.victim, args.partner, args.seconds, args.period)
    return 0


if __name__ == "__main__":
    sys.exit(main())
