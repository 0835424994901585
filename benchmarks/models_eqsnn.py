"""The benchmark models built with eqsnn (see :mod:`specs` for what each one is)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import eqsnn as es
from eqsnn import units as u

import specs


def q(pair):
    return specs.quantity(pair, u)


def ns(table: dict) -> dict:
    return {name: q(pair) for name, pair in table.items()}


@dataclass
class Built:
    """What the worker runs and measures."""

    objects: list
    spikes: Any      # SpikeMonitor of the neurons whose rate is reported
    n_recorded: int  # neurons behind ``spikes``


def build(model: str, size: int, seed: int) -> Built:
    return _BUILDERS[model](size, seed)


def _cuba_neurons(size: int, seed: int):
    group = es.NeuronGroup(size, specs.CUBA_EQUATIONS, threshold=specs.CUBA_THRESHOLD,
                           reset=specs.CUBA_RESET, refractory=q(specs.CUBA_REFRACTORY),
                           method="exact", namespace=ns(specs.CUBA_NAMESPACE), seed=seed)
    group.v = specs.CUBA_INIT_V
    return group


def cuba_neurons(size: int, seed: int) -> Built:
    group = _cuba_neurons(size, seed)
    spikes = es.SpikeMonitor(group)
    return Built([group, spikes], spikes, size)


def cuba(size: int, seed: int) -> Built:
    group = _cuba_neurons(size, seed)
    n_exc = int(0.8 * size)
    p = specs.IN_DEGREE / size
    exc = es.Synapses(group[:n_exc], group, on_pre="ge += we",
                      namespace={"we": q(specs.CUBA_WE)}, seed=seed)
    exc.connect(p=p)
    inh = es.Synapses(group[n_exc:], group, on_pre="gi += wi",
                      namespace={"wi": q(specs.CUBA_WI)}, seed=seed + 1)
    inh.connect(p=p)
    spikes = es.SpikeMonitor(group)
    return Built([group, exc, inh, spikes], spikes, size)


def cobahh(size: int, seed: int) -> Built:
    group = es.NeuronGroup(size, specs.COBAHH_EQUATIONS, threshold=specs.HH_THRESHOLD,
                           refractory=q(specs.HH_REFRACTORY), method="exponential_euler",
                           namespace=ns(specs.HH_NAMESPACE), seed=seed)
    group.v = "El + (randn()*5 - 5)*mV"
    group.ge = "(randn()*1.5 + 4)*10*nS"
    group.gi = "(randn()*12 + 20)*10*nS"
    n_exc = int(0.8 * size)
    p = specs.IN_DEGREE / size
    exc = es.Synapses(group[:n_exc], group, on_pre="ge += we",
                      namespace={"we": q(specs.COBAHH_WE)}, seed=seed)
    exc.connect(p=p)
    inh = es.Synapses(group[n_exc:], group, on_pre="gi += wi",
                      namespace={"wi": q(specs.COBAHH_WI)}, seed=seed + 1)
    inh.connect(p=p)
    spikes = es.SpikeMonitor(group)
    return Built([group, exc, inh, spikes], spikes, size)


def hh(size: int, seed: int) -> Built:
    group = es.NeuronGroup(size, specs.HH_EQUATIONS, threshold=specs.HH_THRESHOLD,
                           refractory=q(specs.HH_REFRACTORY), method="exponential_euler",
                           namespace={**ns(specs.HH_NAMESPACE), "I_max": q(specs.HH_I_MAX)},
                           seed=seed)
    group.v = q(specs.HH_NAMESPACE["El"])
    group.I = "I_max*i/N"
    spikes = es.SpikeMonitor(group)
    return Built([group, spikes], spikes, size)


def _izhikevich_neurons(size: int, seed: int):
    group = es.NeuronGroup(size, specs.IZHIKEVICH_EQUATIONS,
                           threshold=specs.IZHIKEVICH_THRESHOLD, reset=specs.IZHIKEVICH_RESET,
                           method="euler", seed=seed)
    n_exc = int(specs.IZHIKEVICH_EXCITATORY * size)
    exc, inh = group[:n_exc], group[n_exc:]
    exc.a, exc.b = 0.02, 0.2
    exc.c = "-65*mV + 15*mV*rand()**2"
    exc.d = "8*mV - 6*mV*rand()**2"
    exc.sigma = 5 * u.mV
    inh.a = "0.02 + 0.08*rand()"
    inh.b = "0.25 - 0.05*rand()"
    inh.c, inh.d, inh.sigma = -65 * u.mV, 2 * u.mV, 2 * u.mV
    group.v = -65 * u.mV
    group.u = "b*v"
    return group, n_exc


def izhikevich_neurons(size: int, seed: int) -> Built:
    group, _ = _izhikevich_neurons(size, seed)
    spikes = es.SpikeMonitor(group)
    return Built([group, spikes], spikes, size)


def izhikevich(size: int, seed: int) -> Built:
    group, n_exc = _izhikevich_neurons(size, seed)
    exc = es.Synapses(group[:n_exc], group, "w : volt", on_pre="v_post += w", seed=seed)
    exc.connect()
    exc.w = "0.5*mV*rand()"
    inh = es.Synapses(group[n_exc:], group, "w : volt", on_pre="v_post += w", seed=seed + 1)
    inh.connect()
    inh.w = "-1*mV*rand()"
    spikes = es.SpikeMonitor(group)
    return Built([group, exc, inh, spikes], spikes, size)


def stdp(size: int, seed: int) -> Built:
    inputs = es.PoissonGroup(size, q(specs.STDP_RATE), seed=seed)
    neuron = es.NeuronGroup(1, specs.STDP_NEURON, threshold="v > vt", reset="v = vr",
                            method="euler", namespace=ns(specs.STDP_NAMESPACE), seed=seed)
    neuron.v = q(specs.STDP_NAMESPACE["vr"])
    synapses = es.Synapses(
        inputs, neuron, specs.STDP_SYNAPSE, on_pre=specs.STDP_ON_PRE,
        on_post=specs.STDP_ON_POST, seed=seed,
        namespace={**ns(specs.STDP_NAMESPACE), "gmax": specs.STDP_GMAX,
                   "dApre": specs.STDP_DAPRE, "dApost": specs.STDP_DAPOST})
    synapses.connect()
    synapses.w = "rand()*gmax"
    spikes = es.SpikeMonitor(neuron)
    return Built([inputs, neuron, synapses, spikes], spikes, 1)


_BUILDERS = {"cuba": cuba, "cobahh": cobahh, "izhikevich": izhikevich, "stdp": stdp,
             "hh": hh, "cuba-neurons": cuba_neurons, "izhikevich-neurons": izhikevich_neurons}
