"""One NEST 3 benchmark run in a fresh process of the NEST virtual environment.

``python worker_nest.py MODEL SIZE THREADS SEED DURATION`` prints one JSON line. Only the
CUBA models exist here (``cuba``, ``cuba-neurons``). Never imports eqsnn.

CUBA as NEST writes it: ``iaf_psc_exp`` is the same leaky integrator with exponentially
decaying current synapses, integrated exactly on the time grid like Brian2's
``method="exact"``. NEST's membrane equation is ``dV/dt = -(V - E_L)/tau_m + I/C_m``
and a spike of weight ``w`` (pA) adds ``w`` to ``I``; Brian2's is
``dv/dt = (ge + gi - (v - El))/taum`` with a spike adding ``we`` (mV) to ``ge``. So
``I/C_m`` plays ``ge/taum`` and ``w = C_m * we / taum`` (any ``C_m``: it cancels).
Refractoriness clamps ``V`` at ``V_reset`` for ``t_ref`` in both. NEST's smallest
delay is one step (Brian2's synapses act within the step, seen by the next update):
the same arrival step. Connections: ``pairwise_bernoulli`` with autapses allowed, as
Brian2's ``connect(p=p)``.

``loop`` is ``nest.Run`` alone; ``nest.Prepare`` (NEST builds its connection tables
and per-thread buffers there) counts as building.
"""
from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

C_M_PF = 250.0   # arbitrary: cancels in w = C_m * we / taum


def _value(pair, unit: str) -> float:
    """A ``(value, unit)`` pair of :mod:`specs` in NEST's units (ms, mV)."""
    value, given = pair
    scale = {("ms", "ms"): 1.0, ("mV", "mV"): 1.0, ("second", "ms"): 1e3}[given, unit]
    return value * scale


def build_cuba(nest, specs, size: int, synapses: bool, dt_ms: float):
    namespace = specs.CUBA_NAMESPACE
    taum = _value(namespace["taum"], "ms")
    vt, vr = _value(namespace["Vt"], "mV"), _value(namespace["Vr"], "mV")
    neurons = nest.Create("iaf_psc_exp", size, params={
        "C_m": C_M_PF, "tau_m": taum, "E_L": _value(namespace["El"], "mV"),
        "V_th": vt, "V_reset": vr, "t_ref": _value(specs.CUBA_REFRACTORY, "ms"),
        "tau_syn_ex": _value(namespace["taue"], "ms"),
        "tau_syn_in": _value(namespace["taui"], "ms"), "I_e": 0.0,
        "V_m": nest.random.uniform(vr, vt)})   # CUBA_INIT_V: Vr + rand()*(Vt - Vr)
    if synapses:
        n_exc = int(0.8 * size)
        rule = {"rule": "pairwise_bernoulli", "p": specs.IN_DEGREE / size,
                "allow_autapses": True}
        for sources, weight in ((neurons[:n_exc], specs.CUBA_WE),
                                (neurons[n_exc:], specs.CUBA_WI)):
            w_pa = C_M_PF * _value(weight, "mV") / taum   # pF * mV / ms = pA
            nest.Connect(sources, neurons, rule,
                         {"synapse_model": "static_synapse", "weight": w_pa, "delay": dt_ms})
    recorder = nest.Create("spike_recorder")
    nest.Connect(neurons, recorder)
    return neurons, recorder


def main(argv: list[str]) -> None:
    model, size, threads, seed = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    duration = float(argv[4])
    if model not in ("cuba", "cuba-neurons"):
        raise SystemExit(f"worker_nest.py has no model {model!r} (cuba, cuba-neurons)")
    import nest
    import specs
    imported = time.perf_counter()
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    dt_ms = _value(specs.MODELS[model][2], "ms")
    nest.SetKernelStatus({"local_num_threads": threads, "resolution": dt_ms,
                          "rng_seed": seed, "print_time": False})
    neurons, recorder = build_cuba(nest, specs, size, model == "cuba", dt_ms)
    nest.Prepare()
    constructed = time.perf_counter()
    nest.Run(duration * 1e3)
    loop_done = time.perf_counter()
    nest.Cleanup()
    finished = time.perf_counter()
    count = int(recorder.get("n_events"))
    synapses = int(nest.GetKernelStatus("num_connections")) - size   # minus the recorder's
    print(json.dumps({
        "import": imported - STARTED,
        "build": constructed - imported,
        "run": finished - constructed,
        "loop": loop_done - constructed,
        "inside": finished - STARTED,
        "spikes": count,
        "rate": count / (size * duration),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "synapses": synapses,
        "threads": int(nest.GetKernelStatus("local_num_threads")),
        "nest": nest.build_info["version"],
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
