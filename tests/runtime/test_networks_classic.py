"""The three classic networks, run in eqsnn and compared with Brian2 running the same ones.

Reference rates: Brian2 2.9.0 (numpy target), 12 seeds, 1 s of each network as written
below (``python tests/runtime/brian2_reference_rates.py 12``, with Brian2 installed):

* CUBA (Brian2's examples/CUBA.py; Vogels & Abbott 2005): 5.712 ± 0.194 Hz over the
  4000 neurons (excitatory 5.728 ± 0.231 Hz, inhibitory 5.649 ± 0.053 Hz);
* Izhikevich (2003), 800 + 200 neurons, all-to-all: 9.193 ± 0.233 Hz (excitatory
  8.997 ± 0.238 Hz, inhibitory 9.976 ± 0.262 Hz);
* COBAHH (Brian2's examples/COBAHH.py; Brette et al. 2007), Brian2's cython target, 24
  seeds (``brian2_reference_rates.py 24 COBAHH``, ~40 s per seed): 35.515 ± 3.322 Hz
  (excitatory 35.483 ± 3.746 Hz, inhibitory 35.645 ± 1.680 Hz). eqsnn, 40 seeds of the
  network below: 35.586 ± 2.613 Hz (Welch's t-test against Brian2's 24: p = 0.93). One
  isolated Traub-Miles cell follows Brian2's to 3e-16 V over 200 ms: the spread is the
  network's, not the integration's.

Different random numbers make a different network, so one eqsnn run must fall in the
spread of Brian2's runs (mean ± 4 standard deviations across seeds), and the mean of a
few eqsnn seeds within a few standard errors of Brian2's mean.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.models import TraubMiles
from eqsnn.units import ms, mV, second

CUBA_REFERENCE = {"all": (5.712, 0.194), "exc": (5.728, 0.231), "inh": (5.649, 0.053)}
IZHIKEVICH_REFERENCE = {"all": (9.193, 0.233), "exc": (8.997, 0.238), "inh": (9.976, 0.262)}
COBAHH_REFERENCE = {"all": (35.515, 3.322), "exc": (35.483, 3.746), "inh": (35.645, 1.680)}
COBAHH_REFERENCE_SEEDS = 24


def cuba(seed: int, backend: str = "c", duration=1 * second):
    """Brian2's CUBA example: 4000 LIF neurons, exponential currents, p = 0.02."""
    namespace = {"taum": 20 * ms, "taue": 5 * ms, "taui": 10 * ms, "Vt": -50 * mV,
                 "Vr": -60 * mV, "El": -49 * mV}
    cells = es.NeuronGroup(4000, """
        dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
        dge/dt = -ge/taue : volt
        dgi/dt = -gi/taui : volt
        """, threshold="v>Vt", reset="v = Vr", refractory=5 * ms, method="exact",
        namespace=namespace, seed=seed)
    cells.v = "Vr + rand() * (Vt - Vr)"
    excitatory = es.Synapses(cells, cells, on_pre="ge += we",
                             namespace={"we": (60 * 0.27 / 10) * mV}, seed=seed)
    inhibitory = es.Synapses(cells, cells, on_pre="gi += wi",
                             namespace={"wi": (-20 * 4.5 / 10) * mV}, seed=seed + 1)
    excitatory.connect("i<3200", p=0.02)
    inhibitory.connect("i>=3200", p=0.02)
    spikes = es.SpikeMonitor(cells)
    net = es.Network(cells, excitatory, inhibitory, spikes, backend=backend, seed=seed)
    net.run(duration)
    return _rates(spikes.i, 3200, 800, duration)


