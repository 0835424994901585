"""What a Synapses object works out from its arguments before it has a record: a
built-in model's defaults, the source/target ranges, and the build-cache key of its
strings between groups of these models.
"""
from __future__ import annotations

from typing import Any, Mapping

from eqsnn.errors import InvalidValueError
from eqsnn.lowering import cache
from eqsnn.runtime.groups import source_range


def side(group):
    """A connected group as the build stage sees it: its name and its record's
    variables (none for a group without a model, such as a SpikeGeneratorGroup)."""
    from eqsnn.lowering.synapses import Side
    record = getattr(group, "_record", None)
    return Side(group.name, record.variables if record is not None else ())


def _group_signature(group) -> list | None:
    """What the derivation may depend on in a connected group (None: not cacheable)."""
    key = getattr(group, "_build_key", None)
    if key is not None:
        return ["group", key, sorted(getattr(group, "_shared", ()))]
    if not hasattr(group, "_arrays") and not getattr(group, "_dims", None):
        return ["spikes only"]
    return None


def build_key(sources, pre_group, post_group) -> str | None:
    """The build-cache entry of synapses made from these strings between groups of these
    models (``None``: not cached, e.g. for an Equations object)."""
    model, on_pre, on_post, method, namespace = sources
    on_pre, on_post = _as_key(on_pre), _as_key(on_post)
    if not all(x is None or isinstance(x, (str, list)) for x in (model, on_pre, on_post, method)) \
            or isinstance(model, list):
        return None
    pre, post = _group_signature(pre_group), _group_signature(post_group)
    if pre is None or post is None:
        return None
    return cache.key("Synapses", [model or "", on_pre, on_post, method,
                                  cache.namespace_signature(namespace), pre, post])


def _as_key(statements):
    """Named pathways' statements as a sorted list of [name, text] (a string or None
    stays itself; anything else is not cacheable and is reported by the lowering)."""
    if isinstance(statements, Mapping):
        items = [[name, text] for name, text in statements.items()]
        if all(isinstance(n, str) and isinstance(t, str) for n, t in items):
            return sorted(items)
        return object()
    return statements


def source_text(sources) -> str:
    model, on_pre, on_post = sources[:3]
    texts = [model if isinstance(model, str) else ""]
    for given in (on_pre, on_post):
        texts += list(given.values()) if isinstance(given, Mapping) else [given]
    return "\n".join(t for t in texts if isinstance(t, str) and t)


def group_range(group: Any, role: str):
    if not hasattr(group, "N") or not hasattr(group, "name"):
        raise InvalidValueError(f"the {role} of a Synapses object must be a group of neurons, "
                                f"not {type(group).__name__}")
    return source_range(group)


def unpack_synapse_model(model, on_pre, on_post, namespace, method):
    """A built-in synapse model (e.g. an STDP rule) supplies defaults; arguments win."""
    if model is None or isinstance(model, str) or not hasattr(model, "equations"):
        if model is not None and not isinstance(model, str):
            from eqsnn.equations import Equations  # an Equations object means SymPy is loaded
            if not isinstance(model, Equations):
                raise InvalidValueError(
                    f"model must be an equation string or a built-in synapse model, not "
                    f"{type(model).__name__}")
        return model, on_pre, on_post, namespace, method, {}
    from eqsnn.runtime.namespaces import own_namespace
    merged = own_namespace(namespace, getattr(model, "namespace", None))
    return (model.equations,
            on_pre if on_pre is not None else getattr(model, "on_pre", None),
            on_post if on_post is not None else getattr(model, "on_post", None),
            merged, method if method is not None else getattr(model, "method", None),
            getattr(model, "initial", {}) or {})
