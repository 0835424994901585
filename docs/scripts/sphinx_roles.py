"""A Griffe extension for the API reference: Sphinx cross-reference roles as code.

eqsnn's docstrings name other objects the Sphinx way (``:class:`~eqsnn.NeuronGroup```,
``:func:`derive```), which reads well in ``help()`` but which mkdocstrings would show
literally. Each role becomes inline code with the name a reader looks for: the last
component after ``~`` (as Sphinx shows it), the name as written otherwise.

Loaded by mkdocs.yml (``plugins.mkdocstrings.handlers.python.options.extensions``).
"""
from __future__ import annotations

import re

import griffe

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj|const|ref):`(~?)([^`]+)`")


def plain(text: str) -> str:
    """``text`` with every Sphinx role replaced by inline code."""
    def code(match: re.Match) -> str:
        tilde, target = match.groups()
        target = re.sub(r"^.*<(.+)>$", r"\1", target)  # :ref:`title <target>`
        return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"
    return ROLE.sub(code, text)


class SphinxRoles(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain(obj.docstring.value)
