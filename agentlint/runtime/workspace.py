"""Confinement to one directory: path resolution, safe directory walks and glob patterns.

Every path is resolved with ``realpath`` and must stay under the root, which covers ``..``,
absolute paths and symlinks that lead out. Walks never follow symlinked directories and
re-check every file they yield.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from typing import Any

WALK_MAX_ENTRIES = 200_000
WALK_TIMEOUT_S = 10.0
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
     ".pytest_cache", ".ruff_cache"}
)


class ToolError(Exception):
    """A tool failure the model should see as an error result."""


class WalkLimit(Exception):
    """A walk visited too many entries or took too long."""


class Workspace:
    def __init__(self, root: os.PathLike[str] | str):
        self.root = os.path.realpath(os.fspath(root))

    def contains(self, real: str) -> bool:
        return real == self.root or os.path.commonpath([self.root, real]) == self.root

    def resolve(self, raw: Any, what: str = "path") -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise ToolError(f"{what} must be a non-empty string")
        if "\x00" in raw:
            raise ToolError(f"{what} contains a NUL character")
        candidate = raw if os.path.isabs(raw) else os.path.join(self.root, raw)
        real = os.path.realpath(candidate)
        if not self.contains(real):
            raise ToolError(
                f"access denied: {raw} is outside the working directory; "
                "agentlint run only reads files under --cwd"
            )
        return real

    def display(self, real: str) -> str:
        rel = os.path.relpath(real, self.root)
        return "." if rel == "." else rel.replace(os.sep, "/")

    def walk_files(self, base: str, deadline: float) -> Iterator[str]:
        """Regular files under ``base`` whose real path stays inside the root.

        Symlinked directories are not followed; a symlinked file is yielded under its own
        name when its target is inside the root, and skipped otherwise."""
        seen = 0
        for folder, dirs, files in os.walk(base, followlinks=False):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(files):
                seen += 1
                if seen > WALK_MAX_ENTRIES or time.monotonic() > deadline:
                    raise WalkLimit()
                full = os.path.join(folder, name)
                real = os.path.realpath(full)
                if self.contains(real) and os.path.isfile(real):
                    yield full


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Translate a glob with ``**``, ``*``, ``?``, ``[...]`` and ``{a,b}`` to an anchored regex."""
    out: list[str] = []
    i, n, depth = 0, len(pattern), 0
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif c == "{":
            depth += 1
            out.append("(?:")
        elif c == "}" and depth:
            depth -= 1
            out.append(")")
        elif c == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(c))
        i += 1
    if depth:
        raise ToolError(f"unbalanced '{{' in glob pattern {pattern!r}")
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error as exc:
        raise ToolError(f"invalid glob pattern {pattern!r}: {exc}") from None


def check_relative_pattern(pattern: Any, what: str) -> str:
    if not isinstance(pattern, str) or not pattern.strip():
        raise ToolError(f"{what} must be a non-empty string")
    if pattern.startswith(("/", "\\")) or os.path.isabs(pattern) or ".." in re.split(r"[/\\]", pattern):
        raise ToolError(
            f"access denied: {what} {pattern!r} must be relative and may not contain '..'; "
            "use path for a subdirectory of the working directory"
        )
    return pattern
