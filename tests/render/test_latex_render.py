"""Every derivation eqsnn prints as LaTeX is mathematics a real renderer typesets.

KaTeX — the renderer the documentation ships (docs/assets/katex/katex.min.js, vendored,
MIT) — is run by node once for all formulas, in strict mode, with MathML output; the
MathML is then read for what a reader would see as garbage even when KaTeX accepts it:

* a multi-letter name set in italic letters (``El`` read as E·l, ``mV`` as m·V,
  ``not_refractory`` as "not" with subscript "refractory");
* a sub- or superscript with nothing to attach to (``_cse0`` at the start of a row);
* a ``*`` (code, not mathematics: ``exp(A*dt)``);
* a row too long for a page.

Covered: every (built-in neuron model, method that applies) pair of the catalogue, every
built-in synapse model as ``eqsnn derive`` prints it, and custom models (noise,
functions of time, coupled linear systems, names with underscores and digits), in the
three renderings: ``to_latex`` (``eqsnn derive --format latex``), ``to_markdown`` (the
docs) and ``_repr_latex_`` (Jupyter).

Needs node (on the machine and in CI); without it the test is skipped, except in CI.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest
import sympy
from sympy.core.function import AppliedUndef

from eqsnn import models
from eqsnn.errors import UnsupportedEquationsError
from eqsnn.integrators import derive, registered_methods

ROOT = Path(__file__).resolve().parents[2]
KATEX = ROOT / "docs" / "assets" / "katex" / "katex.min.js"
SCRIPT = Path(__file__).with_name("katex_check.js")

CUSTOM = {
    "noisy LIF": "dv/dt = (E_L - v)/tau_m + sigma*xi/sqrt(tau_m) : volt",
    "multiplicative noise": "dx/dt = -x/tau + sigma*x*xi : 1",
    "sine drive": "dv/dt = (v_rest - v + R_in*I_amp*sin(2*pi*f_drive*t))/taum : volt",
    "oscillator": "dx/dt = -x/tau_d - omega*y : 1\ndy/dt = omega*x - y/tau_d : 1",
    "cascade": ("dv/dt = (E_L - v + R*I_s)/tau_m : volt\n"
                "dI_s/dt = (x_1 - I_s)/tau_s_exc : amp\ndx_1/dt = -x_1/tau_s_exc : amp"),
    "subexpressions": ("I_syn = g_e*(E_exc - v) : amp\n"
                       "dv/dt = (E_L - v)/tau_m + I_syn/C_m : volt\n"
                       "dg_e/dt = -g_e/taue : siemens"),
}


def _catalogue_derivations():
    """(label, Derivation) for every distinct built-in model and method that applies."""
    seen = set()
    for name in models.catalogue():
        model = models.get(name)
        if model.equations in seen:  # a preset changes values, not equations
            continue
        seen.add(model.equations)
        yield from _every_method(name, model)


def _every_method(label, target):
    applied = 0
    for method in registered_methods():
        try:
            derivation = derive(target, method)
        except UnsupportedEquationsError:
            continue
        applied += 1
        yield f"{label} / {method}", derivation
    assert applied, f"no method applies to {label}"


def _synapse_latex():
    """``eqsnn derive SYNAPSE --format latex`` for every built-in synapse model."""
    from eqsnn import derive
    for name in models.synapse_catalogue():
        model = models.get(name)
        if "/dt" in model.equations:
            yield name, derive(model).to_latex()


def _formulas(label: str, derivation) -> list[tuple[str, str, bool]]:
    """(id, tex, display) of every formula and sentence of the three renderings."""
    out = [(f"{label} [latex]", tex, True) for tex in _latex_document_math(derivation.to_latex())]
    out += [(f"{label} [markdown]", tex, True)
            for tex in re.findall(r"\$\$\n(.*?)\n\$\$", derivation.to_markdown(), re.S)]
    out.append((f"{label} [jupyter]", derivation._repr_latex_().strip("$"), True))
    return out


def _latex_document_math(document: str) -> list[str]:
    """The ``align*`` blocks, and each sentence paragraph typeset as text."""
    blocks = re.findall(r"\\begin\{align\*\}.*?\\end\{align\*\}", document, re.S)
    document = re.sub(r"\\begin\{(align\*|verbatim)\}.*?\\end\{\1\}", "", document, flags=re.S)
    sentences = [p for p in document.split("\n\n")
                 if p.strip() and not p.startswith(("\\paragraph", "\\subsection"))]
    return blocks + [r"\text{" + p.strip() + "}" for p in sentences]


def _names(derivation) -> set[str]:
    names = set()
    for step in derivation.steps:
        for pair in step.equations:
            for expr in pair:
                names |= {s.name for s in sympy.sympify(expr).free_symbols}
                names |= {f.func.__name__ for f in sympy.sympify(expr).atoms(AppliedUndef)}
    return names


def _words(names) -> set[str]:
    """Multi-letter parts of names (``g_Na`` → ``Na``), which must never be typeset as
    a product of italic letters."""
    names = set(names) | {"dt"}
    greek = {"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "kappa",
             "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi",
             "omega", "Delta", "inf"}
    parts = {p for n in names for p in re.split(r"[_\d]+", n)}
    return {p for p in parts if len(p) > 1 and p not in greek and p.isascii()}


def _italic_runs(mathml: str) -> list[str]:
    """Runs of adjacent italic one-letter identifiers (what reads as one word)."""
    marked = re.sub(r"<mi>([A-Za-z])</mi>", "\x00\\1", mathml)
    marked = re.sub(r"<(msub|msup|msubsup|mrow)>", "", marked)  # not_{refractory}
    return [run.replace("\x00", "") for run in re.findall(r"(?:\x00[A-Za-z]){2,}", marked)]


def _rows_too_long(tex: str, width: int = 110) -> list[str]:
    if not tex.startswith(r"\begin"):
        return []
    too_long = []
    for row in tex.split(r"\\"):
        visible = re.sub(r"\\[A-Za-z]+|[{}^_&\\ ]", "", row)
        if len(visible) > width:
            too_long.append(row.strip()[:80] + "…")
    return too_long


@lru_cache(maxsize=1)
def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is needed to render LaTeX with KaTeX (install nodejs)")
        pytest.skip("node is not installed: the KaTeX rendering test needs it")
    return node


def _render(formulas):
    request = [{"id": i, "tex": tex, "display": display}
               for i, (_, tex, display) in enumerate(formulas)]
    done = subprocess.run([_node(), str(SCRIPT), str(KATEX)], input=json.dumps(request),
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)


def _problems(formulas, words_of) -> list[str]:
    problems = []
    for (label, tex, _), result in zip(formulas, _render(formulas)):
        where = f"{label}: {tex[:100]!r}"
        if result["error"]:
            problems.append(f"{where}\n    KaTeX: {result['error']}")
            continue
        mathml = result["mathml"].split("<annotation")[0]
        if re.search(r"<(msub|msup|msubsup)><mrow></mrow>", mathml):
            problems.append(f"{where}\n    a sub/superscript with nothing before it")
        if "<mo>∗</mo>" in mathml:
            problems.append(f"{where}\n    '*' in mathematics (code, not maths)")
        words = words_of(label)
        garbled = sorted({w for run in _italic_runs(mathml) for w in words if w in run})
        if garbled:
            problems.append(f"{where}\n    multi-letter names in italic letters: {garbled}")
        for row in _rows_too_long(tex):
            problems.append(f"{where}\n    row too long for a page: {row}")
    return problems


def test_every_derivation_renders_with_katex():
    derivations = dict(_catalogue_derivations())
    for name, equations in CUSTOM.items():
        derivations.update(_every_method(f"custom {name}", equations))
    formulas = [f for label, d in derivations.items() for f in _formulas(label, d)]
    words = {label: _words(_names(d)) for label, d in derivations.items()}
    for name, document in _synapse_latex():
        formulas += [(f"synapse {name}", tex, True) for tex in _latex_document_math(document)]
        words[f"synapse {name}"] = _words(re.findall(r"[A-Za-z_]\w*", models.get(name).equations))
    pairs = {label.rsplit(" [", 1)[0] for label, _, _ in formulas}
    assert len([p for p in pairs if not p.startswith(("custom", "synapse"))]) >= 50

    problems = _problems(formulas, lambda label: words.get(label.rsplit(" [", 1)[0], set()))
    assert not problems, f"{len(problems)} formulas render badly:\n" + "\n".join(problems[:30])


def test_the_check_catches_what_a_reader_would_see_as_garbage():
    # The old printer's output for LIF/exact: it parses, but reads wrongly.
    bad = [("old", r"\begin{align*}_cse0 &= e^{- \frac{dt}{\tau}} \\ v &= not_{refractory}"
                   r" (El + I R) \end{align*}", True),
           ("old", r"x_{new} = b int^{dt exp(A*s) ds}_{0} + exp(A*dt) x", True),
           ("old", r"\frac{d}{d t} v = 40 mV", True),
           ("old", r"\begin{align*} \frac{1}{x \left( \end{align*}", True)]
    problems = _problems(bad, lambda label: {"refractory", "not", "El", "mV", "dt", "exp"})
    assert any("KaTeX" in p for p in problems)
    assert any("nothing before it" in p for p in problems)
    assert any("'*'" in p for p in problems)
    assert sum("italic letters" in p for p in problems) >= 2
