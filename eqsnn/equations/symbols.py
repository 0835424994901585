"""How names become SymPy symbols, everywhere in eqsnn.

Every stage builds symbols through :func:`symbol` so that ``v`` parsed from a string and
``v`` created by an integrator are the same SymPy object (``Symbol('v', real=True)``;
a plain ``Symbol('v')`` would be a different symbol).
"""
from __future__ import annotations

import keyword
import re

import sympy

__all__ = ["symbol", "TIME", "DT", "NOT_REFRACTORY", "RESERVED_NAMES", "is_noise_name",
           "is_reserved"]


def symbol(name: str) -> sympy.Symbol:
    """The one SymPy symbol eqsnn uses for ``name``."""
    return sympy.Symbol(name, real=True)


TIME = symbol("t")
DT = symbol("dt")
#: 1.0 while a neuron is not refractory, 0.0 while it is (provided by the runtime).
NOT_REFRACTORY = symbol("not_refractory")

#: Names a model may not define: the runtime provides them.
RESERVED_NAMES = frozenset({
    "t", "dt", "xi", "i", "j", "N", "N_pre", "N_post", "N_incoming", "N_outgoing",
    "not_refractory", "lastspike", "t_in_timesteps", "True", "False", "inf", "pi", "e",
})

_NOISE = re.compile(r"^xi(_[A-Za-z0-9_]+)?$")


def is_noise_name(name: str) -> bool:
    """``xi`` and ``xi_anything`` are white-noise terms (unit: second**-0.5)."""
    return bool(_NOISE.match(name))


def is_reserved(name: str) -> bool:
    return (name in RESERVED_NAMES or is_noise_name(name) or keyword.iskeyword(name)
            or name.startswith("_"))
