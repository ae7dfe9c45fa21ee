"""What a rule is: metadata in one place, and a ``check`` that yields findings.

A rule documents itself in its docstring (``What it does`` / ``Why is this bad?`` /
``Example`` / ``Fix``), as ruff does; ``agentlint rule CODE`` prints it.  The engine stamps
path, code, name and severity; a rule gives only where, what, and an optional fix.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Iterator, Optional, Sequence

import yaml

from ..diagnostics import Diagnostic, Edit, Fix, Severity, Span

if TYPE_CHECKING:  # pragma: no cover
    from ..config import Config
    from ..load import LoadedAgent


@dataclass
class Finding:
    start: int  # character offsets into the document text
    end: int
    message: str
    severity: Optional[Severity] = None  # None: the rule's default
    fix: Optional[Fix] = None


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    fixable: ClassVar[bool] = False
    # "file": checked per file; "project": across all files of a run (AL7xx).
    scope: ClassVar[str] = "file"

    def check(self, ctx: "FileContext") -> Iterable[Finding]:  # pragma: no cover - abstract
        return ()

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or cls.summary)


class ProjectRule(Rule):
    scope = "project"

    def prepare(self, ctx: "FileContext") -> Any:
        """What this rule needs of one file alone, computed where the file is linted (in a pool
        worker when there is one) and kept in ``ctx.facts[code]``; None: nothing to keep."""
        return None

    def check_project(self, contexts: Sequence["FileContext"], run: Optional[dict] = None) -> Iterable[tuple["FileContext", Finding]]:  # pragma: no cover
        """Findings across ``contexts``; ``run`` is one dict shared by the project rules of one
        run, for what they compute alike (``project.run_scope_groups``)."""
        return ()


# Offsets below this are turned into lines and columns by counting line breaks, which is cheaper
# than building the document's line table when every finding of a file is in its frontmatter.
_NEAR = 4096


class FileContext:
    """Everything a rule may look at for one file."""

    def __init__(self, agent: "LoadedAgent", config: "Config", display_path: str) -> None:
        self.agent = agent
        self.doc = agent.doc
        self.fm = agent.fm
        self.config = config
        self.path = display_path
        self.values: dict[str, Any] = agent.fm.values if agent.fm and agent.fm.loads else {}
        self._format: Optional[str] = None
        # The entry of each key (the last one written, as ``Frontmatter.entry``), built on first use.
        self._by_key: Optional[dict[str, Any]] = None
        # What rules compute once per file and share (the tool lists, the loaded description...):
        # rule modules own their keys.  Never pickled (see __getstate__).
        self.memo: dict[str, Any] = {}
        # Per-file facts of the project rules (``ProjectRule.prepare``), by code: sent back by
        # a pool worker with the context, unlike the memo.
        self.facts: dict[str, Any] = {}

    def __getstate__(self) -> dict[str, Any]:
        # A worker process sends its contexts back to the parent: without the per-file caches,
        # which hold YAML nodes and are rebuilt on demand.
        state = self.__dict__.copy()
        state["_by_key"] = None
        state["memo"] = {}
        return state

    @property
    def format(self) -> str:
        """The tool the file is written for (``agentlint.formats``): ``claude`` by default."""
        if self._format is None:
            doc = self.doc
            path = self.agent.path
            if path and path == doc.path and not doc.read_error:
                # Read through ``document.from_bytes``, which already ran ``detect(path)``.
                self._format = doc.format
            else:
                from ..formats import detect

                self._format = detect(path or self.path)
        return self._format

    # ---- helpers for rules ----------------------------------------------
    @property
    def text(self) -> str:
        return self.doc.text

    def entry(self, key: str):
        by_key = self._by_key
        if by_key is None:
            # ``Frontmatter.entry`` scans every entry and keeps the last match: so does this
            # index (a later entry overwrites an earlier one of the same key).
            by_key = self._by_key = {e.key: e for e in self.fm.entries} if self.fm else {}
        return by_key.get(key)

    def entries(self):
        return self.fm.entries if self.fm else []

    def key_finding(self, key: str, message: str, **kw: Any) -> Finding:
        e = self.entry(key)
        if e is None:
            return self.file_finding(message, **kw)
        return Finding(e.key_start, e.key_end, message, **kw)

    def value_finding(self, key: str, message: str, **kw: Any) -> Finding:
        e = self.entry(key)
        if e is None:
            return self.file_finding(message, **kw)
        start, end = e.value_start, e.value_end
        if end <= start:  # empty value: point at the key
            start, end = e.key_start, e.key_end
        return Finding(start, end, message, **kw)

    def node_finding(self, node: yaml.Node, message: str, **kw: Any) -> Finding:
        start, end = self.node_offsets(node)
        return Finding(start, end, message, **kw)

    def node_offsets(self, node: yaml.Node) -> tuple[int, int]:
        if self.fm is None:
            return 0, 0
        # libyaml counts lines its own way (a lone CR, NEL, LS and PS end lines too).
        return self.fm.offset_of(node.start_mark), self.fm.offset_of(node.end_mark)

    def file_finding(self, message: str, **kw: Any) -> Finding:
        """A finding about the file as a whole: the opening fence, or the first line."""
        end = self.text.find("\n")
        end = len(self.text) if end < 0 else end
        return Finding(0, max(0, min(end, 3) if self.doc.has_frontmatter else end), message, **kw)

    def fix(self, message: str, start: int, end: int, content: str, safe: bool = True) -> Fix:
        return Fix(message, (Edit(start, end, content),), safe)

    def span(self, start: int, end: int) -> Span:
        if start < _NEAR and end < _NEAR:
            return self._near_span(start, end)[0]
        l1, c1 = self.doc.line_col(start)
        if end <= start:
            return Span(l1, c1, l1, c1 + 1)
        # end is exclusive: the position just past the last character
        l2, c2 = self.doc.line_col(end)
        return Span(l1, c1, l2, c2)

    def _near_span(self, start: int, end: int) -> tuple[Span, int]:
        """``span`` for offsets near the top of the file (where the frontmatter is), by counting
        line breaks instead of building the document's line table (``Document.line_col``: lines
        end at ``\\n``, offsets are clamped to the text); and where the line of ``start`` begins."""
        text = self.doc.text
        size = len(text)
        at = 0 if start < 0 else (size if start > size else start)
        line_start = text.rfind("\n", 0, at) + 1
        l1, c1 = text.count("\n", 0, line_start) + 1, at - line_start + 1
        if end <= start:  # as given, not clamped (as ``span`` compares them)
            return Span(l1, c1, l1, c1 + 1), line_start
        end = 0 if end < 0 else (size if end > size else end)
        end_line_start = text.rfind("\n", 0, end) + 1
        l2 = text.count("\n", 0, end_line_start) + 1
        return Span(l1, c1, l2, end - end_line_start + 1), line_start

    def diagnostic(self, rule: Rule, finding: Finding) -> Diagnostic:
        severity = finding.severity or rule.severity
        start, end = finding.start, finding.end
        source_line = None  # filled by the engine (``Document.line_text``)
        if start < _NEAR and end < _NEAR:
            span, line_start = self._near_span(start, end)
            doc = self.doc
            if not doc.too_large:
                # What the engine would fill in: the line of the span's start, without its line
                # break (and without building the line table for it).
                text = doc.text
                line_end = text.find("\n", line_start)
                source_line = text[line_start : line_end if line_end >= 0 else len(text)].rstrip("\r")
        else:
            span = self.span(start, end)
        return Diagnostic(
            path=self.path,
            code=rule.code,
            name=rule.name,
            severity=severity,
            message=finding.message,
            span=span,
            fix=finding.fix,
            source_line=source_line,
        )


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.75) -> Optional[str]:
    return _did_you_mean(word, tuple(choices), cutoff)


@functools.lru_cache(maxsize=4096)
def _did_you_mean(word: str, choices: tuple[str, ...], cutoff: float) -> Optional[str]:
    lower = {c.lower(): c for c in choices}
    if word.lower() in lower and lower[word.lower()] != word:
        return lower[word.lower()]
    match = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    if not match:
        m2 = difflib.get_close_matches(word.lower(), list(lower), n=1, cutoff=cutoff)
        return lower[m2[0]] if m2 else None
    return match[0]


def suggestion(word: str, choices: Iterable[str]) -> str:
    guess = did_you_mean(word, choices)
    return f" (did you mean `{guess}`?)" if guess else ""


def iter_rules(rules: Iterable[type[Rule]]) -> Iterator[Rule]:
    for r in rules:
        yield r()
