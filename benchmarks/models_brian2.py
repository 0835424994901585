"""The benchmark models built with Brian2 (run inside the Brian2 virtual environment).

Mirror of :mod:`models_eqsnn`: same equations, constants, sizes, dt, methods,
initial values and spike recording, in Brian2's API.
"""
from __future__ import annotations

import brian2 as b2

import specs


def q(pair):
    return specs.quantity(pair, b2)


def ns(table: dict) -> dict:
    return {name: q(pair) for name, pair in table.items()}


def build(model: str, size: int):
    """``(objects, spike_monitor, n_recorded)``."""
    return _BUILDERS[model](size)


def _cuba_neurons(size: int):
    group = b2.NeuronGroup(size, specs.CUBA_EQUATIONS, threshold=specs.CUBA_THRESHOLD,
                           reset=specs.CUBA_RESET, refractory=q(specs.CUBA_REFRACTORY),
                           method="exact", namespace=ns(specs.CUBA_NAMESPACE))
    group.v = specs.CUBA_INIT_V
    return group


def cuba_neurons(size: int):
    group = _cuba_neurons(size)
    spikes = b2.SpikeMonitor(group)
    return [group, spikes], spikes, size


def cuba(size: int):
    group = _cuba_neurons(size)
    n_exc = int(0.8 * size)
    p = specs.IN_DEGREE / size
    exc = b2.Synapses(group[:n_exc], group, on_pre="ge += we",
                      namespace={"we": q(specs.CUBA_WE)})
    exc.connect(p=p)
    inh = b2.Synapses(group[n_exc:], group, on_pre="gi += wi",
                      namespace={"wi": q(specs.CUBA_WI)})
    inh.connect(p=p)
    spikes = b2.SpikeMonitor(group)
    return [group, exc, inh, spikes], spikes, size


def cobahh(size: int):
    group = b2.NeuronGroup(size, specs.COBAHH_EQUATIONS, threshold=specs.HH_THRESHOLD,
                           refractory=q(specs.HH_REFRACTORY), method="exponential_euler",
                           namespace=ns(specs.HH_NAMESPACE))
    group.v = "El + (randn()*5 - 5)*mV"
    group.ge = "(randn()*1.5 + 4)*10*nS"
    group.gi = "(randn()*12 + 20)*10*nS"
    n_exc = int(0.8 * size)
    p = specs.IN_DEGREE / size
    exc = b2.Synapses(group[:n_exc], group, on_pre="ge += we",
                      namespace={"we": q(specs.COBAHH_WE)})
    exc.connect(p=p)
    inh = b2.Synapses(group[n_exc:], group, on_pre="gi += wi",
                      namespace={"wi": q(specs.COBAHH_WI)})
    inh.connect(p=p)
    spikes = b2.SpikeMonitor(group)
    return [group, exc, inh, spikes], spikes, size


def hh(size: int):
    group = b2.NeuronGroup(size, specs.HH_EQUATIONS, threshold=specs.HH_THRESHOLD,
                           refractory=q(specs.HH_REFRACTORY), method="exponential_euler",
                           namespace={**ns(specs.HH_NAMESPACE), "I_max": q(specs.HH_I_MAX)})
    group.v = q(specs.HH_NAMESPACE["El"])
    group.I = "I_max*i/N"
    spikes = b2.SpikeMonitor(group)
    return [group, spikes], spikes, size


def _izhikevich_neurons(size: int):
    group = b2.NeuronGroup(size, specs.IZHIKEVICH_EQUATIONS,
                           threshold=specs.IZHIKEVICH_THRESHOLD, reset=specs.IZHIKEVICH_RESET,
                           method="euler")
    n_exc = int(specs.IZHIKEVICH_EXCITATORY * size)
    exc, inh = group[:n_exc], group[n_exc:]
    exc.a, exc.b = 0.02, 0.2
    exc.c = "-65*mV + 15*mV*rand()**2"
    exc.d = "8*mV - 6*mV*rand()**2"
    exc.sigma = 5 * b2.mV
    inh.a = "0.02 + 0.08*rand()"
    inh.b = "0.25 - 0.05*rand()"
    inh.c, inh.d, inh.sigma = -65 * b2.mV, 2 * b2.mV, 2 * b2.mV
    group.v = -65 * b2.mV
    group.u = "b*v"
    return group, n_exc


def izhikevich_neurons(size: int):
    group, _ = _izhikevich_neurons(size)
    spikes = b2.SpikeMonitor(group)
    return [group, spikes], spikes, size


def izhikevich(size: int):
    group, n_exc = _izhikevich_neurons(size)
    exc = b2.Synapses(group[:n_exc], group, "w : volt", on_pre="v_post += w")
    exc.connect()
    exc.w = "0.5*mV*rand()"
    inh = b2.Synapses(group[n_exc:], group, "w : volt", on_pre="v_post += w")
    inh.connect()
    inh.w = "-1*mV*rand()"
    spikes = b2.SpikeMonitor(group)
    return [group, exc, inh, spikes], spikes, size


def stdp(size: int):
    inputs = b2.PoissonGroup(size, rates=q(specs.STDP_RATE))
    neuron = b2.NeuronGroup(1, specs.STDP_NEURON, threshold="v > vt", reset="v = vr",
                            method="euler", namespace=ns(specs.STDP_NAMESPACE))
    neuron.v = q(specs.STDP_NAMESPACE["vr"])
    synapses = b2.Synapses(
        inputs, neuron, specs.STDP_SYNAPSE, on_pre=specs.STDP_ON_PRE,
        on_post=specs.STDP_ON_POST, method="exact",
        namespace={**ns(specs.STDP_NAMESPACE), "gmax": specs.STDP_GMAX,
                   "dApre": specs.STDP_DAPRE, "dApost": specs.STDP_DAPOST})
    synapses.connect()
    synapses.w = "rand()*gmax"
    spikes = b2.SpikeMonitor(neuron)
    return [inputs, neuron, synapses, spikes], spikes, 1


_BUILDERS = {"cuba": cuba, "cobahh": cobahh, "izhikevich": izhikevich, "stdp": stdp,
             "hh": hh, "cuba-neurons": cuba_neurons, "izhikevich-neurons": izhikevich_neurons}
