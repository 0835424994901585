"""Rendering the Jinja2 templates of the top-level ``templates/`` folder.

Each template's inputs are declared here, next to the renderer, instead of being
scraped from comments: :func:`render` refuses a context that lacks a declared input or
brings an undeclared one, and Jinja2's ``StrictUndefined`` makes any other typo in a
template fail loudly instead of rendering an empty string.
"""
from __future__ import annotations

import functools

import jinja2

from eqsnn.resources import template_dir

__all__ = ["TEMPLATE_INPUTS", "render", "template_dir"]

# One template per operation; the same operation exists for both backends
# (``.c.j2``: C inside the network's library; ``numpy/….py.j2``: vectorised numpy) with the
# same inputs. An operation's record code uses the model's own names (``v[_i]``, ``tau``);
# the template opens by binding them to the module's arrays, scalars and functions
# (``arrays``: [local, module name] pairs …), and defines the built-in names the code
# ``reads`` (``i``, ``N`` …). Macros shared by templates live in ``_names.c.j2`` and
# ``numpy/_names.py.j2``.
# model names → module names: arrays, scalars, functions, linked variables (loaded per
# neuron), and the names the code reads
_BINDINGS = {"arrays", "scalars", "functions", "linked", "reads"}
# how a group is refractory (see runtime/group_code.py _refractory_inputs)
_REFRACTORY = {"refractory", "since_spike", "refractory_array"}
_OPERATION_INPUTS = {
    "stateupdate": {"op", "group", "code"} | _REFRACTORY | _BINDINGS,
    "regular": {"op", "group", "code", "refractory", "start", "stop", "size"} | _BINDINGS,
    "threshold": {"op", "group", "condition", "spikes"} | _REFRACTORY | _BINDINGS,
    "reset": {"op", "group", "code", "spikes"} | _REFRACTORY | _BINDINGS,
    "event": {"op", "group", "event", "condition", "refractory", "events"} | _BINDINGS,
    "spikegenerator": {"group", "spikes"},
    "spikemonitor": {"spikes", "start", "stop", "record", "buf_i", "buf_step", "counts",
                     "count", "active", "records", "source"} | _BINDINGS,
    "statemonitor": {"every", "indices", "n_indices", "records", "buf_step", "count",
                     "synapses", "source", "active"} | _BINDINGS,
    "ratemonitor": {"spikes", "start", "stop", "active", "buf", "buf_step", "count"},
    "synapses_pathway": {"op", "syn", "path", "spikes", "batch", "code", "flags"} | _BINDINGS,
    "synapses_update": {"op", "syn", "code"} | _BINDINGS,
    "summed": {"syn", "target", "zero", "start", "stop", "expression"} | _BINDINGS,
    "synapses_ring": {"syn", "path", "spikes"},
    "poisson_input": {"op", "input", "target", "group"},
}
# What only the C templates read: how threads share the operation (``serial``: one
# thread runs it all; ``block``: the names of this thread's block of the group's neurons
# and of its spike count; ``scratch``: where each thread puts the spikes it finds).
_THREAD_INPUTS = {
    "stateupdate": {"serial", "block"}, "regular": {"serial", "block"},
    "threshold": {"scratch", "block"},
    "reset": {"serial", "block"}, "synapses_update": {"serial"},
    "synapses_pathway": {"serial"}, "summed": {"serial", "block"},
    "poisson_input": {"serial", "block"}, "statemonitor": {"serial", "block"},
}
TEMPLATE_INPUTS: dict[str, set[str]] = {}
for _name, _inputs in _OPERATION_INPUTS.items():
    TEMPLATE_INPUTS[f"{_name}.c.j2"] = _inputs | _THREAD_INPUTS.get(_name, set())
    TEMPLATE_INPUTS[f"numpy/{_name}.py.j2"] = _inputs
# C only: the spikes each thread found, collected in thread order (numpy's threshold
# writes them at once)
TEMPLATE_INPUTS["collect_spikes.c.j2"] = {"group", "spikes", "scratch", "block", "local"}
# a group's state update and threshold in one pass over its neurons (codegen/fusion.py):
# each operation's own inputs, and the bindings of both
TEMPLATE_INPUTS["update_threshold.c.j2"] = {"update", "threshold", "arrays", "scalars",
                                            "functions"}
# an operation on a slower clock, inside "every k-th step, with its own dt"
TEMPLATE_INPUTS["every.c.j2"] = TEMPLATE_INPUTS["numpy/every.py.j2"] = {
    "text", "every", "dt", "idle"}
# a point where the loop may return to Python (network operations), and (numpy) an
# operation that a call resuming after a later point skips
TEMPLATE_INPUTS["pause.c.j2"] = TEMPLATE_INPUTS["numpy/pause.py.j2"] = {"point"}
TEMPLATE_INPUTS["numpy/segment.py.j2"] = {"text", "segment"}
_MODULE_INPUTS = {"version", "arrays", "scalars", "int_scalars", "functions",
                  "capacity_checks", "slots", "pauses"}
TEMPLATE_INPUTS["network.c.j2"] = _MODULE_INPUTS | {"partitions", "private",
                                                     "private_counters", "threads_scalar",
                                                     "batch_scalar", "budget_scalar",
                                                     "ring_sets", "blocks", "lookahead",
                                                     "timed", "chunked", "batch"}
TEMPLATE_INPUTS["numpy/network.py.j2"] = _MODULE_INPUTS


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's own cache of compiled templates, in ``<eqsnn cache>/jinja2``.

    Jinja2 turns each template into Python source and compiles it once per process:
    ~80 ms for a network's templates. A warm run of a known network renders nothing
    (its source is in the build cache), but every process that renders a new one
    would pay it. The bytecode cache (keyed by the template's checksum and Python's
    version, written atomically) loads them instead. A cache that cannot be written costs that time
    and nothing else."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    from eqsnn.compiler.cache import cache_dir
    try:
        directory = cache_dir() / "jinja2"
        directory.mkdir(exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(directory))


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        bytecode_cache=_bytecode_cache(),
    )


def render(template: str, **context) -> str:
    """Render ``template`` with exactly its declared inputs."""
    declared = TEMPLATE_INPUTS.get(template)
    if declared is None:
        raise KeyError(f"template {template!r} has no declared inputs; add it to TEMPLATE_INPUTS")
    missing = declared - context.keys()
    extra = context.keys() - declared
    if missing or extra:
        raise TypeError(f"template {template!r}: missing inputs {sorted(missing)}, "
                        f"undeclared inputs {sorted(extra)}")
    return _environment().get_template(template).render(**context)
