"""``--format text``: ``path:line:col: CODE message``, a code frame, and a summary line."""

from __future__ import annotations

from collections import Counter
from typing import IO, Sequence

_COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
_WIDTH = 100  # longest source line shown whole in a code frame


def _frame(d, color: bool) -> list[str]:
    src = d.source_line
    if src is None:
        return []
    width = len(str(d.span.line))
    pad = " " * width
    start = max(1, d.span.column)
    if d.span.end_line == d.span.line:
        length = max(1, d.span.end_column - d.span.column)
    else:
        length = max(1, len(src) - start + 1)
    length = min(length, max(1, len(src) - start + 1))
    if len(src) > _WIDTH:
        # A long line (a one-line description): show a window around the span.
        left = max(0, start - 1 - 20)
        right = min(len(src), left + _WIDTH)
        prefix = "…" if left > 0 else ""
        suffix = "…" if right < len(src) else ""
        src = prefix + src[left:right] + suffix
        start = start - left + len(prefix)
        length = max(1, min(length, right - (start - 1 - len(prefix)) - left))
    # Tabs in the source would shift the caret: show them as single spaces.
    shown = src.replace("\t", " ")
    caret = " " * (start - 1) + "^" * length
    if color:
        caret = _COLORS.get(d.severity.value, "") + caret + _RESET
        bar = _DIM + "|" + _RESET
    else:
        bar = "|"
    return [f" {pad} {bar}", f" {d.span.line} {bar} {shown}", f" {pad} {bar} {caret}"]


def render(results: Sequence, stream: IO[str], options) -> None:
    color = options.color
    counts: Counter = Counter()
    fixable = 0
    files_with = 0
    for r in results:
        if r.diagnostics:
            files_with += 1
        for d in r.diagnostics:
            counts[d.severity.value] += 1
            if d.fix is not None:
                fixable += 1
            loc = f"{d.path}:{d.span.line}:{d.span.column}:"
            sev = d.severity.value
            mark = " [*]" if d.fix is not None else ""
            if color:
                head = f"{_BOLD}{loc}{_RESET} {_COLORS[sev]}{d.code}{_RESET} {d.message}{mark} {_DIM}[{sev}: {d.name}]{_RESET}"
            else:
                head = f"{loc} {d.code} {d.message}{mark} [{sev}: {d.name}]"
            stream.write(head + "\n")
            if options.show_source:
                for line in _frame(d, color):
                    stream.write(line + "\n")
    total = sum(counts.values())
    n = len(results)
    checked = f"{n} file{'s' if n != 1 else ''} checked"
    if total == 0:
        summary = f"All clean: {checked}."
    else:
        parts = [f"{counts[k]} {k}{'s' if counts[k] != 1 and k != 'info' else ''}" for k in ("error", "warning", "info") if counts[k]]
        summary = f"Found {', '.join(parts)} in {files_with} file{'s' if files_with != 1 else ''} ({checked})."
        if fixable and options.fix_hint:
            summary += f" {fixable} fixable with `--fix`."
    if color:
        summary = _BOLD + summary + _RESET
    stream.write(summary + "\n")
