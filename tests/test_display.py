"""Groups, synapses, networks and monitors describe themselves (eqsnn.display, behind
their repr() and Jupyter's _repr_html_): plain text or an HTML table of the variables
with units and values, sizes, the method and why, memory, what a monitor recorded.
And the progress bar never warns."""
import re
import warnings

import pytest

import eqsnn as es
from eqsnn import display
from eqsnn.models import AdEx
from eqsnn.units import mV, ms, pA


@pytest.fixture(scope="module")
def network():
    cells = AdEx("bursting").group(10, name="cells")
    cells.I = "200*pA + 10*pA*i"
    syn = es.Synapses(cells, cells, "w : volt", on_pre="v_post += w", name="recurrent")
    syn.connect(p=0.5)
    syn.w = 0.5 * mV
    trace = es.StateMonitor(cells, ["v", "w"], record=[0, 1], name="trace")
    spikes = es.SpikeMonitor(cells, name="spikes")
    net = es.Network(cells, syn, trace, spikes, dt=0.1 * ms, seed=1)
    return net, cells, syn, trace, spikes


def test_a_group_shows_its_variables_units_method_and_memory(network):
    _, cells, *_ = network
    text = display.text(cells)
    assert text.startswith("NeuronGroup 'cells': 10 neurons")
    assert "method     euler (method 'euler' requested)" in text   # the model's choice
    assert "threshold  v > V_peak" in text
    assert "memory     240 B (3 stored variables × 10 neurons × 8 B)" in text
    rows = {line.split()[0]: line for line in text.splitlines()[6:]}
    assert rows["v"].split()[1:3] == ["V", "state"]
    assert "mean 245 pA (200 … 290)" in rows["I"]                  # values with units
    html = display.html(cells)
    assert html.startswith('<div class="eqsnn-summary">') and "<table" in html
    assert "<td style=\"text-align:left\">parameter</td>" in html


def test_synapses_show_their_pathway_and_memory(network):
    _, _, syn, *_ = network
    text = display.text(syn)
    assert text.startswith(f"Synapses 'recurrent': cells → cells, {syn.N} synapses")
    assert "on_pre  v_post = v_post + w (delay 0 s)" in text
    assert f"{syn.N} synapses and the connectivity" in text
    assert "500 µV" in text


def test_monitors_and_network_say_what_was_recorded(network):
    net, _, _, trace, spikes = network
    assert "recorded   nothing yet (run the network)" in display.text(trace)
    net.run(20 * ms)
    text = display.text(trace)
    assert "variables  v, w" in text and "records    2 of cells's neurons" in text
    assert "recorded   200 samples from 0 ms to 19.9 ms" in text
    assert "memory     6.4 kB" in text                           # 200 × 2 × 2 × 8 B
    assert f"recorded  {spikes.num_spikes} spikes" in display.text(spikes)
    summary = display.text(net)
    assert summary.startswith("Network: 4 objects, t = 20 ms")
    assert re.search(r"\n +cells +NeuronGroup +10 neurons\n", summary)
    assert re.search(r"\n +trace +StateMonitor +200 samples\n", summary)


def test_repr_never_raises():
    class Broken(display.Displayed):
        N, name = 3, "broken"

        @property
        def equations(self):
            raise RuntimeError("no equations yet")

    assert repr(Broken()).startswith("Broken 'broken': 3 neurons")


def test_progress_bar_in_a_notebook_without_ipywidgets_is_text_and_silent(monkeypatch):
    monkeypatch.setattr(display, "_in_notebook", lambda: True)
    monkeypatch.setattr(display, "_has_ipywidgets", lambda: False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bar = display.progress_bar(total=10, disable=True)
    from tqdm.std import tqdm
    assert type(bar) is tqdm
    bar.close()


def test_progress_bar_in_a_notebook_with_ipywidgets_is_a_widget(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.setattr(display, "_in_notebook", lambda: True)
    from tqdm.notebook import tqdm as notebook_tqdm
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bar = display.progress_bar(total=10, disable=True)
    assert isinstance(bar, notebook_tqdm)
    bar.close()


def test_the_runtime_objects_use_it(network):
    # repr() is the plain summary, Jupyter's _repr_html_ the table
    for obj in network:
        assert repr(obj) == display.text(obj)
        assert obj._repr_html_() == display.html(obj)
