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

    def check_project(self, contexts: Sequence["FileContext"]) -> Iterable[tuple["FileContext", Finding]]:  # pragma: no cover
        return ()


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

    @property
    def format(self) -> str:
        """The tool the file is written for (``agentlint.formats``): ``claude`` by default."""
        if self._format is None:
            from ..formats import detect

            self._format = detect(self.agent.path or self.path)
        return self._format

    # ---- helpers for rules ----------------------------------------------
    @property
    def text(self) -> str:
        return self.doc.text

    def entry(self, key: str):
        return self.fm.entry(key) if self.fm else None

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
        l1, c1 = self.doc.line_col(start)
        if end <= start:
            return Span(l1, c1, l1, c1 + 1)
        # end is exclusive: the position just past the last character
        l2, c2 = self.doc.line_col(end)
        return Span(l1, c1, l2, c2)

    def diagnostic(self, rule: Rule, finding: Finding) -> Diagnostic:
        severity = finding.severity or rule.severity
        return Diagnostic(
            path=self.path,
            code=rule.code,
            name=rule.name,
            severity=severity,
            message=finding.message,
            span=self.span(finding.start, finding.end),
            fix=finding.fix,
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
