"""What to write instead, for the Brian2 names that eqsnn spells differently.

``eqsnn.__getattr__`` asks :func:`missing_name` for a name it does not have. A Brian2 user
reaches for ``es.run(...)``, ``from eqsnn import mV`` or ``defaultclock.dt``; they get an
error that says what eqsnn writes instead.

The error is an :class:`AttributeError` (and an :class:`~eqsnn.errors.EqsnnError`), so
``hasattr(es, "run")`` and ``getattr(es, "mV", None)`` answer as for any missing name.
Python replaces an AttributeError raised while ``from eqsnn import mV`` looks the name
up with its own "cannot import name"; but first it tries to import a submodule
``eqsnn.mV``, and :class:`HintFinder` (last on ``sys.meta_path``, asked only after
every real finder failed, and only for ``eqsnn.<name>``) answers for the names with a
hint, with a loader that raises the same error: the user sees the hint either way.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys

from eqsnn.errors import EqsnnError

__all__ = ["BrianNameError", "missing_name", "HintFinder", "install_import_hints"]


class BrianNameError(EqsnnError, AttributeError):
    """A Brian2 name that eqsnn does not have; the hint says what to write instead."""


_NO_MAGIC = ("put the objects in a Network and run it: net = es.Network(group, monitor); "
             "net.run(100*ms)")
_HINTS = {
    "run": ("eqsnn has no run(): there is no implicit network collecting your objects",
            _NO_MAGIC),
    "collect": ("eqsnn has no collect(): there is no implicit network", _NO_MAGIC),
    "magic_network": ("eqsnn has no magic network", _NO_MAGIC),
    "MagicNetwork": ("eqsnn has no magic network", _NO_MAGIC),
    "start_scope": ("eqsnn has no start_scope(): nothing is collected implicitly, so "
                    "there is no scope to clear",
                    "a network holds only the objects passed to es.Network(...); make a new "
                    "Network for a new simulation"),
    "defaultclock": ("eqsnn has no defaultclock: the default time step is the network's",
                     "es.Network(..., dt=0.05*ms) for every object (read it as net.dt); "
                     "dt= or clock=es.Clock(...) on an object for its own, a multiple of "
                     "the network's"),
    "store": ("store() is a method of the network in eqsnn", "net.store(); net.restore()"),
    "restore": ("restore() is a method of the network in eqsnn",
                "net.store(); net.restore()"),
    "seed": ("eqsnn has no global seed(): the seed belongs to the network",
             "es.Network(..., seed=1)"),
    "prefs": ("eqsnn has no global prefs: options are passed where they apply",
              "es.Network(..., backend='numpy') or backend='c' instead of "
              "prefs.codegen.target"),
    "set_device": ("eqsnn has no devices: every network is compiled to one C library and "
                   "run from Python, so there is nothing to set",
                   "remove set_device(...); choose the backend with es.Network(..., "
                   "backend='c' or 'numpy')"),
    "device": ("eqsnn has no devices", "choose the backend with es.Network(..., backend=...)"),
}
#: Brian2's re-exports of numpy and pylab (not ``plot``: eqsnn.plot is eqsnn's own)
_NUMPY = {"exp", "log", "sqrt", "sin", "cos", "tanh", "array", "arange", "linspace", "zeros",
          "ones", "mean", "clip", "floor", "ceil", "rand", "randn", "pi", "inf", "nan"}
_PYPLOT = {"show", "figure", "xlabel", "ylabel", "subplot", "legend", "title",
           "xlim", "ylim", "hist"}
_UNIT_HELPERS = {"check_units", "get_dimensions", "have_same_dimensions", "Quantity",
                 "DimensionMismatchError"}


def missing_name(name: str) -> BrianNameError | None:
    """The error for a Brian2 name eqsnn does not have, or None for any other name
    (also for eqsnn's submodules: ``from eqsnn import units`` asks for the attribute
    before it imports the submodule)."""
    package = sys.modules["eqsnn"]
    if importlib.machinery.PathFinder.find_spec(f"eqsnn.{name}", package.__path__) is not None:
        return None
    return _hint(name)


def _hint(name: str) -> BrianNameError | None:
    unit_names = importlib.import_module("eqsnn.unit_names")
    if name in _HINTS:
        message, hint = _HINTS[name]
        return BrianNameError(message, hint=hint)
    if name in unit_names.EXPRESSIONS:
        return BrianNameError(f"eqsnn has no {name!r} at the top level: units live in "
                              "eqsnn.units", hint=f"from eqsnn.units import {name}")
    if name in _UNIT_HELPERS:
        where = "eqsnn.errors" if name == "DimensionMismatchError" else "eqsnn.units"
        return BrianNameError(f"eqsnn has no {name!r} at the top level",
                              hint=f"look in {where} (units are pint quantities: "
                                   "docs/units.md)")
    if name in _NUMPY:
        return BrianNameError(f"eqsnn does not re-export numpy's {name!r} as Brian2 does",
                              hint=f"import numpy as np; np.{name}"
                                   if name not in ("rand", "randn")
                              else f"import numpy as np; np.random.{name}")
    if name in _PYPLOT:
        return BrianNameError(f"eqsnn does not re-export pyplot's {name!r} as Brian2 does",
                              hint=f"import matplotlib.pyplot as plt; plt.{name}(...)")
    return None


class HintFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``from eqsnn import run``: the import Python tries after the attribute lookup
    failed raises the hint (see the module's docstring)."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.partition(".")
        if package != "eqsnn" or "." in name or not name or _hint(name) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec):
        raise _hint(spec.name.partition(".")[2])

    def exec_module(self, module):  # (never reached: create_module raises)
        raise _hint(module.__name__.partition(".")[2])


def install_import_hints() -> None:
    """Put one :class:`HintFinder` last on ``sys.meta_path`` (once)."""
    if not any(isinstance(finder, HintFinder) for finder in sys.meta_path):
        sys.meta_path.append(HintFinder())
