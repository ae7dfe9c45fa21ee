"""Inline suppressions.

In the frontmatter, a YAML comment::

    # agentlint: disable=AL203,AL204     (on a line of its own: the whole file)
    model: gpt-4  # agentlint: disable=AL301   (after a value: that line only)

In the body, an HTML comment::

    <!-- agentlint-disable AL603 -->   ... <!-- agentlint-enable AL603 -->
    <!-- agentlint-disable-next-line AL602 -->

Without codes a directive covers every code.  A directive (or one of its codes) that
suppresses nothing is reported as AL901.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .diagnostics import Diagnostic
from .document import Document

_FM_RE = re.compile(r"#\s*agentlint:\s*disable(?:\s*=\s*([A-Za-z0-9_, -]+))?")
_BODY_RE = re.compile(r"<!--\s*agentlint-(disable-next-line|disable|enable)\b([^>]*?)-->")


@dataclass
class Suppression:
    codes: Optional[frozenset[str]]  # None: every code
    first_line: int
    last_line: int
    start: int  # offset of the directive, for AL901
    end: int
    used: set[str] = field(default_factory=set)

    def covers(self, d: Diagnostic) -> bool:
        if not (self.first_line <= d.span.line <= self.last_line):
            return False
        return self.codes is None or any(d.code.startswith(c) for c in self.codes)


def _codes(raw: Optional[str]) -> Optional[frozenset[str]]:
    if not raw or not raw.strip():
        return None
    return frozenset(c.strip().upper() for c in re.split(r"[,\s]+", raw) if c.strip())


def find(doc: Document) -> list[Suppression]:
    text = doc.text
    if "agentlint" not in text:
        return []
    out: list[Suppression] = []
    last_line = doc.line_count
    if doc.closed:
        fm_end = doc.fm_end
        for m in _FM_RE.finditer(text, doc.fm_start, fm_end):
            line, col = doc.line_col(m.start())
            before = text[doc.line_offset(line) : m.start()].strip()
            first, last = (1, last_line) if not before else (line, line)
            out.append(Suppression(_codes(m.group(1)), first, last, m.start(), m.end()))
    body_start = doc.body_offset
    open_ones: list[Suppression] = []
    for m in _BODY_RE.finditer(text, body_start):
        kind, codes = m.group(1), _codes(m.group(2))
        line, _ = doc.line_col(m.start())
        if kind == "disable-next-line":
            out.append(Suppression(codes, line + 1, line + 1, m.start(), m.end()))
        elif kind == "disable":
            s = Suppression(codes, line, last_line, m.start(), m.end())
            out.append(s)
            open_ones.append(s)
        else:  # enable: close the matching open ranges
            for s in open_ones:
                if s.last_line == last_line and (codes is None or s.codes == codes):
                    s.last_line = line
    return out


def apply(diags: list[Diagnostic], sups: list[Suppression]) -> list[Diagnostic]:
    if not sups:
        return diags
    kept = []
    for d in diags:
        hit = False
        for s in sups:
            if s.covers(d):
                s.used.add(d.code)
                hit = True
        if not hit:
            kept.append(d)
    return kept


def unused(sups: list[Suppression]) -> list[tuple[Suppression, str]]:
    """(suppression, description) for every directive or code that suppressed nothing."""
    out = []
    for s in sups:
        if s.codes is None:
            if not s.used:
                out.append((s, "this `agentlint` directive suppresses nothing"))
            continue
        for c in sorted(s.codes):
            if not any(u.startswith(c) for u in s.used):
                out.append((s, f"`{c}` is disabled here but nothing is reported for it"))
    return out
