"""How names become SymPy symbols, everywhere in eqsnn.

Every stage builds symbols through :func:`symbol` so that ``v`` parsed from a string and
``v`` created by an integrator are the same SymPy object (``Symbol('v', real=True)``;
a plain ``Symbol('v')`` would be a different symbol).
"""
from __future__ import annotations

import keyword
import re
import unicodedata

import sympy

__all__ = ["symbol", "normalise_name", "GENERATED_PREFIX", "generated_name", "TIME", "DT",
           "NOT_REFRACTORY", "RESERVED_NAMES", "is_noise_name", "is_reserved"]


def normalise_name(name: str) -> str:
    """``name`` in NFKC form, the form Python gives identifiers: ``aﬁ`` (with the
    ligature) and ``afi`` are one name, as they are in Python source. Every lookup of a
    user's name goes through this, so both backends see the same name."""
    return name if name.isascii() else unicodedata.normalize("NFKC", name)


def symbol(name: str) -> sympy.Symbol:
    """The one SymPy symbol eqsnn uses for ``name`` (normalised)."""
    return sympy.Symbol(normalise_name(name), real=True)


#: Every name eqsnn generates (arrays, temporaries, indices in the generated code)
#: starts with this prefix, which no user name may take: the parser refuses it in
#: definitions, expressions and statements. Build generated names with
#: :func:`generated_name`.
GENERATED_PREFIX = "_"


def generated_name(kind: str, user_name: str | None = None) -> str:
    """A generated name that cannot equal any other generated or user name.

    ``kind`` is eqsnn's own part (``"g1_v"``, ``"heun_k1"``, ``"s0_start"``): letters,
    digits and single underscores, no leading, trailing or double underscore. A user
    name, if any, comes last, after ``"__"``: since user names never start with ``_``,
    the first ``"__"`` always ends the ``kind``, so two generated names are equal only if
    both parts are (``_g1__v_v`` is kind ``g1`` for the variable ``v_v``; ``_g1_v__v``
    kind ``g1_v`` for ``v``).
    """
    if not _KIND.fullmatch(kind):
        raise ValueError(f"internal: {kind!r} is not a valid kind of generated name")
    if user_name is None:
        return f"{GENERATED_PREFIX}{kind}"
    if user_name.startswith(GENERATED_PREFIX):
        raise ValueError(f"internal: {user_name!r} is not a user name")
    return f"{GENERATED_PREFIX}{kind}__{user_name}"


_KIND = re.compile(r"[A-Za-z0-9]+(_[A-Za-z0-9]+)*")


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
            or name.startswith(GENERATED_PREFIX))
