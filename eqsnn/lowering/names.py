"""The names a model's strings may use without defining them, and how names print.

A model name prints as itself in generated code (``v[_i]``, ``tau``), unless it is a
word the target language reserves — a C keyword (``long``), a function of C's math
library (``y0``), ``np`` in the numpy twin: such a name gets the prefix ``_u_``, which no
user name can have (user names never start with ``_``). The record keeps the mapping
(``GroupCode.locals``), and templates bind the local name.
"""
from __future__ import annotations

from eqsnn import units
from eqsnn.targets import NUMPY

__all__ = ["BUILTIN_NAMES", "BUILTIN_DIMS", "SYNAPSE_DIMS", "CONNECTIVITY_COUNTS", "VIEW_NAMES",
           "NOT_REFRACTORY", "local_name", "local_names"]

_SECOND = (1 * units.ureg.second).dimensionality
_ONE = units.DIMENSIONLESS

#: Names every neuron group's strings may use: time, step, index, size, refractoriness.
BUILTIN_DIMS = {"t": _SECOND, "dt": _SECOND, "i": _ONE, "N": _ONE, "not_refractory": _ONE}
BUILTIN_NAMES = set(BUILTIN_DIMS)
#: A string value or index written for a subgroup (``G[4:8].v = "i"``) counts ``i`` from
#: the subgroup's first neuron and reads ``N`` as its size (Brian2); the subexpressions
#: it reads keep the whole group's. So in the evaluated tree the string's own ``i`` and
#: ``N`` are these names (``lowering/indices.py``: ``own_index_names``).
VIEW_NAMES = {"i": "_view_i", "N": "_view_N"}
#: ... and a synapse's strings: source/target index and size, time of last event.
SYNAPSE_DIMS = {"t": _SECOND, "dt": _SECOND, "i": _ONE, "j": _ONE, "N_pre": _ONE,
                "N_post": _ONE, "lastupdate": _SECOND}
#: Per synapse: the number of synapses onto its target / out of its source (Brian2's).
CONNECTIVITY_COUNTS = ("N_incoming", "N_outgoing")
#: What a synaptic pathway reads of its source / target neuron's refractoriness (1.0:
#: not refractory, 0.0: refractory); its template defines them.
NOT_REFRACTORY = {"pre": "not_refractory_pre", "post": "not_refractory_post"}

_C_KEYWORDS = """auto break case char const continue default do double else enum extern
float for goto if inline int long register restrict return short signed sizeof static
struct switch typedef union unsigned void volatile while _Bool _Complex bool true false
NULL""".split()
_C_LIBRARY = """acos asin atan atan2 cos sin tan cosh sinh tanh exp log log10 log2 log1p
expm1 pow sqrt cbrt ceil floor fabs fmod fmin fmax round trunc hypot erf erfc tgamma
lgamma j0 j1 jn y0 y1 yn nan isnan isinf isfinite signbit copysign frexp ldexp modf abs
exit malloc free int32_t int64_t uint32_t uint64_t""".split()
_PYTHON_RESERVED = """np abs all any bool float int len list max min range round sum tuple
print object type""".split()

_RESERVED_C = set(_C_KEYWORDS) | set(_C_LIBRARY)
_RESERVED_NUMPY = set(_PYTHON_RESERVED)


def local_name(name: str, backend: str) -> str:
    """How model name ``name`` is written in ``backend``'s generated code."""
    reserved = _RESERVED_NUMPY if backend == NUMPY else _RESERVED_C
    if name in reserved or name.startswith("eqsnn"):
        return f"_u_{name}"
    return name


def local_names(names, backend: str) -> dict[str, str]:
    """The names among ``names`` whose local name differs from the name itself."""
    return {n: local_name(n, backend) for n in names if local_name(n, backend) != n}
