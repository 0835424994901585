"""CompilerOptions: explicit options win, the environment only supplies defaults, bad
options are eqsnn errors; Network(compiler=...) compiles with them; the backend is "c"."""
from __future__ import annotations

import dataclasses
import warnings

import pytest

import eqsnn as es
from eqsnn import compiler
from eqsnn.compiler import DEFAULT_CFLAGS, CompilerOptions
from eqsnn.compiler.options import EXP_CHOICES as EXP_FLAGS
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
    monkeypatch.delenv("EQSNN_EXP", raising=False)
    defaults = CompilerOptions.from_environment()  # (and the flag of this CPU's exp)
    assert defaults.cflags == DEFAULT_CFLAGS + EXP_FLAGS[defaults.exp] or \
        "clang" in defaults.cc[0]


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


# /proc/cpuinfo's first block, cut to the lines exp_for_cpu reads (and one it must not)
_ZEN4 = """processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 17
model name\t: AMD EPYC
flags\t\t: fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl

processor\t: 1
vendor_id\t: GenuineIntel
"""
_ZEN5 = _ZEN4.replace("cpu family\t: 25", "cpu family\t: 26").replace("model\t\t: 17",
                                                                      "model\t\t: 2")
_ZEN3 = _ZEN4.replace(" avx512f avx512dq avx512bw avx512vl", "").replace("17", "1")
_ROCKET_LAKE = """processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 167
flags\t\t: fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl
"""
_ARM = """processor\t: 0
BogoMIPS\t: 50.00
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32
CPU implementer\t: 0x41
"""


@pytest.mark.parametrize("cpuinfo, exp", [
    (_ZEN4, "inline"), (_ZEN5, "inline"), (_ZEN3, "libm"), (_ROCKET_LAKE, "libm"),
    (_ARM, "libm"), ("", "libm"), ("\n\nvendor_id: AuthenticAMD\n", "libm"),
    # a flag that only starts like AVX-512F's is not it
    (_ZEN3.replace("fma", "fma avx512fx"), "libm"),
])
def test_the_default_exp_is_the_faster_one_measured_on_that_kind_of_cpu(cpuinfo, exp):
    assert compiler.options.exp_for_cpu(cpuinfo) == exp


def test_the_default_exp_is_this_cpus_with_the_default_flags(monkeypatch):
    monkeypatch.delenv("EQSNN_EXP", raising=False)
    monkeypatch.delenv("EQSNN_CFLAGS", raising=False)
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
        mine = compiler.options.exp_for_cpu(handle.read())
    options = CompilerOptions()
    assert options.exp == mine
    assert f"exp={mine!r}" in repr(options)  # which one is visible
    assert ("-DEQSNN_EXP_INLINE" in options.cflags) == (mine == "inline")
    # the choice is made in the options, so equal choices are equal options (one module)
    assert options == CompilerOptions(exp=mine)


@pytest.mark.parametrize("flags, exp", [("-O2", "libm"), ("", "libm"),
                                        ("-O2 -DEQSNN_EXP_INLINE", "inline")])
def test_flags_of_ones_own_are_used_as_given_and_say_the_exp(monkeypatch, flags, exp):
    monkeypatch.delenv("EQSNN_EXP", raising=False)
    monkeypatch.delenv("EQSNN_CFLAGS", raising=False)
    given = CompilerOptions(cflags=flags)
    assert (given.cflags, given.exp) == (tuple(flags.split()), exp)
    if flags:
        monkeypatch.setenv("EQSNN_CFLAGS", flags)
        from_environment = CompilerOptions()
        assert (from_environment.cflags, from_environment.exp) == (tuple(flags.split()), exp)


@pytest.mark.parametrize("given", ["libm", "inline"])
def test_the_exp_given_or_in_EQSNN_EXP_overrides_the_default(monkeypatch, given):
    other = {"libm": "inline", "inline": "libm"}[given]
    monkeypatch.delenv("EQSNN_CFLAGS", raising=False)
    monkeypatch.setenv("EQSNN_EXP", other)
    options = CompilerOptions()
    assert options.exp == other
    assert ("-DEQSNN_EXP_INLINE" in options.cflags) == (other == "inline")
    assert CompilerOptions(cflags="-O2").cflags == (
        "-O2", *(("-DEQSNN_EXP_INLINE",) if other == "inline" else ()))
    # given, the environment is not read
    options = CompilerOptions(exp=given)
    assert options.exp == given
    assert ("-DEQSNN_EXP_INLINE" in options.cflags) == (given == "inline")
    monkeypatch.setenv("EQSNN_EXP", "  ")  # blank: unset, this CPU's
    assert CompilerOptions().exp == compiler.options._exp_of_this_cpu()


@pytest.mark.parametrize("value", ["libmvec", "INLINE", "auto"])
def test_a_bad_EQSNN_EXP_is_an_eqsnn_error_naming_it_and_the_choices(monkeypatch, value):
    monkeypatch.setenv("EQSNN_EXP", value)
    with pytest.raises(InvalidValueError) as info:
        CompilerOptions()
    message = str(info.value)
    assert f"EQSNN_EXP={value!r}" in message and "'libm', 'inline'" in message
    assert "unset it" in message
    assert CompilerOptions(exp="libm").exp == "libm"  # (given: not read)


def test_flags_that_define_the_inline_exp_contradict_exp_libm(monkeypatch):
    monkeypatch.delenv("EQSNN_EXP", raising=False)
    for flag in ("-DEQSNN_EXP_INLINE", "-DEQSNN_EXP_INLINE=1"):
        with pytest.raises(InvalidValueError, match="EQSNN_EXP_INLINE.*exp='inline'"):
            CompilerOptions(cflags=("-O2", flag), exp="libm")
        monkeypatch.setenv("EQSNN_EXP", "libm")
        with pytest.raises(InvalidValueError, match="EQSNN_EXP"):
            CompilerOptions(cflags=("-O2", flag))
        monkeypatch.delenv("EQSNN_EXP")
        assert CompilerOptions(cflags=("-O2", flag)).cflags == ("-O2", flag)  # (not twice)
