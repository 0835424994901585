"""A network's rendered source is stored under the builder's signature, so a warm run
renders no template and never imports Jinja2. The signature must change with anything
that changes the source, and refuse what it cannot describe."""
from types import SimpleNamespace

import numpy as np
import pytest

import eqsnn as es
from eqsnn.codegen import network as codegen_network
from eqsnn.codegen.network import Contribution, ModuleBuilder
from eqsnn.lowering.records import Code
from eqsnn.runtime import network as runtime_network
from eqsnn.units import ms


def _builder(lines=("v[_i] = 1.0;",), label="G", backend="c"):
    builder = ModuleBuilder(backend)
    c = Contribution()
    v = c.array("_g0_v", lambda: np.zeros(3))
    c.add("groups", "stateupdate", numbered=True,
          group=SimpleNamespace(label=label, N="3", lastspike="x", refsteps="0"),
          code=Code(tuple(lines), reads=("v",)), refractory=None, arrays=[["v", v]],
          scalars=[], functions=[], reads=["v"])
    builder.include(c)
    return builder


def test_the_signature_follows_every_input_and_the_templates(monkeypatch):
    same = _builder().signature()
    assert same == _builder().signature() and same is not None
    assert _builder(lines=("v[_i] = 2.0;",)).signature() != same
    assert _builder(label="H").signature() != same
    assert _builder(backend="numpy").signature() != same
    monkeypatch.setattr(codegen_network, "template_digest", lambda: "edited templates")
    assert _builder().signature() != same


def test_an_input_it_cannot_describe_means_no_signature():
    builder = _builder()
    c = Contribution()
    c.add("end", "summed", syn=SimpleNamespace(hook=print), target="x", zero=True,
          start=0, stop=1, expression="0", arrays=[], scalars=[], functions=[], reads=[])
    builder.include(c)
    assert builder.signature() is None


def _network(backend):
    group = es.NeuronGroup(5, "dv/dt = -v/tau : volt", threshold="v > 1*mV", reset="v = 0*mV",
                           namespace={"tau": 10 * ms})
    group.v = "2*mV*i/N"
    return es.Network(group, es.SpikeMonitor(group), es.StateMonitor(group, "v", record=True),
                      backend=backend)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_stored_source_is_the_rendered_source(backend, monkeypatch):
    builder = _network(backend)._builder()
    rendered = builder.build().source
    runtime_network._build_source(builder)             # stores it (or finds it)
    monkeypatch.setattr(ModuleBuilder, "build", lambda self, source=None:
                        pytest.fail("rendered again") if source is None else source)
    assert runtime_network._build_source(builder) == rendered
