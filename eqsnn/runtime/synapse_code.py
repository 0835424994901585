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


__all__ = ["contribute", "pathway_structure", "structure_bytes"]


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


def contribute(syn, builder, index: int, dt: float) -> None:
    """Declare the arrays and operations of ``syn`` (the ``index``-th synapses object)."""
    p = f"_s{index}"
    syn._dt = dt
    code = syn._record["code"][builder.backend]
    info = SimpleNamespace(
        # Named by slot, never by the user's name: a renamed object must not recompile.
        label=f"Synapses {p}", n=builder.int_scalar(f"{p}_n", lambda: syn.N),
        pre=builder.array(f"{p}_pre", lambda: syn._pre, np.int32),
        post=builder.array(f"{p}_post", lambda: syn._post, np.int32),
        lastupdate=None)
    if code["lastupdate"]:
        info.lastupdate = builder.array(f"{p}_lastupdate", lambda: syn._lastupdate)
    fill = _declare(syn, builder, p)
    # for state monitors of synaptic variables (they contribute after the synapses)
    syn._code = SimpleNamespace(prefix=p, fill=fill, indices=SimpleNamespace(
        pre=info.pre, post=info.post))
    _contribute_summed(syn, builder, p, info, code["summed"], fill)
    if code["update"] is not None:
        builder.add("synapse_state", "synapses_update", op=builder.next_op(), syn=info,
                    lines=[fill(line) for line in code["update"]["lines"]],
                    temporaries=code["update"]["temporaries"],
                    uses_random=code["update"]["uses_random"])
    for path in ("pre", "post"):
        if code[path] is not None:
            _contribute_pathway(syn, builder, p, path, info, code[path], fill, dt)


def _contribute_pathway(syn, builder, p, path, info, op, fill, dt) -> None:
    q = f"{p}_{path}"
    structure = lambda: pathway_structure(syn, path, dt)  # noqa: E731  (re-read each chunk)
    structure()  # build now: errors surface before the compile
    way = SimpleNamespace(
        name=path,
        order=builder.array(f"{q}_order", lambda: structure().order, np.int32),
        ptr=builder.array(f"{q}_ptr", lambda: structure().ptr, np.int64),
        ring=builder.array(f"{q}_ring", lambda: structure().ring["spikes"], np.int32),
        ring_n=builder.array(f"{q}_ring_n", lambda: structure().ring["n"], np.int64),
        D=builder.int_scalar(f"{q}_D", lambda: structure().D),
        width=builder.int_scalar(f"{q}_width", lambda: structure().width),
        first_age=builder.int_scalar(f"{q}_first_age", lambda: structure().first_age),
        n_ages=builder.int_scalar(f"{q}_n_ages", lambda: structure().n_ages))
    sender = syn.pre_group if path == "pre" else syn.post_group
    batch = {"post": info.post, "pre": info.pre}.get(op["batch"], op["batch"])
    builder.add("synapses", "synapses_pathway", op=builder.next_op(), syn=info, path=way,
                spikes=sender._code.spikes, batch=batch,
                lines=[fill(line) for line in op["lines"]], temporaries=op["temporaries"],
                uses_random=op["uses_random"])


def _contribute_summed(syn, builder, p, info, summed, fill) -> None:
    """``x_post = expr : unit (summed)``: zero the target range, then add every synapse.

    Several Synapses may sum into the same variable of the same target range; only the
    first zeroes it. Ranges that overlap without being equal are refused (their sum
    would depend on the order of the objects)."""
    claimed = builder.memo.setdefault("summed_ranges", {})
    for base, expression in summed:
        target = neuron_reference(syn.post_group, base, "")[:-2]  # the array itself
        span = (syn.post_start, syn.post_stop)
        ranges = claimed.setdefault(target, [])
        overlapping = [r for r in ranges if r[0] < span[1] and span[0] < r[1]]
        if any(r != span for r in overlapping):
            from eqsnn.errors import InvalidValueError
            raise InvalidValueError(
                f"{syn.name!r} sums into {base} of {syn.post_group.name!r} over neurons "
                f"{span[0]}..{span[1] - 1}, which overlaps another summed range of the same "
                f"variable without being equal", hint="sum over the same (sub)group, or into "
                "two variables added in the neuron equations")
        ranges.append(span)
        # In the "start" slot, before the state monitors: a recorded summed value is
        # computed from the synaptic state recorded at the same t.
        builder.add("start", "summed", syn=info, target=target, zero=not overlapping,
                    start=builder.int_scalar(f"{p}_{base}_start", lambda: syn.post_start),
                    stop=builder.int_scalar(f"{p}_{base}_stop", lambda: syn.post_stop),
                    expression=fill(expression))


def neuron_reference(group, var: str, index: str) -> str:
    """How the group's generated code writes variable ``var`` of neuron ``index``: the
    group's own reference for neuron ``_i``, re-indexed (a shared variable stays [0])."""
    reference = group._code.names[var]
    return reference[:-len("[_i]")] + f"[{index}]" if reference.endswith("[_i]") else reference


def _declare(syn, builder, p: str):
    """Declare the synapses' variables, constants, sizes and functions; return the
    function that fills the placeholders of the record's code (see synapse_derivation)."""
    from eqsnn.runtime.groups import function_token
    record = syn._record
    for var in syn._arrays:
        builder.array(f"{p}_v_{var}", lambda var=var: syn._arrays[var])
    for const in syn._constants.values():
        builder.scalar(f"{p}_c_{const.name}", lambda c=const: c.value)
    builder.int_scalar(f"{p}_pre_start", lambda: syn.pre_start)
    builder.int_scalar(f"{p}_post_start", lambda: syn.post_start)
    builder.int_scalar(f"{p}_N_pre", lambda: syn.pre_stop - syn.pre_start)
    builder.int_scalar(f"{p}_N_post", lambda: syn.post_stop - syn.post_start)
    functions = [syn._functions[name]._declare(builder) for name in record["functions"]]
    replacements = [(f"@PRE{k}@", neuron_reference(syn.pre_group, var, "_ipre"))
                    for k, var in enumerate(record["pre_vars"])]
    replacements += [(f"@POST{k}@", neuron_reference(syn.post_group, var, "_j"))
                     for k, var in enumerate(record["post_vars"])]
    replacements += [(function_token(k), name) for k, name in enumerate(functions)]
    replacements.append(("@S@", p))

    def fill(text: str) -> str:
        if "@" in text:
            for token, value in replacements:
                text = text.replace(token, value)
        return text
    return fill
