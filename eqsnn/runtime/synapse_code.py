"""What a :class:`~eqsnn.runtime.synapses.Synapses` object hands to the module builder.

Each pathway (``pre``: source spikes → ``on_pre``; ``post``: target spikes → ``on_post``)
has a propagation structure, derived from the synapses and dt and rebuilt only when the
connectivity or the delays change:

* ``order``: synapse indices sorted by sending neuron, then by delay in steps;
* ``ptr``: CSR pointers into ``order`` for every (sender, delay) pair, so the synapses
  of sender ``s`` whose delay is ``first_age + a`` steps are
  ``order[ptr[s*n_ages + a] : ptr[s*n_ages + a + 1]]``;
* a ring of the sender's spikes of the last ``D`` steps (``D`` = longest delay + 1).

At every step the loop stores this step's spikes in the ring and, for each delay ``a``,
walks the rows of the senders that spiked ``a`` steps ago — a spike at step ``n``
reaches a synapse of delay ``d`` at exactly step ``n + d``. With one delay for all
synapses, ``n_ages`` is 1 and ``ptr`` is an ordinary CSR row pointer.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from eqsnn.codegen.network import Contribution
from eqsnn.runtime.layout import constant_cname, variable_cname

__all__ = ["contribution", "bindings", "names", "pathway_structure", "structure_bytes"]


def pathway_structure(syn, path: str, dt: float) -> SimpleNamespace:
    """The propagation structure of pathway ``path`` (``"pre"`` or ``"post"``)."""
    key = (syn._structure_version, dt, syn.N)
    cache = syn.__dict__.setdefault("_propagation", {})
    cached = cache.get(path)
    if cached is not None and cached.key == key:
        return cached
    pathway = getattr(syn, path)
    sender = syn._pre if path == "pre" else syn._post
    group = syn.pre_group if path == "pre" else syn.post_group
    width = group.N
    if pathway._delay is None:  # one delay for every synapse: the senders are the keys
        first_age = last_age = int(np.rint(pathway._default / dt))
        n_ages, keys = 1, sender
    else:
        steps = np.rint(pathway._delay / dt).astype(np.int64)
        first_age = int(steps.min()) if steps.size else 0
        last_age = int(steps.max()) if steps.size else 0
        n_ages = last_age - first_age + 1
        keys = sender.astype(np.int64) * n_ages + (steps - first_age)
    if keys.size == 0 or np.all(keys[1:] >= keys[:-1]):
        order = np.arange(keys.size, dtype=np.int32)  # already sorted: the common case
        sorted_keys = keys
    else:
        order = np.argsort(keys, kind="stable").astype(np.int32)
        sorted_keys = keys[order]
    ptr = np.searchsorted(sorted_keys, np.arange(width * n_ages + 1, dtype=keys.dtype))
    ptr = ptr.astype(np.int64)
    ring = _ring(syn, path, last_age + 1, width)
    structure = SimpleNamespace(key=key, order=order, ptr=ptr, D=last_age + 1, width=width,
                                first_age=first_age, n_ages=n_ages, ring=ring)
    cache[path] = structure
    return structure


def _ring(syn, path: str, D: int, width: int) -> dict[str, np.ndarray]:
    """The ring of recent spikes; kept across runs (spikes in flight stay in flight)
    unless its shape has to change."""
    rings = syn.__dict__.setdefault("_rings", {})
    ring = rings.get(path)
    if ring is None or ring["n"].size != D or ring["spikes"].size != D * width:
        ring = {"spikes": np.zeros(D * width, dtype=np.int32), "n": np.zeros(D, dtype=np.int64)}
        rings[path] = ring
    return ring


def structure_bytes(syn, dt: float) -> int:
    """Memory of the propagation structures of the pathways that have statements."""
    total = 0
    for path in ("pre", "post"):
        if getattr(syn, path).has_code:
            s = pathway_structure(syn, path, dt)
            total += s.order.nbytes + s.ptr.nbytes + s.ring["spikes"].nbytes + s.ring["n"].nbytes
    return total


def names(syn, layout) -> SimpleNamespace:
    """The module's names of a Synapses object's own arrays and sizes (for its
    templates and a StateMonitor's)."""
    p = layout.prefix(syn)
    # Named by slot, never by the user's name: a renamed object must not recompile.
    return SimpleNamespace(
        label=f"Synapses {p}", n=f"{p}_n", pre=f"{p}_pre", post=f"{p}_post",
        lastupdate=f"{p}_lastupdate" if syn._record.uses_lastupdate else None,
        pre_start=f"{p}_pre_start", post_start=f"{p}_post_start", N_pre=f"{p}_N_pre",
        N_post=f"{p}_N_post")


def bindings(syn, layout, backend: str, reads) -> dict:
    """The bindings of the names in ``reads``: synaptic variables and constants,
    variables of the source and target neurons (``v_pre``, ``v_post``), functions."""
    code = syn._record.code[backend]
    p = layout.prefix(syn)
    arrays, scalars, functions = [], [], []
    for name in reads:
        if name in syn._arrays:
            arrays.append([code.local(name), variable_cname(p, name)])
        elif name == "lastupdate":
            arrays.append([name, f"{p}_lastupdate"])
        elif name in syn._constants:
            scalars.append([code.local(name), constant_cname(p, name)])
        elif name in syn._functions:
            functions.append([code.local(name), layout.function(syn._functions[name])])
        else:
            for suffix, group in (("_pre", syn.pre_group), ("_post", syn.post_group)):
                var = name[:-len(suffix)]
                if name.endswith(suffix) and var in getattr(group, "_arrays", {}):
                    arrays.append([code.local(name), layout.variable(group, var)])
                    break
    return {"arrays": arrays, "scalars": scalars, "functions": functions, "linked": [],
            "reads": list(reads)}


def contribution(syn, layout, backend: str, dt: float) -> Contribution:
    """Declare the arrays and operations of ``syn``."""
    c = Contribution()
    p = layout.prefix(syn)
    code = syn._record.code[backend]
    info = names(syn, layout)
    c.int_scalar(info.n, lambda: syn.N)
    c.array(info.pre, lambda: syn._pre, np.int32)
    c.array(info.post, lambda: syn._post, np.int32)
    if info.lastupdate is not None:
        c.array(info.lastupdate, lambda: syn._lastupdate)
    for var in syn._arrays:
        c.array(variable_cname(p, var), lambda var=var: syn._arrays[var])
    for const in syn._constants.values():
        c.scalar(constant_cname(p, const.name), lambda const=const: const.value)
    c.int_scalar(info.pre_start, lambda: syn.pre_start)
    c.int_scalar(info.post_start, lambda: syn.post_start)
    c.int_scalar(info.N_pre, lambda: syn.pre_stop - syn.pre_start)
    c.int_scalar(info.N_post, lambda: syn.post_stop - syn.post_start)
    for summed in code.summed:
        # In the "start" slot, before the state monitors: a recorded summed value is
        # computed from the synaptic state recorded at the same t.
        c.add("start", "summed", syn=info, target=layout.variable(syn.post_group, summed.target),
              zero=layout.zeroes_summed(syn, summed.target),
              start=c.int_scalar(f"{p}_{summed.target}_start", lambda: syn.post_start),
              stop=c.int_scalar(f"{p}_{summed.target}_stop", lambda: syn.post_stop),
              expression=summed.expression,
              **bindings(syn, layout, backend, summed.expression.reads))
    if code.update is not None:
        c.add("synapse_state", "synapses_update", numbered=True, syn=info, code=code.update,
              **bindings(syn, layout, backend, code.update.reads))
    for path in ("pre", "post"):
        if code.pathway(path) is not None:
            _pathway(c, syn, layout, backend, path, info, dt)
    return c


def _pathway(c: Contribution, syn, layout, backend: str, path: str, info, dt: float) -> None:
    q = f"{layout.prefix(syn)}_{path}"
    code = syn._record.code[backend].pathway(path)
    structure = lambda: pathway_structure(syn, path, dt)  # noqa: E731  (re-read each chunk)
    structure()  # build now: errors surface before the compile
    way = SimpleNamespace(
        name=path,
        order=c.array(f"{q}_order", lambda: structure().order, np.int32),
        ptr=c.array(f"{q}_ptr", lambda: structure().ptr, np.int64),
        ring=c.array(f"{q}_ring", lambda: structure().ring["spikes"], np.int32),
        ring_n=c.array(f"{q}_ring_n", lambda: structure().ring["n"], np.int64),
        D=c.int_scalar(f"{q}_D", lambda: structure().D),
        width=c.int_scalar(f"{q}_width", lambda: structure().width),
        first_age=c.int_scalar(f"{q}_first_age", lambda: structure().first_age),
        n_ages=c.int_scalar(f"{q}_n_ages", lambda: structure().n_ages))
    sender = syn.pre_group if path == "pre" else syn.post_group
    batch = {"post": info.post, "pre": info.pre}.get(code.batch, code.batch)
    c.add("synapses", "synapses_pathway", numbered=True, syn=info, path=way,
          spikes=layout.spikes(sender), batch=batch, code=code,
          **bindings(syn, layout, backend, code.reads))
