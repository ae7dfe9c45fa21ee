"""The diagnostic: what a rule reports, where, and how it could be fixed.

Positions are 1-based lines and columns (columns count characters, not bytes).
``end_line``/``end_column`` point one past the last character of the span, as in ruff.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Edit:
    """Replace the characters ``[start, end)`` of the decoded text with ``content``.

    Offsets index the text as read (after BOM removal, line endings kept).
    A file-level edit (BOM removal, line endings) uses ``kind``.
    """

    start: int
    end: int
    content: str
    kind: str = "text"  # "text" | "bom" (drop the BOM) | "eol" (CRLF -> LF)


@dataclass(frozen=True)
class Fix:
    message: str
    edits: tuple[Edit, ...]
    safe: bool = True

    def to_json(self) -> dict:
        return {
            "message": self.message,
            "applicability": "safe" if self.safe else "unsafe",
            "edits": [
                {"start": e.start, "end": e.end, "content": e.content, "kind": e.kind}
                for e in self.edits
            ],
        }


@dataclass(frozen=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> "Span":
        return cls(line, column, line, column + 1)


@dataclass
class Diagnostic:
    path: str
    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    fix: Optional[Fix] = None
    # Filled by the engine: the source line under the span, for code frames.
    source_line: Optional[str] = field(default=None, compare=False)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "fix": self.fix.to_json() if self.fix else None,
            "url": f"https://github.com/agentlint/agentlint/blob/main/docs/rules.md#{self.code.lower()}",
        }
