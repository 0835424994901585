"""Jinja2 compiles each template to Python once per process unless its bytecode cache
has it: ~80 ms of every process that renders a network it has not seen. The cache lives in ``<eqsnn cache>/jinja2``; a cache that
cannot be used costs that time and nothing else."""
import jinja2
import pytest

from eqsnn.codegen import templates


@pytest.fixture
def fresh_environment(monkeypatch, tmp_path):
    """A new Jinja2 environment per call, as a new process would have, and a count of
    how often a template was compiled from its source."""
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    compiled = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)

    def load(name: str):
        templates._environment.cache_clear()
        return templates._environment().get_template(name)

    yield load, compiled, tmp_path
    templates._environment.cache_clear()


def test_a_second_process_loads_compiled_templates_from_the_cache(fresh_environment):
    load, compiled, cache = fresh_environment
    first = load("network.c.j2")
    assert compiled == ["network.c.j2"]
    assert any((cache / "jinja2").iterdir())
    second = load("network.c.j2")
    assert compiled == ["network.c.j2"]            # not compiled again
    context = {name: [] for name in templates.TEMPLATE_INPUTS["network.c.j2"]}
    context["version"] = "test"
    assert second.render(**context) == first.render(**context)


def test_an_unusable_cache_folder_only_costs_time(fresh_environment):
    load, compiled, cache = fresh_environment
    (cache / "jinja2").write_text("a file where the folder should be")
    load("network.c.j2")
    load("network.c.j2")
    assert compiled == ["network.c.j2", "network.c.j2"]
