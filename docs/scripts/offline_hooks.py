"""A MkDocs hook: notebook pages load nothing from the network.

nbconvert's page template (which mkdocs-jupyter renders notebooks with) adds two
loaders: one fetching the ipywidgets renderer from unpkg.com, one importing Mermaid
from cdnjs when a diagram is present. Offline (a classroom, a cluster node) they only
fail, and a site that ships its own math renderer should not reach for a CDN at all:
both are removed from the notebook pages. Widgets then show as their text (the
explorer's notebook also shows its figure as a picture); there are no diagrams.

Loaded by mkdocs.yml (``hooks:``); tests/test_docs.py checks that no built page refers
to a remote script.
"""
from __future__ import annotations

import re

_REMOTE_LOADERS = [
    # <script>(function() { function addWidgetsRenderer() { … unpkg.com … }())</script>
    re.compile(r"<script>\s*\(function\(\) \{\s*function addWidgetsRenderer\(\).*?</script>", re.S),
    # <script type="module"> … import("https://cdnjs…/mermaid…") … </script>
    re.compile(r'<script type="module">(?:(?!</script>).)*?cdnjs\.cloudflare\.com.*?</script>',
               re.S),
]


def on_post_page(output: str, page, config) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    for pattern in _REMOTE_LOADERS:
        output = pattern.sub("", output)
    return output
