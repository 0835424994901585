"""Equation strings are parsed, never executed: attempts to run code are errors."""
import os

import pytest

from eqsnn.equations import Equations, parse_expression, parse_statements
from eqsnn.errors import EqsnnError

MARKER = "EQSNN_PWNED"

ATTACKS = [
    f"__import__('os').system('touch {MARKER}')",
    f"__import__(\"os\").system(\"touch {MARKER}\")",
    f"open('{MARKER}', 'w').write('x')",
    f"exec(\"open('{MARKER}', 'w')\")",
    f"eval(\"open('{MARKER}', 'w')\")",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "(lambda: __import__('os'))()",
    "getattr(os, 'system')('touch EQSNN_PWNED')",
    "globals()['os']",
    f"compile('touch', '{MARKER}', 'exec')",
    "exp(v).__globals__",
    "os.system",
    "breakpoint()",
    "f'{__import__(\"os\")}'",
    "(x := __import__('os'))",
]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert not (tmp_path / MARKER).exists(), "an equation string was executed"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_in_equation_raises_and_creates_nothing(attack, in_tmp):
    with pytest.raises(EqsnnError):
        Equations(f"dv/dt = {attack} : volt")
    with pytest.raises(EqsnnError):
        Equations(f"I = {attack} : amp")


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_in_threshold_reset_and_unit_raises(attack, in_tmp):
    with pytest.raises(EqsnnError):
        parse_expression(f"v > {attack}", label="threshold")
    with pytest.raises(EqsnnError):
        parse_statements(f"v = {attack}")
    with pytest.raises(EqsnnError):
        Equations(f"v : {attack}")


def test_unknown_plain_calls_are_recorded_not_called(in_tmp):
    # 'system(...)' is just a name the runtime will look up (and reject) in the
    # namespace; it is never resolved to anything here.
    eqs = Equations("I = system(t) : amp")
    assert eqs.external_functions == frozenset({"system"})


def test_dunder_error_names_the_dunder(in_tmp):
    with pytest.raises(EqsnnError, match="'__import__' is not allowed"):
        Equations(f"dv/dt = {ATTACKS[0]} : volt")


def test_no_eval_exec_or_sympify_of_strings_in_the_parser():
    import pathlib
    import re

    import eqsnn.equations as package

    root = pathlib.Path(package.__file__).parent
    for path in root.glob("*.py"):
        code = path.read_text()
        for forbidden in (r"(?<!def )\beval\(", r"\bexec\(", r"sympify\(", r"parse_expr\b",
                          r"(?<!re\.)\bcompile\("):
            assert not re.search(forbidden, code), f"{forbidden} in {path.name}"
