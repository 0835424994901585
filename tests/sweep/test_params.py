"""Which runs a sweep makes: grids, lists, seeds — and the errors before anything runs."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.sweeps import SweepError, derive_seed, expand_params
from eqsnn.sweeps.params import plan_runs, root_sequence
from eqsnn.units import mV, ms

import sweep_cases


def test_grid_is_the_cartesian_product_last_name_fastest():
    sets = expand_params({"a": [1, 2], "b": ["x", "y", "z"]})
    assert sets == [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 1, "b": "z"},
                    {"a": 2, "b": "x"}, {"a": 2, "b": "y"}, {"a": 2, "b": "z"}]


def test_single_values_are_held_fixed_and_quantity_arrays_are_axes():
    sets = expand_params({"v0": np.array([-70.0, -60.0]) * mV, "tau": 10 * ms,
                          "init": "rand()*mV", "n": 3})
    assert len(sets) == 2
    assert [s["v0"].to("mV").magnitude for s in sets] == [-70.0, -60.0]
    assert all(s["tau"] == 10 * ms and s["init"] == "rand()*mV" and s["n"] == 3
               for s in sets)


def test_a_plain_list_of_quantities_is_an_axis():
    sets = expand_params({"tau": [5 * ms, 10 * ms], "v0": (-70 * mV,)})
    assert [(s["tau"], s["v0"]) for s in sets] == [(5 * ms, -70 * mV), (10 * ms, -70 * mV)]


def test_a_list_of_dicts_is_used_as_given():
    given = [{"a": 1}, {"a": 5, "b": 2}]
    assert expand_params(given) == given


@pytest.mark.parametrize("params, message", [
    ({"a": []}, "the grid axis 'a' is empty: the sweep has no runs"),
    ([], "params is an empty list: the sweep has no runs"),
    ([{"a": 1}, 3], "params[1] is a int; a list of parameter sets must hold dicts"),
    ("a=1", "params must be a dict (a grid) or a list of dicts, not str"),
    ({"seed": [1, 2]}, "parameter name 'seed' is one of the sweep's own columns"),
    ({"not valid": [1]}, "parameter name 'not valid' is not a Python identifier"),
])
def test_bad_params_are_refused_with_a_reason(params, message):
    with pytest.raises(InvalidValueError) as info:
        expand_params(params)
    assert str(info.value).startswith(message)


def test_seeds_depend_on_position_only_and_extending_keeps_earlier_seeds():
    sets = [{"a": k} for k in range(3)]
    two = plan_runs(sets, 2, root_sequence(42))
    five = plan_runs(sets, 5, root_sequence(42))
    assert [(p.param_index, p.repeat) for p in two] == [(0, 0), (0, 1), (1, 0), (1, 1),
                                                         (2, 0), (2, 1)]
    by_position = {(p.param_index, p.repeat): p.seed for p in five}
    assert all(by_position[(p.param_index, p.repeat)] == p.seed for p in two)
    seeds = [p.seed for p in five]
    assert len(set(seeds)) == len(seeds)  # every run its own stream
    assert all(0 <= s < 2**63 for s in seeds)
    other_root = [p.seed for p in plan_runs(sets, 5, root_sequence(43))]
    assert not set(seeds) & set(other_root)


def test_derived_seed_is_the_seed_sequence_child_at_that_position():
    root = np.random.SeedSequence(7)
    child = np.random.SeedSequence(7, spawn_key=(4, 1))
    assert derive_seed(root, 4, 1) == int(child.generate_state(1, np.uint64)[0]) >> 1


def test_explicit_seed_list_is_reused_for_every_parameter_set():
    runs = plan_runs([{"a": 1}, {"a": 2}], [11, 12], root_sequence(0))
    assert [(p.params["a"], p.seed) for p in runs] == [(1, 11), (1, 12), (2, 11), (2, 12)]
    with pytest.raises(InvalidValueError, match="seeds must be at least 1, not 0"):
        plan_runs([{"a": 1}], 0, root_sequence(0))
    with pytest.raises(InvalidValueError, match="every seed must be a non-negative int"):
        plan_runs([{"a": 1}], [1, -2], root_sequence(0))


def _local_build(I):  # module level, so only the lambda / nested cases fail below
    return sweep_cases.hh_neuron(I)


def test_functions_workers_cannot_import_are_refused_before_any_run():
    def nested(I):
        return sweep_cases.hh_neuron(I)

    with pytest.raises(SweepError) as info:
        es.sweep(nested, {"I": [1, 2]}, duration=1 * ms, workers=2)
    assert str(info.value).startswith(
        "build=test_functions_workers_cannot_import_are_refused_before_any_run.<locals>"
        ".nested cannot be sent to worker processes: it is defined inside another "
        "function, which other processes cannot import")
    assert "define build with 'def' at the top level of a .py file" in str(info.value)
    with pytest.raises(SweepError, match=r"collect=\S+\.<lambda> cannot be sent to worker "
                                         "processes: it is a lambda"):
        es.sweep(_local_build, {"I": [1, 2]}, duration=1 * ms, workers=2,
                 collect=lambda net: {})


def test_parameters_build_does_not_take_are_refused():
    with pytest.raises(SweepError) as info:
        es.sweep(sweep_cases.hh_neuron, {"current": [1, 2]}, duration=1 * ms, workers=1)
    assert str(info.value).startswith("build(I) cannot take the parameter set ['current']: ")
    assert "hint: the names in params must match build's arguments" in str(info.value)


@pytest.mark.parametrize("kwargs, message", [
    ({"duration": 5 * mV}, "duration must be a positive time such as 200*ms"),
    ({"duration": 0 * ms}, "duration must be a positive time such as 200*ms"),
    ({"duration": 1 * ms, "workers": 0}, "workers must be a positive int, not 0"),
    ({"duration": 1 * ms, "backend": "gpu"}, "unknown backend 'gpu'"),
])
def test_bad_options_are_refused(kwargs, message):
    with pytest.raises(InvalidValueError, match=message.replace("*", r"\*")):
        es.sweep(sweep_cases.hh_neuron, {"I": [1]}, **kwargs)