def izhikevich_2003(seed: int, backend: str = "c", duration=1 * second):
    """Izhikevich (2003): 800 regular-spiking-to-chattering excitatory and 200
    fast-spiking-to-low-threshold inhibitory neurons, all-to-all voltage jumps, random
    thalamic input (here white noise of the same size per millisecond)."""
    rng = np.random.default_rng(seed)
    n_exc, n_inh = 800, 200
    cells = es.NeuronGroup(n_exc + n_inh, """
        dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u)/ms + sigma*xi/sqrt(ms) : volt
        du/dt = a*(b*v - u)/ms : volt
        a : 1
        b : 1
        c : volt
        d : volt
        sigma : volt
        """, threshold="v >= 30*mV", reset="v = c; u += d", method="euler", seed=seed)
    re, ri = rng.random(n_exc), rng.random(n_inh)
    cells.a = np.r_[0.02 * np.ones(n_exc), 0.02 + 0.08 * ri]
    cells.b = np.r_[0.2 * np.ones(n_exc), 0.25 - 0.05 * ri]
    cells.c = np.r_[-65 + 15 * re ** 2, -65 * np.ones(n_inh)] * mV
    cells.d = np.r_[8 - 6 * re ** 2, 2 * np.ones(n_inh)] * mV
    cells.sigma = np.r_[5 * np.ones(n_exc), 2 * np.ones(n_inh)] * mV
    cells.v = -65 * mV
    cells.u = "b*v"
    synapses = es.Synapses(cells, cells, "w : volt", on_pre="v_post += w", seed=seed)
    synapses.connect()
    synapses.w = "(0.5*mV*(i < 800) - 1*mV*(i >= 800))*rand()"
    spikes = es.SpikeMonitor(cells)
    net = es.Network(cells, synapses, spikes, dt=0.5 * ms, backend=backend, seed=seed)
    net.run(duration)
    return _rates(spikes.i, n_exc, n_inh, duration)


def cobahh(seed: int, backend: str = "c", duration=1 * second):
    """Brette et al. (2007) COBAHH as Brian2's example writes it: 4000 built-in Traub-Miles
    cells, 3200 excitatory (6 nS) and 800 inhibitory (67 nS) conductance synapses with
    p = 0.02, exponential Euler at dt = 0.1 ms; gates start at 0 and v, ge, gi at
    Brian2's random values."""
    cells = TraubMiles().group(4000, method="exponential_euler", seed=seed)
    cells.m, cells.n, cells.h = 0, 0, 0
    cells.v = "El + (randn()*5 - 5)*mV"
    cells.ge = "(randn()*1.5 + 4)*10*nS"
    cells.gi = "(randn()*12 + 20)*10*nS"
    excitatory = es.Synapses(cells[:3200], cells, on_pre="ge += 6*nS", seed=seed)
    inhibitory = es.Synapses(cells[3200:], cells, on_pre="gi += 67*nS", seed=seed + 1)
    excitatory.connect(p=0.02)
    inhibitory.connect(p=0.02)
    spikes = es.SpikeMonitor(cells)
    net = es.Network(cells, excitatory, inhibitory, spikes, dt=0.1 * ms, backend=backend,
                     seed=seed)
    net.run(duration)
    return _rates(spikes.i, 3200, 800, duration)


def _rates(indices, n_exc, n_inh, duration):
    seconds = duration.to("second").magnitude
    indices = np.asarray(indices)
    return {"all": indices.size / (n_exc + n_inh) / seconds,
            "exc": np.sum(indices < n_exc) / n_exc / seconds,
            "inh": np.sum(indices >= n_exc) / n_inh / seconds}


def _check(rates_by_seed, reference, reference_seeds=12):
    for part, (mean, std) in reference.items():
        values = np.array([rates[part] for rates in rates_by_seed])
        assert np.all(np.abs(values - mean) < 4 * std), (part, values, mean, std)
        # the mean over n seeds: Brian2's seed-to-seed spread shrinks by sqrt(n)
        standard_error = std * np.sqrt(1 / len(values) + 1 / reference_seeds)
        assert abs(values.mean() - mean) < 4 * standard_error, (part, values, mean)


def test_cuba_rates_match_brian2():
    _check([cuba(seed) for seed in range(3)], CUBA_REFERENCE)


def test_izhikevich_2003_rates_match_brian2():
    _check([izhikevich_2003(seed) for seed in range(3)], IZHIKEVICH_REFERENCE)


def test_cuba_short_run_agrees_between_backends():
    """A tenth of CUBA on both backends: the same spikes (and so the same rates)."""
    rates = {backend: cuba(0, backend, duration=50 * ms) for backend in ("c", "numpy")}
    assert rates["c"] == rates["numpy"]
    assert rates["c"]["all"] > 1


def test_cobahh_rates_match_brian2():
    """Six seeds, about 4 s in all."""
    _check([cobahh(seed) for seed in range(6)], COBAHH_REFERENCE, COBAHH_REFERENCE_SEEDS)


def test_cobahh_short_run_agrees_between_backends():
    """20 ms of COBAHH on both backends: the same spikes, so the same rates."""
    rates = {backend: cobahh(0, backend, duration=20 * ms) for backend in ("c", "numpy")}
    assert rates["c"] == rates["numpy"]
    assert rates["c"]["all"] > 10
