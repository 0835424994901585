"""How eqsnn's objects show themselves: a plain ``repr`` and an HTML table for Jupyter.

One :class:`Summary` per object — a title, facts (size, method and why, memory, what
was recorded) and, for groups and synapses, a table of variables with their units and
current values — rendered as text (:func:`text`, what ``repr()`` prints) or as HTML
(:func:`html`, what a notebook shows). Everything is read from public attributes, by
duck typing: the runtime's classes call in here from two one-line hooks and nothing
here imports them, so the module stays a leaf below every stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Summary", "Displayed", "summarize", "text", "html", "progress_bar"]


class Displayed:
    """Mixin of the runtime's objects: ``repr()`` is the plain summary, Jupyter shows
    the HTML one. Neither may raise (a repr is called in tracebacks, on half-built
    objects): if the summary fails, the repr is the type and name."""

    def __repr__(self) -> str:
        try:
            return text(self)
        except Exception:  # noqa: BLE001
            return f"<{type(self).__name__} {self.__dict__.get('name', '?')!r}>"

    def _repr_html_(self) -> str | None:
        try:
            return html(self)
        except Exception:  # noqa: BLE001 - Jupyter then shows the repr
            return None


@dataclass
class Summary:
    """What an object says about itself."""

    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    headers: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)


def text(obj: Any) -> str:
    """The plain-text summary of ``obj`` (a group, synapses, network or monitor)."""
    summary = summarize(obj)
    lines = [summary.title]
    width = max((len(label) for label, _ in summary.facts), default=0)
    lines += [f"  {label:<{width}}  {value}" for label, value in summary.facts]
    if summary.rows:
        table = [summary.headers, *summary.rows]
        widths = [max(len(row[k]) for row in table) for k in range(len(summary.headers))]
        for row in table:
            lines.append("    " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def html(obj: Any) -> str:
    """The HTML summary of ``obj``, for ``_repr_html_``."""
    import html as _html  # (here, not at the top: html.entities is a large table that
    #                        a script, which never shows HTML, would build at every run)
    summary = summarize(obj)
    esc = _html.escape
    parts = [f'<div class="eqsnn-summary"><strong>{esc(summary.title)}</strong>',
             '<table style="margin: 0.3em 0">']
    parts += [f'<tr><th style="text-align:left; padding-right:1em">{esc(label)}</th>'
              f'<td style="text-align:left">{esc(value)}</td></tr>'
              for label, value in summary.facts]
    parts.append("</table>")
    if summary.rows:
        parts.append('<table style="margin: 0.3em 0"><tr>'
                     + "".join(f'<th style="text-align:left">{esc(h)}</th>'
                               for h in summary.headers) + "</tr>")
        parts += ["<tr>" + "".join(f'<td style="text-align:left">{esc(c)}</td>' for c in row)
                  + "</tr>" for row in summary.rows]
        parts.append("</table>")
    return "\n".join(parts) + "</div>"


def summarize(obj: Any) -> Summary:
    """The :class:`Summary` of a group, synapses object, network or monitor."""
    kind = type(obj).__name__
    if kind == "Network":
        return _network(obj)
    if kind in ("SpikeMonitor", "StateMonitor", "PopulationRateMonitor"):
        return _monitor(obj)
    if kind == "Synapses":
        return _synapses(obj)
    if hasattr(obj, "N") and hasattr(obj, "name"):
        return _group(obj)
    return Summary(repr(obj))


# --- groups and synapses -----------------------------------------------------------------
def _group(group) -> Summary:
    kind = type(group).__name__
    summary = Summary(f"{kind} {group.name!r}: {group.N} neuron{'s' if group.N != 1 else ''}")
    equations = _equations(group)
    _method(summary, group)
    for label, attribute in (("threshold", "threshold"), ("reset", "reset")):
        value = _safe(lambda: getattr(group, attribute))
        if value is not None and not (isinstance(value, (list, tuple)) and not value):
            summary.facts.append((label, _statements(value)))
    refractory = getattr(group, "refractory", None)
    if refractory is not None:
        summary.facts.append(("refractory", _quantity(refractory)))
    _variables(summary, group, equations, group.N, "neuron")
    return summary


def _synapses(syn) -> Summary:
    source = getattr(getattr(syn, "source", None), "name", "?")
    target = getattr(getattr(syn, "target", None), "name", "?")
    summary = Summary(f"Synapses {syn.name!r}: {source} → {target}, "
                      f"{syn.N} synapse{'s' if syn.N != 1 else ''}")
    for name in ("pre", "post"):
        pathway = getattr(syn, name, None)
        statements = _safe(lambda: pathway.statements) if pathway is not None else None
        if statements:
            delay = _safe(lambda: pathway.delay_)
            delays = "" if delay is None or not np.size(delay) else \
                f" (delay {_values(pathway.delay)})"
            summary.facts.append((f"on_{name}", _statements(statements) + delays))
    equations = _equations(syn)
    if equations is not None and any(e.kind == "differential" for e in equations):
        _method(summary, syn)
    memory = _safe(syn.memory_bytes) if hasattr(syn, "memory_bytes") else None
    _variables(summary, syn, equations, syn.N, "synapse", memory=memory)
    return summary


def _method(summary: Summary, obj) -> None:
    method = getattr(obj, "method", None)
    if method is None:
        return
    update = _safe(lambda: obj.state_update)
    reason = getattr(update, "reason", "") or ""
    summary.facts.append(("method", method + (f" ({_first_clause(reason)})" if reason else "")))
    for note in getattr(update, "notes", ()) or ():
        summary.facts.append(("note", note))


def _variables(summary: Summary, obj, equations, size: int, what: str, memory=None) -> None:
    if equations is None:
        return
    summary.headers = ("variable", "unit", "kind", "value")
    stored = 0
    for entry in equations:
        kind = {"differential": "state", "parameter": "parameter",
                "subexpression": "subexpression"}[entry.kind]
        if "constant" in entry.flags:
            kind += ", constant"
        if entry.kind != "subexpression":
            stored += 1
        values = _safe(lambda: getattr(obj, entry.name))
        summary.rows.append((entry.name, _unit(entry.unit), kind,
                             _values(values) if values is not None else "?"))
    bytes_ = memory if memory is not None else stored * size * 8
    summary.facts.append(("memory", f"{_bytes(bytes_)} ({stored} stored variable"
                                    f"{'s' if stored != 1 else ''} × {size} {what}"
                                    f"{'s' if size != 1 else ''}"
                                    + (" and the connectivity)" if memory is not None
                                       else " × 8 B)")))


def _equations(obj):
    return _safe(lambda: obj.equations)


# --- networks and monitors -------------------------------------------------------------
def _network(net) -> Summary:
    objects = list(getattr(net, "objects", []))
    summary = Summary(f"Network: {len(objects)} object{'s' if len(objects) != 1 else ''}, "
                      f"t = {_quantity(net.t)}")
    summary.facts += [("dt", _quantity(net.dt)), ("backend", str(net.backend)),
                      ("seed", str(net.seed))]
    timing = getattr(net, "timing", {}) or {}
    if "run_seconds" in timing:
        summary.facts.append(("last run", f"{timing['run_seconds']:.3g} s "
                                          f"(loop {timing.get('loop_seconds', 0):.3g} s)"))
    summary.headers = ("object", "kind", "size")
    for obj in objects:
        summary.rows.append((str(getattr(obj, "name", "?")), type(obj).__name__, _size(obj)))
    return summary


def _monitor(mon) -> Summary:
    kind = type(mon).__name__
    source = getattr(getattr(mon, "source", None), "name", "?")
    summary = Summary(f"{kind} {mon.name!r} of {source}")
    times = np.asarray(_safe(lambda: mon.t_) if kind != "SpikeMonitor" else (), dtype=float)
    if kind == "SpikeMonitor":
        spikes = mon.t_
        summary.facts.append(("recorded", f"{mon.num_spikes} spikes"
                                          + (f" between {_ms(spikes.min())} and "
                                             f"{_ms(spikes.max())}" if spikes.size else "")))
        summary.facts.append(("memory", _bytes(mon.num_spikes * 12) + " (index and time per spike)"))
    elif kind == "StateMonitor":
        count = int(np.size(mon.record))
        summary.facts.append(("variables", ", ".join(mon.variables)))
        summary.facts.append(("records", f"{count} of {source}'s "
                                         f"{'synapses' if _is_synapses(mon.source) else 'neurons'}"))
        summary.facts.append(("recorded", _time_span(times)))
        summary.facts.append(("memory", _bytes(times.size * count * len(mon.variables) * 8)))
    else:
        summary.facts.append(("recorded", _time_span(times)))
        if times.size:
            summary.facts.append(("mean rate", f"{float(np.mean(mon.rate_)):.4g} Hz"))
    return summary


def _time_span(times: np.ndarray) -> str:
    if times.size == 0:
        return "nothing yet (run the network)"
    return f"{times.size} samples from {_ms(times[0])} to {_ms(times[-1])}"


def _size(obj) -> str:
    kind = type(obj).__name__
    if kind == "SpikeMonitor":
        return f"{obj.num_spikes} spikes"
    if kind in ("StateMonitor", "PopulationRateMonitor"):
        samples = np.size(_safe(lambda: obj.t_) if hasattr(obj, "t_") else ())
        return f"{samples} samples"
    n = getattr(obj, "N", None)
    return f"{n} {'synapses' if kind == 'Synapses' else 'neurons'}" if n is not None else ""


def _is_synapses(obj) -> bool:
    return type(obj).__name__ == "Synapses"


# --- formatting --------------------------------------------------------------------------
def _safe(function):
    """The value, or None when the object cannot say (a repr must never raise)."""
    try:
        return function()
    except Exception:  # noqa: BLE001 - a summary shows what it can
        return None


def _first_clause(reason: str) -> str:
    return reason.split(";")[0].strip()


def _statements(value) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(f"{a.lhs} = {a.rhs}" if hasattr(a, "lhs") else str(a) for a in value)
    return str(value)


def _unit(unit) -> str:
    text_ = f"{unit:~P}" if unit is not None else ""
    return text_ or "1"


def _quantity(value) -> str:
    if hasattr(value, "to_compact"):
        compact = value.to_compact()
        return f"{compact.magnitude:.4g} {compact.units:~P}".strip()
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _values(values) -> str:
    """``-65 mV`` if all equal, else ``mean -64.1 mV (-70 … -50)``."""
    unit = getattr(values, "units", None)
    magnitude = np.asarray(getattr(values, "magnitude", values), dtype=float).ravel()
    if magnitude.size == 0:
        return "none"
    if unit is not None:
        scale = (np.mean(np.abs(magnitude)) or 1.0) * unit
        target = scale.to_compact().units
        magnitude = (magnitude * unit).to(target).magnitude
        suffix = f" {target:~P}"
    else:
        suffix = ""
    low, high = float(np.min(magnitude)), float(np.max(magnitude))
    if low == high:
        return f"{low:.4g}{suffix}"
    return f"mean {float(np.mean(magnitude)):.4g}{suffix} ({low:.4g} … {high:.4g})"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.6g} ms"


def _bytes(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.3g} {unit}"
        count /= 1000
    return ""


# --- progress ----------------------------------------------------------------------------
def progress_bar(**options):
    """A tqdm progress bar that suits where the code runs: a widget in Jupyter when
    ipywidgets is installed (``pip install eqsnn[notebook]``), text otherwise — never
    tqdm's "IProgress not found" warning."""
    if _in_notebook() and _has_ipywidgets():
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm(**options)


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _has_ipywidgets() -> bool:
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True
