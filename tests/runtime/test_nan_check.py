"""The NaN check between chunks of steps (eqsnn/runtime/finite.py): a NaN or inf the
loop writes is reported with the variable, the element and the time; the check reads
the differential variables and the parameters a statement of the loop assigns."""
import pytest

import eqsnn as es
from eqsnn.units import ms


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_nan_written_into_a_parameter_by_a_reset_is_reported(backend):
    group = es.NeuronGroup(2, "dv/dt = 1/ms : 1\np : 1\nlimit : 1", threshold="v > 0.5",
                           reset="v = 0; p = log(v - 1)")
    group.limit = float("inf")  # not finite from the start: the user's choice, not a blow-up
    with pytest.raises(es.errors.NumericalInstabilityError) as info:
        es.Network(group, backend=backend).run(2 * ms)
    message = str(info.value)
    assert "p of " in message and "became nan at neuron 0" in message
    assert "a parameter, so a statement that writes it (a reset" in message


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_nan_written_into_a_synaptic_weight_is_reported(backend):
    source = es.NeuronGroup(1, "dv/dt = 1/ms : 1", threshold="v > 0.5", reset="v = 0")
    target = es.NeuronGroup(1, "x : 1")
    syn = es.Synapses(source, target, "w : 1", on_pre="w = sqrt(w - 2)")
    syn.connect()
    syn.w = 1
    with pytest.raises(es.errors.NumericalInstabilityError, match="w of .* became nan at "
                                                                  "synapse 0"):
        es.Network(source, target, syn, backend=backend).run(2 * ms)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_nan_written_into_a_weight_by_run_regularly_is_reported(backend):
    group = es.NeuronGroup(2, "v : 1")
    syn = es.Synapses(group, group, "w : 1\nc : 1")
    syn.connect()
    syn.w, syn.c = 1, 1
    syn.run_regularly("w = sqrt(w - 2)")
    with pytest.raises(es.errors.NumericalInstabilityError, match="w of .* became nan"):
        es.Network(group, syn, backend=backend).run(1 * ms)


def _watched(net, obj) -> set[str]:
    """The names of ``obj``'s arrays a run of ``net`` looks at for NaN after every
    chunk of steps (derived once when the run starts)."""
    from eqsnn.runtime.finite import watched
    return next(set(names) for other, names in watched(net.objects) if other is obj)


def test_only_the_synaptic_parameters_the_loop_writes_are_checked_for_nan():
    """After every chunk of steps the run looks for nan in what the loop can have
    written: a weight only read (CUBA's, Izhikevich's 10^6 of them) is not read again."""
    group = es.NeuronGroup(2, "dv/dt = -v/ms : 1", threshold="v > 1", reset="v = 0")
    syn = es.Synapses(group, group, "w : 1\nd : 1\nk : 1\ndx/dt = -x/ms : 1 (clock-driven)",
                      on_pre="v_post += w; d += 1")
    syn.connect()
    syn.w, syn.d, syn.k = 1, 0, 2
    net = es.Network(group, syn)
    net.run(1 * ms)
    assert _watched(net, syn) == {"x", "d"}
    syn.run_regularly("k = k*0.5")
    net.run(1 * ms)
    assert _watched(net, syn) == {"x", "d", "k"}


def test_a_record_that_does_not_know_what_it_writes_has_every_parameter_checked():
    """A record from an older build cache has no ``written``: every parameter finite at
    the start of the run is watched, as before."""
    import dataclasses
    from eqsnn.lowering.records import SynapsesRecord
    group = es.NeuronGroup(2, "v : 1")
    syn = es.Synapses(group, group, "w : 1", on_pre="v_post += w")
    syn.connect()
    syn.w = 1
    net = es.Network(group, syn)
    net.run(1 * ms)
    assert syn._record.written == ()
    assert SynapsesRecord.from_json(syn._record.to_json()) == syn._record
    old = syn._record.to_json()
    del old["written"]
    object.__setattr__(syn, "_record", SynapsesRecord.from_json(old))
    assert syn._record.written is None and _watched(net, syn) == {"w"}
