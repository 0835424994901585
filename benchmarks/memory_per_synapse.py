"""Memory per synapse of the benchmark networks: what the synapses hold, what stays
resident, and the peak while building.

    python benchmarks/memory_per_synapse.py                    # cuba 100000, izhikevich 1000
    python benchmarks/memory_per_synapse.py --cases cuba:1000000,cuba:100000

Each case runs in a fresh process (``PYTHONPATH`` decides which eqsnn): it builds the
neurons, reads the resident memory (``VmRSS``; after a network of 64 neurons ran a step, so that the
code generator, the compiler's modules and the loaded libraries are not counted per
synapse), then makes the synapses (``connect``,
their values), builds the network and runs one step on the compiled backend on one
thread (the propagation structure, the compile or a cache hit). Per synapse:

* ``held``: ``S.memory_bytes()`` summed over the Synapses objects - indices, values,
  delays and the propagation structures (issue 17's "20 bytes in the common case": a
  weight, two indices and the propagation index; since session 11 the index is held
  only for synapses out of connect's order, so 16 with a weight, 8 without);
* ``resident``: growth of ``VmRSS`` from before ``connect`` to after the step;
* ``peak``: the peak resident memory (``ru_maxrss``) at the end less ``VmRSS`` before
  ``connect``: the temporaries of ``connect`` and of the structure's build on top of
  what is held (for small networks, import's peak may dominate it).

Memory is not time: this runs outside timing windows too (no timing is reported).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CASES = ("cuba:100000", "izhikevich:1000")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES),
                        help="comma-separated model:size (cuba, izhikevich)")
    parser.add_argument("--json", action="store_true", help="one JSON line per case")
    args = parser.parse_args(argv)
    rows = []
    for case in args.cases.split(","):
        model, size = case.split(":")
        done = subprocess.run([sys.executable, __file__, "--child", model, size],
                              capture_output=True, text=True, cwd=str(HERE), timeout=3600)
        if done.returncode != 0:
            raise RuntimeError(f"{case} failed:\n{done.stderr[-3000:]}")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return 0
    print(f"{'case':20s} {'synapses':>11s} {'held B':>7s} {'resident B':>10s} {'peak B':>7s}"
          f"   held by object (B per synapse)")
    for r in rows:
        objects = ", ".join(f"{name} {b:.1f}" for name, b in r["objects"].items())
        print(f"{r['model'] + ' ' + str(r['size']):20s} {r['synapses']:11d} "
              f"{r['held']:7.1f} {r['resident']:10.1f} {r['peak']:7.1f}   {objects}")
    return 0


def _rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _peak() -> int:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(model: str, size: int) -> None:
    sys.path.insert(0, str(HERE))
    import eqsnn as es
    import models_eqsnn
    import specs
    seed = 1
    neurons = {"cuba": models_eqsnn._cuba_neurons,
               "izhikevich": lambda n, s: models_eqsnn._izhikevich_neurons(n, s)[0]}
    if model not in neurons:
        raise SystemExit(f"no memory case for model {model!r} (cuba, izhikevich)")
    dt = models_eqsnn.q(specs.MODELS[model][2])
    # a network of a few neurons first: the code generator, the compiler's modules, the
    # runner and the OpenMP library are then loaded, and not counted per synapse
    es.Network(neurons[model](64, seed), dt=dt, seed=seed, backend="c",
               threads=1).run(dt, progress=False)
    group = neurons[model](size, seed)
    n_exc = int((0.8 if model == "cuba" else specs.IZHIKEVICH_EXCITATORY) * size)
    before = _rss()
    if model == "cuba":
        n_exc = int(0.8 * size)
        p = specs.IN_DEGREE / size
        exc = es.Synapses(group[:n_exc], group, on_pre="ge += we",
                          namespace={"we": models_eqsnn.q(specs.CUBA_WE)}, seed=seed)
        exc.connect(p=p)
        inh = es.Synapses(group[n_exc:], group, on_pre="gi += wi",
                          namespace={"wi": models_eqsnn.q(specs.CUBA_WI)}, seed=seed + 1)
        inh.connect(p=p)
    else:
        exc = es.Synapses(group[:n_exc], group, "w : volt", on_pre="v_post += w", seed=seed)
        exc.connect()
        exc.w = "0.5*mV*rand()"
        inh = es.Synapses(group[n_exc:], group, "w : volt", on_pre="v_post += w",
                          seed=seed + 1)
        inh.connect()
        inh.w = "-1*mV*rand()"
    net = es.Network(group, exc, inh, dt=dt, seed=seed, backend="c", threads=1)
    net.run(dt, progress=False)
    n = exc.N + inh.N
    held = exc.memory_bytes() + inh.memory_bytes()
    print(json.dumps({
        "model": model, "size": size, "synapses": n,
        "held": held / n, "resident": (_rss() - before) / n,
        "peak": (_peak() - before) / n,
        "objects": {s.name: s.memory_bytes() / s.N for s in (exc, inh)},
        "eqsnn": os.path.dirname(es.__file__)}))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
