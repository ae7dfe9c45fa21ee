"""The rule registry: every rule class, by code.

Rules live by family, one small class each: ``file`` (AL0xx), ``name`` (AL1xx),
``description`` (AL2xx), ``settings`` (AL3xx), ``tools`` (AL4xx), ``keys`` (AL5xx),
``body`` (AL6xx), ``project`` (AL7xx) and ``meta`` (AL9xx).
"""

from __future__ import annotations

from typing import Optional

from . import body, description, file, keys, meta, name, project, settings, tools
from .base import Rule

_MODULES = (file, name, description, settings, tools, keys, body, project, meta)

ALL_RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            obj
            for mod in _MODULES
            for obj in vars(mod).values()
            if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == mod.__name__ and "code" in vars(obj)
        ),
        key=lambda r: r.code,
    )
)
BY_CODE = {r.code: r for r in ALL_RULES}
BY_NAME = {r.name: r for r in ALL_RULES}


# Rules that hold for every agent format (Copilot, OpenCode, Gemini, Cursor too): the file and
# its YAML, the description's text, the body.  The others check Claude Code's own fields, tool
# names and values, and run on Claude Code agents only (see agentlint.formats).
FORMAT_NEUTRAL = frozenset(
    [f"AL0{n:02d}" for n in range(1, 16) if n != 13]  # AL013: Claude Code's own split
    + ["AL201", "AL202", "AL203", "AL205", "AL206", "AL208", "AL210", "AL211", "AL212", "AL213", "AL214"]
    + [f"AL60{n}" for n in range(1, 7)]
    + ["AL901"]
)


def applies(rule: type[Rule], fmt: str) -> bool:
    return fmt == "claude" or rule.code in FORMAT_NEUTRAL


def get(code_or_name: str) -> Optional[type[Rule]]:
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())
