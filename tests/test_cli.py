"""The ``eqsnn`` command as a user meets it: demo, derive, models, check, errors, help."""
import shutil
import subprocess
import sys

import pytest

from eqsnn.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# --- demo -----------------------------------------------------------------------------------
def test_demo_writes_a_figure_and_prints_the_summary(capsys, tmp_path):
    figure = tmp_path / "demo.png"
    status, out, err = run(capsys, "demo", "--duration", "0.1", "--output", str(figure))
    assert status == 0, err
    assert figure.stat().st_size > 20_000  # a real picture, not an empty canvas
    fields = dict(line.split(None, 1) if " " in line.strip() else (line, "")
                  for line in (l.strip() for l in out.splitlines()[1:]))
    assert fields["neurons"] == "1000"
    assert fields["synapses"] == "1000000"       # the Izhikevich 2003 network: all-to-all
    spikes = int(fields["spikes"])
    rate = float(fields["mean"].split()[1])
    assert spikes > 50 and 0.5 < rate < 100
    assert rate == pytest.approx(spikes / 1000 / 0.1, abs=0.01)
    for label in ("synapses", "simulated", "code gen + compile", "simulation loop", "wall time"):
        assert label in out
    assert str(figure) in out


def test_demo_figure_has_raster_trace_and_rate(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    from eqsnn.demos import DEMOS, DEFAULT
    from eqsnn.plot import demo_figure
    result = DEMOS[DEFAULT][1](0.05, None, 1)
    figure = demo_figure(result)
    raster, trace, rate = figure.axes
    assert raster.get_ylabel() == "neuron index"
    assert len(raster.get_legend().get_texts()) == len(result.populations)
    assert trace.get_ylabel() == "v (mV)"
    assert rate.get_ylabel() == "rate (Hz)"
    assert rate.get_xlabel() == "time (ms)"


def test_cuba_demo_runs_at_its_published_rate(capsys, tmp_path):
    status, out, err = run(capsys, "demo", "cuba", "--duration", "0.2",
                           "--output", str(tmp_path / "cuba.png"))
    assert status == 0, err
    rate = float(out.split("mean rate")[1].split()[0])
    assert 3 < rate < 10                          # Brian2's CUBA: 5.7 Hz
    assert (tmp_path / "cuba.png").exists()


def test_demo_list_names_the_default(capsys):
    from eqsnn.demos import DEMOS, DEFAULT
    status, out, _ = run(capsys, "demo", "--list")
    assert status == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names == list(DEMOS)
    assert "(default)" in next(line for line in out.splitlines() if line.startswith(DEFAULT))


@pytest.mark.parametrize("argv, what, fix", [
    (["demo", "izhikevic"], "no demo called 'izhikevic'",
     "(did you mean 'izhikevich'?); 'eqsnn demo --list' shows them all"),
    (["demo", "--duration", "0"], "--duration must be a positive number of seconds", "not 0"),
    (["demo", "--duration", "soon"], "argument --duration: invalid float value: 'soon'",
     "(see 'eqsnn demo --help')"),
    (["demo", "--output", "figure.txt"], "'figure.txt' is not an image file name",
     "end it with one of .png"),
    (["demo", "--output", "/no/such/folder/x.png"], "the folder '/no/such/folder' does not exist",
     "create it or choose another path"),
    (["demo", "--backend", "cuda"], "invalid choice: 'cuda'", "choose from 'c', 'numpy', 'cython'"),
    (["derive", "Izhikevic"], "'Izhikevic' is neither a file nor a built-in model",
     "(did you mean 'Izhikevich'?); 'eqsnn models' lists them"),
    (["derive", "model.txt"], "no file 'model.txt'", "give an existing file of equations"),
    (["derive", "LIF", "--method", "rk5"], "--method 'rk5' is not an integration method",
     "(did you mean 'rk4'?); choose from exact, "),
    (["derive", "LIF", "--format", "html"], "invalid choice: 'html'",
     "choose from 'text', 'markdown', 'latex'"),
    (["derive"], "the following arguments are required: MODEL_OR_FILE",
     "(see 'eqsnn derive --help')"),
    (["check", "missing.eqs"], "cannot read 'missing.eqs'", "No such file or directory"),
    (["frobnicate"], "invalid choice: 'frobnicate'", "choose from 'demo', 'check'"),
])
def test_bad_arguments_exit_2_with_one_line(capsys, argv, what, fix):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("eqsnn: ")
    assert what in err and fix in err


# --- derive, models, check --------------------------------------------------------------------
def test_derive_builtin_model_in_three_formats(capsys):
    status, text, _ = run(capsys, "derive", "Izhikevich:RS", "--method", "rk2")
    assert status == 0
    assert "method: rk2" in text and "dv/dt" in text and "v_new" in text
    _, markdown, _ = run(capsys, "derive", "Izhikevich:RS", "--format", "markdown")
    assert markdown.lstrip().startswith("#") or "**" in markdown
    _, latex, _ = run(capsys, "derive", "LIF", "--format", "latex")
    assert "\\begin{align" in latex and "\\frac" in latex


def test_derive_uses_the_models_own_method_by_default(capsys):
    from eqsnn import models
    _, text, _ = run(capsys, "derive", "HodgkinHuxley")
    assert f"method: {models.get('HodgkinHuxley').method}" in text


def test_derive_and_check_a_file(capsys, tmp_path):
    path = tmp_path / "lif.eqs"
    path.write_text("dv/dt = (El - v)/tau : volt\nEl : volt\ntau : second\n")
    status, out, _ = run(capsys, "derive", str(path))
    assert status == 0 and "exact" in out and "exp" in out
    status, out, _ = run(capsys, "check", str(path))
    assert status == 0 and "ok: 1 differential equations, 0 subexpressions, 2 parameters" in out


def test_model_error_in_a_file_exits_1_with_the_caret(capsys, tmp_path):
    path = tmp_path / "bad.eqs"
    path.write_text("dv/dt = (El - v)/tau : volt\nEl : volt\ntau : amp\n")
    status, out, err = run(capsys, "check", str(path))
    assert status == 1 and out == ""
    assert err.startswith("eqsnn: DimensionMismatchError:") and "^" in err


def test_check_names_the_constants_a_file_leaves_undefined(capsys, tmp_path):
    path = tmp_path / "lif.eqs"
    path.write_text("dv/dt = (El - v + R*I)/tau : volt\nI = I0*sin(2*pi*f*t) : amp\n")
    status, out, err = run(capsys, "check", str(path))
    assert status == 0, err
    assert "ok: 1 differential equations, 1 subexpressions, 0 parameters" in out
    assert "needs 5 constants from a namespace: El, I0, R, f, tau (not defined in the " \
           "file;" in out


def test_check_reports_every_unit_problem_with_its_caret(capsys, tmp_path):
    path = tmp_path / "bad.eqs"
    path.write_text("dv/dt = (El - v)/tau : volt\n"
                    "I = I0 + 3*mV : amp          # undefined I0 cannot excuse a volt\n"
                    "dw/dt = (a*(v - El) - w)/tau_w : amp\n"
                    "x = exp(v) : 1\n"
                    "y = v + w : volt\n"
                    "g : siemens\n")
    status, out, err = run(capsys, "check", str(path))
    assert status == 1 and out == ""
    problems = err.split("\n\n")
    assert problems[0].startswith("eqsnn: DimensionMismatchError: I is declared with unit "
                                  "amp, but its definition has unit volt")
    assert "line 2, column 1:\n    I = I0 + 3*mV : amp" in problems[0]
    assert "exp() needs a dimensionless argument, but 'v' has unit volt" in problems[1]
    assert "line 4" in problems[1]
    assert "terms with different units are added:\n    v  [volt]\n    w  [amp]" in problems[2]
    assert "line 5" in problems[2] and "^~~~" in problems[2]
    assert f"eqsnn: 3 problems in {path}" in err
    assert "needs 5 constants from a namespace: El, I0, a, tau, tau_w" in err


def test_check_reports_a_bad_definition_and_the_unit_problems_after_it(capsys, tmp_path):
    path = tmp_path / "bad.eqs"
    path.write_text("dv/dt = (El - v)/tau : volts\nx = exp(3*mV) : 1\ny = 2 +* : 1\n")
    status, _, err = run(capsys, "check", str(path))
    assert status == 1
    assert "UnknownNameError: unknown unit 'volts'" in err and "line 1" in err
    assert "exp() needs a dimensionless argument, but '3*mV' has unit volt" in err
    assert "EquationSyntaxError" in err and "line 3" in err
    assert f"eqsnn: 3 problems in {path}" in err


def test_models_lists_every_catalogue_entry(capsys):
    from eqsnn import models
    status, out, _ = run(capsys, "models")
    assert status == 0
    lines = out.splitlines()
    neurons, synapses = models.catalogue(), models.synapse_catalogue()
    assert lines[0] == "Neuron models"
    listed = [line.split()[0] for line in lines[1:1 + len(neurons)]]
    assert listed == list(neurons)
    start = lines.index("Synapse models (es.Synapses(source, target, model))")
    assert start == len(neurons) + 2                     # after one blank line
    section = lines[start + 1:start + 1 + len(synapses)]
    assert [line.split()[0] for line in section] == list(synapses)
    pair = next(line for line in section if line.split()[0] == "PairAdditive")
    assert pair.endswith(synapses["PairAdditive"])
    assert (f"{len(neurons)} neuron and {len(synapses)} synapse models and presets; "
            f"'eqsnn derive NAME' shows a derivation") in out


def test_derive_an_stdp_rule_shows_its_exact_event_driven_advance(capsys):
    status, out, err = run(capsys, "derive", "PairAdditive")
    assert status == 0, err
    assert out.startswith("PairAdditive: event-driven equations, advanced only when a spike "
                          "reaches the synapse; dt stands for t - lastupdate")
    assert "method: exact" in out and "clock-driven" not in out
    assert "apre = apre*exp(-dt/taupre)" in out and "apost = apost*exp(-dt/taupost)" in out


def test_derive_a_synapse_model_with_both_kinds_of_equations(capsys):
    name = "MultiplicativeDoubleExponential"
    status, out, err = run(capsys, "derive", name, "--method", "euler")
    assert status == 0, err
    clock, event = out.split(f"{name}: event-driven equations")
    assert clock.startswith(f"{name}: clock-driven equations, integrated every time step")
    # --method applies to the clock-driven part; event-driven ones are always exact
    assert "method: euler" in clock and "s_slow" in clock and "p_slow" not in clock
    assert "method: exact" in event and "p_slow = p_slow*exp(-dt/tau)" in event
    assert "s_slow" not in event


def test_derive_a_synaptic_kernel_in_markdown_uses_the_models_method(capsys):
    from eqsnn import models
    status, out, _ = run(capsys, "derive", "ExponentialCurrent", "--format", "markdown")
    assert status == 0
    assert out.startswith("## ExponentialCurrent: clock-driven equations")
    assert f"method: `{models.get('ExponentialCurrent').method}`" in out
    assert "I_s = I_s*eqsnn_exp(-dt/tau);" in out


@pytest.mark.parametrize("argv, status, message", [
    (["derive", "VoltageJump"], 1, "InvalidValueError: the synapse model 'VoltageJump' has no "
     "differential equations to derive; it only runs statements (on_pre: 'v_post += w')"),
    (["derive", "Triplet:hippocampal", "--method", "euler"], 1, "InvalidValueError: the "
     "equations of the synapse model 'Triplet:hippocampal' are all event-driven, which eqsnn always advances "
     "exactly; method='euler' would apply to clock-driven equations only\n  hint: leave the "
     "method out"),
    (["derive", "PairAdditve"], 2, "'PairAdditve' is neither a file nor a built-in model (did "
     "you mean 'PairAdditive'?)"),
])
def test_derive_synapse_models_that_cannot_be_derived(capsys, argv, status, message):
    code, out, err = run(capsys, *argv)
    assert code == status and out == ""
    assert err.startswith(f"eqsnn: {message}")


def test_derive_a_file_of_synaptic_equations_as_a_synapse_runs_them(capsys, tmp_path):
    # the (event-driven) flag says whose equations these are, as es.derive reads it
    file = tmp_path / "stdp.txt"
    file.write_text("w : 1\ndapre/dt = -apre/(20*ms) : 1 (event-driven)\n")
    status, out, err = run(capsys, "derive", str(file))
    assert status == 0, err
    assert out.startswith("synapse model: event-driven equations, advanced only when a spike")
    assert "Statements of the compiled loop" not in out


# --- help everywhere, and the installed script ----------------------------------------------
@pytest.mark.parametrize("command", [[], ["demo"], ["derive"], ["models"], ["check"], ["cache"]])
def test_help_everywhere(capsys, command):
    with pytest.raises(SystemExit) as info:
        main(command + ["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: eqsnn")


def test_no_command_prints_help_and_exits_2(capsys):
    status, out, _ = run(capsys)
    assert status == 2 and "commands" in out


def test_installed_script_runs_and_survives_a_closed_pipe():
    script = shutil.which("eqsnn")
    if script is None:
        pytest.skip("the eqsnn script is not on PATH (package not installed)")
    done = subprocess.run([script, "models"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Izhikevich:RS" in done.stdout
    # `eqsnn models | head -1`: the reader closes the pipe early; no traceback.
    pipe = subprocess.run(f"'{script}' models | head -1", shell=True, capture_output=True,
                          text=True, timeout=120)
    assert "Traceback" not in pipe.stderr
    bad = subprocess.run([sys.executable, "-m", "eqsnn.cli", "demo", "nope"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_cache_shows_and_clears_only_eqsnn_files(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    (tmp_path / "_eqsnn_network_0123.cpython-311-x86_64-linux-gnu.so").write_bytes(b"x" * 2000)
    (tmp_path / "_eqsnn_network_0123.pyx").write_text("# source")
    (tmp_path / "compiler-ok-1234").write_text("")
    (tmp_path / "derived").mkdir()
    (tmp_path / "derived" / "abc.json").write_text("{}")
    (tmp_path / "jinja2").mkdir()
    (tmp_path / "jinja2" / "__jinja2_abc.cache").write_bytes(b"x")
    (tmp_path / "digests").mkdir()
    (tmp_path / "digests" / "def.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("not ours")
    status, out, _ = run(capsys, "cache")
    assert status == 0 and str(tmp_path) in out and "1 compiled modules" in out
    status, out, _ = run(capsys, "cache", "--clear")
    assert status == 0 and "removed 1 compiled modules" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
