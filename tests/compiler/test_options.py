"""CompilerOptions: explicit options win, the environment only supplies defaults, bad
options are eqsnn errors; Network(compiler=...) compiles with them; the backend is "c"."""
from __future__ import annotations

import dataclasses
import warnings

import pytest

import eqsnn as es
from eqsnn import compiler
from eqsnn.compiler import DEFAULT_CFLAGS, CompilerOptions
from eqsnn.errors import CompilationError, InvalidValueError

ms = es.units.ureg.ms


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    compiler.clear_memory_cache()
    yield tmp_path
    compiler.clear_memory_cache()


def _network(**options):
    group = es.NeuronGroup(3, "dv/dt = -v/(10*ms) : 1")
    group.v = 1.0
    return group, es.Network(group, **options)


def test_fields_not_given_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("EQSNN_CFLAGS", "-O1 '-DNAME=a b'")
    monkeypatch.setenv("CC", "gcc -pthread")
    options = CompilerOptions()
    assert options.cflags == ("-O1", "-DNAME=a b") and options.cc == ("gcc", "-pthread")
    explicit = CompilerOptions(cflags=["-O2"], cc="cc")
    assert explicit.cflags == ("-O2",) and explicit.cc == ("cc",)
    assert explicit.ldflags == CompilerOptions().ldflags  # not given: the default
    monkeypatch.delenv("EQSNN_CFLAGS")
    monkeypatch.delenv("CC")
    assert CompilerOptions.from_environment().cflags == DEFAULT_CFLAGS or \
        "clang" in CompilerOptions().cc[0]


@pytest.mark.parametrize("value", ["", "   ", " \t\n"])
def test_an_empty_EQSNN_CFLAGS_means_the_defaults_not_a_build_without_flags(monkeypatch, value):
    # `export EQSNN_CFLAGS=` is how a shell user clears the variable: it must not build at -O0
    monkeypatch.delenv("EQSNN_CFLAGS", raising=False)
    defaults = CompilerOptions().cflags
    assert "-O3" in defaults or "clang" in CompilerOptions().cc[0]
    monkeypatch.setenv("EQSNN_CFLAGS", value)
    assert CompilerOptions().cflags == defaults
    # the explicit way to ask for no flags at all
    assert CompilerOptions(cflags=()).cflags == ()
    assert CompilerOptions(cflags="").cflags == ()


def test_options_are_frozen_and_compare_by_value():
    options = CompilerOptions(cflags="-O2 -g")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.cflags = ("-O0",)
    assert options == CompilerOptions(cflags=("-O2", "-g"))
    assert hash(options) == hash(CompilerOptions(cflags=["-O2", "-g"]))


def test_an_unclosed_quote_in_EQSNN_CFLAGS_is_an_eqsnn_error_naming_it(monkeypatch):
    monkeypatch.setenv("EQSNN_CFLAGS", '-O2 "-DX=1')
    with pytest.raises(InvalidValueError) as info:
        CompilerOptions()
    message = str(info.value)
    assert "EQSNN_CFLAGS" in message and "quot" in message and "unset EQSNN_CFLAGS" in message
    # an explicit cflags does not read the variable at all
    assert CompilerOptions(cflags=("-O2",)).cflags == ("-O2",)


def test_an_unclosed_quote_in_CC_is_an_eqsnn_error_naming_it(monkeypatch):
    monkeypatch.setenv("CC", "'gcc")
    with pytest.raises(InvalidValueError, match="CC"):
        CompilerOptions()


@pytest.mark.parametrize("kwargs, words", [
    ({"cc": ""}, "empty"), ({"cc": ()}, "empty"), ({"cflags": 3}, "cflags"),
    ({"ldflags": ["-lm", None]}, "ldflags"), ({"cflags": ("-DX=\0",)}, "NUL"),
])
def test_bad_options_are_eqsnn_errors(kwargs, words):
    with pytest.raises(InvalidValueError, match=words):
        CompilerOptions(**kwargs)


def test_network_compiles_with_the_options_it_is_given(fresh_cache, monkeypatch):
    group, net = _network(backend="c", compiler=CompilerOptions(
        cflags=("-O2", "-fno-such-option-eqsnn")))
    with pytest.raises(CompilationError, match="no-such-option-eqsnn"):
        net.run(1 * ms)
    # the environment is not read for what the options give
    monkeypatch.setenv("EQSNN_CFLAGS", "-fno-such-option-eqsnn")
    group, net = _network(backend="c", compiler=CompilerOptions(cflags=("-O2",)))
    net.run(1 * ms)
    assert group.v[0] == pytest.approx(0.9048, abs=1e-3)


def test_network_refuses_what_is_not_compiler_options():
    with pytest.raises(InvalidValueError, match="CompilerOptions"):
        _network(compiler="gcc -O2")


def test_cython_is_a_deprecated_name_of_the_c_backend():
    with pytest.warns(DeprecationWarning, match='now called "c"') as caught:
        _, net = _network(backend="cython")
    assert net.backend == "c"
    assert caught[0].filename == __file__  # points at the caller's line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _network(backend="c")


def test_an_unknown_backend_names_the_choices():
    with pytest.raises(InvalidValueError) as info:
        _network(backend="cuda")
    assert "'cuda'" in str(info.value) and "'c', 'numpy'" in str(info.value)
    _, net = _network(backend="numpy")
    with pytest.raises(InvalidValueError):
        net.backend = "fortran"
