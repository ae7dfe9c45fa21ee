"""``--format github``: GitHub Actions workflow commands, one per diagnostic.

``::error file=PATH,line=L,endLine=L2,col=C,endColumn=C2,title=AL201::PATH:L:C: AL201 message [name]``

GitHub shows each as an annotation on the file and line (``info`` becomes ``notice``).
Data is escaped as the runner expects: ``%``, CR and LF everywhere, and ``:`` and ``,``
in the properties too.  The default format when ``GITHUB_ACTIONS=true``.
"""

from __future__ import annotations

from typing import IO, Sequence

from ._util import clean, posix_path

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(d) -> str:
    span = d.span
    path = posix_path(d.path)
    props = [("file", path), ("line", str(span.line))]
    if span.end_line > span.line:
        props.append(("endLine", str(span.end_line)))
    props.append(("col", str(span.column)))
    if span.end_line == span.line and span.end_column > span.column + 1:
        # Our end column is exclusive (one past the span); GitHub's is the last column.
        props.append(("endColumn", str(span.end_column - 1)))
    props.append(("title", d.code))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    message = f"{path}:{span.line}:{span.column}: {d.code} {d.message} [{d.name}]"
    return f"::{LEVELS.get(d.severity.value, 'warning')} {head}::{escape_data(message)}"


def render(results: Sequence, stream: IO[str], options) -> None:
    for r in results:
        for d in r.diagnostics:
            stream.write(command(d) + "\n")
