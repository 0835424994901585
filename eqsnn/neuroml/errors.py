"""Errors about NeuroML / LEMS documents, pointing at the XML line.

An element read by :mod:`eqsnn.neuroml.lems` knows its file and line (lxml's
``sourceline``); :func:`error_at` turns it into an :class:`~eqsnn.errors.SourceSpan`, so
the message shows the offending line of the document with a caret under the element.
"""
from __future__ import annotations

from eqsnn.errors import EqsnnError, SourceSpan

__all__ = ["NeuroMLError", "UnsupportedNeuroMLError", "error_at", "element_name"]


class NeuroMLError(EqsnnError):
    """A NeuroML 2 / LEMS document eqsnn cannot read: malformed, inconsistent, or
    referring to something that is not defined."""


class UnsupportedNeuroMLError(NeuroMLError):
    """A valid NeuroML / LEMS construct that eqsnn cannot translate (yet)."""


def element_name(element) -> str:
    """``<iafCell id="iaf">``: an element as a person finds it in the file."""
    tag = _local(element.tag)
    for key in ("id", "name", "variable", "port", "regime", "test"):
        if key in element.attrib:
            return f'<{tag} {key}="{element.attrib[key]}">'
    return f"<{tag}>"


def error_at(element, message: str, *, hint: str | None = None, texts=None,
             cls: type = NeuroMLError) -> NeuroMLError:
    """An error about ``element``, with its file and line.

    ``texts`` maps a file's URL to its text (the reader keeps them) so that the line
    itself can be shown; without it the message still names the file and line.
    """
    url = element.getroottree().docinfo.URL or "<document>"
    text = (texts or {}).get(url)
    line = _start_line(element, text)
    where = f"{element_name(element)} at {url}:{line}"
    if text is None:
        return cls(f"{message} ({where})", hint=hint)
    line_text = text.splitlines()[line - 1]
    column = max(line_text.find("<" + _local(element.tag)), 0)
    end = line_text.find(">", column)
    span = SourceSpan(source=text, line=line, column=column,
                      end_column=(end + 1) if end > column else len(line_text), label=url)
    return cls(f"{message} ({where})", span=span, hint=hint)


def _start_line(element, text: str | None) -> int:
    """The line of the element's start tag. lxml reports the line where the start tag
    ends, which for a tag spread over several lines is not where a reader looks."""
    line = element.sourceline or 1
    if text is None:
        return line
    lines = text.splitlines()
    opening = "<" + _local(element.tag)
    for candidate in range(min(line, len(lines)), max(line - 200, 0), -1):
        if opening in lines[candidate - 1]:
            return candidate
    return min(line, len(lines))


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else str(tag)
