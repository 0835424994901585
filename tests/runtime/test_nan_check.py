"""The NaN check between chunks of steps (eqsnn/runtime/finite.py): a NaN or inf the
loop writes is reported with the variable, the element and the time; the check reads
the differential variables and the parameters a statement of the loop assigns."""
import numpy as np
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
    assert syn._record.written == ("v_post",)  # (the target's v, by its suffix)
    assert SynapsesRecord.from_json(syn._record.to_json()) == syn._record
    old = syn._record.to_json()
    del old["written"]
    object.__setattr__(syn, "_record", SynapsesRecord.from_json(old))
    assert syn._record.written is None and _watched(net, syn) == {"w"}


def test_only_the_neuron_parameters_the_loop_writes_are_checked_for_nan():
    """A group's parameter the loop only reads (a drive, a time constant) is not read
    again after every chunk; one that a statement assigns is: the reset, run_on_event
    code, run_regularly, a pathway (either side, through a subgroup too), a summed
    variable, a PoissonInput - each of them only when its object is in the network."""
    group = es.NeuronGroup(4, """
        dv/dt = (I - v)/tau : 1
        I : 1
        tau : second
        n : 1
        ev : 1
        r : 1
        p : 1
        q : 1
        s : 1
        d : 1
        """, threshold="v > 1", reset="v = 0; n += 1", events={"low": "v < 0.1"})
    group.tau = 10 * ms
    group.run_on_event("low", "ev += 1")
    group.run_regularly("r = r + 1", dt=1 * ms)
    other = es.NeuronGroup(3, "dy/dt = -y/ms : 1\nc : 1", threshold="y > 1", reset="y = 0")
    onto = es.Synapses(other, group[1:], "w : 1", on_pre="p_post += w; y_pre = 0",
                       on_post="c_pre += 1")
    onto.connect()
    summed = es.Synapses(other, group, "w : 1\ns_post = w : 1 (summed)")
    summed.connect()
    drive = es.PoissonInput(group[:2], "q", 5, 10 * es.units.Hz, weight=1)
    net = es.Network(group, other, onto, summed, drive)
    net.run(1 * ms)
    assert _watched(net, group) == {"v", "n", "ev", "r", "p", "q", "s"}
    assert _watched(net, other) == {"y", "c"}
    alone = es.Network(group, other)
    alone.run(1 * ms)
    assert _watched(alone, group) == {"v", "n", "ev", "r"}
    assert _watched(alone, other) == {"y"}


def test_a_neuron_record_that_does_not_know_what_it_writes_has_every_parameter_checked():
    """A group's, an event code's or a run_regularly block's record from an older build
    cache has no ``written``: every parameter of the group finite at the start of the
    run is watched, as before."""
    import dataclasses
    from eqsnn.lowering.event_records import EventRecord
    from eqsnn.lowering.records import GroupRecord

    def build():
        group = es.NeuronGroup(2, "dv/dt = -v/ms : 1\nI : 1\nn : 1\nk : 1",
                               threshold="v > 1", reset="n += 1", events={"e": "v < 0"})
        group.run_on_event("e", "k = 0")
        block = group.run_regularly("v = v + I")
        return group, block, es.Network(group)

    group, block, net = build()
    assert group._record.written == ("n", "v")  # (the state update's v, the reset's n)
    assert block._record.written == ("v",)
    assert group._events._records["code:e"].written == ("k",)
    assert group._events._records["e"].written == ()
    for record in (group._record, block._record):
        assert GroupRecord.from_json(record.to_json()) == record
    for record in group._events._records.values():
        assert EventRecord.from_json(record.to_json()) == record
    assert _watched(net, group) == {"v", "n", "k"}
    old = group._record.to_json()
    del old["written"]
    assert GroupRecord.from_json(old).written is None
    for swap in ("group", "block", "event"):
        group, block, net = build()
        if swap == "group":
            object.__setattr__(group, "_record", GroupRecord.from_json(old))
        elif swap == "block":
            block._record = dataclasses.replace(block._record, written=None)
        else:
            records = group._events._records
            records["code:e"] = dataclasses.replace(records["code:e"], written=None)
        assert _watched(net, group) == {"v", "I", "n", "k"}, swap


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_nan_written_into_a_neuron_parameter_by_a_pathway_or_a_sum_is_reported(backend):
    def run(on_pre="", model="w : 1"):
        source = es.NeuronGroup(1, "dv/dt = 1/ms : 1", threshold="v > 0.5", reset="v = 0")
        target = es.NeuronGroup(2, "x : 1\ns : 1\nc : 1")
        syn = es.Synapses(source, target, model, on_pre=on_pre or None)
        syn.connect()
        syn.w = 1
        with pytest.raises(es.errors.NumericalInstabilityError) as info:
            es.Network(source, target, syn, backend=backend).run(2 * ms)
        return str(info.value)

    message = run("x_post += log(w - 2)")
    assert "x of " in message and "became nan at neuron 0" in message
    assert "a parameter, so a statement that writes it (a reset, on_pre" in message
    assert "s of " in run(model="w : 1\ns_post = sqrt(w - 2) : 1 (summed)")


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_nan_a_network_operation_writes_into_a_parameter_shows_where_it_reaches_the_state(
        backend):
    """No statement of the loop writes I: it is not watched, and the NaN a network
    operation puts there is reported in v, which the update computes from it."""
    group = es.NeuronGroup(3, "dv/dt = (I - v)/(10*ms) : 1\nI : 1")
    group.I = 1

    @es.network_operation(dt=1 * ms)
    def spoil(t):
        if t >= 2 * ms:
            group.I = float("nan")

    net = es.Network(group, spoil, backend=backend)
    with pytest.raises(es.errors.NumericalInstabilityError, match="v of .* became nan at "
                                                                  "neuron 0"):
        net.run(5 * ms)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, None])
def test_the_check_sees_one_bad_value_among_many_and_no_overflowing_sum(bad):
    """One NaN or inf among 10^5 values is reported with its index; finite values whose
    sum overflows (1e308 each) are not (a check by their sum would see inf)."""
    from types import SimpleNamespace

    from eqsnn.errors import NumericalInstabilityError
    from eqsnn.runtime.finite import check_finite
    values = np.full(100_000, 1e308) if bad is None else np.linspace(-1, 1, 100_000)
    owner = SimpleNamespace(name="g", _arrays={"v": values},
                            _record=SimpleNamespace(differential=("v",)), method="euler")
    if bad is None:
        check_finite([(owner, ("v",))], 0, 10, 1e-4)
        return
    values[77_777] = bad
    with pytest.raises(NumericalInstabilityError, match=r"v of 'g' became .* at neuron 77777"):
        check_finite([(owner, ("v",))], 0, 10, 1e-4)
