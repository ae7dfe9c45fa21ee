"""Output formats.  A reporter is ``render(results, stream, options) -> None`` where
``results`` is the list of :class:`agentlint.engine.FileResult` (diagnostics sorted, files in
stable order).  Reporters are imported only when chosen."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import IO, Callable, Sequence

FORMATS = {
    "text": "agentlint.reporters.text",
    "json": "agentlint.reporters.json",
    "github": "agentlint.reporters.github",
    "sarif": "agentlint.reporters.sarif",
    "junit": "agentlint.reporters.junit",
}


@dataclass
class Options:
    color: bool = False
    show_source: bool = True
    statistics: bool = False
    fix_hint: bool = True


def get(fmt: str) -> Callable[[Sequence, IO[str], Options], None]:
    return importlib.import_module(FORMATS[fmt]).render  # type: ignore[no-any-return]
