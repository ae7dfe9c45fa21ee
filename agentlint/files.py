"""Which files ``agentlint check`` reads.

No arguments: ``.claude/agents/**/*.md`` and ``agents/**/*.md`` under the current directory.
A file argument is read as given; a folder is searched for ``*.md`` recursively, passing over
documentation files (README, CHANGELOG, CONTRIBUTING, LICENSE, … in any case) as Claude Code
does.  Symlinked folders are followed once (a loop is visited once); the order is stable.
"""

from __future__ import annotations

import os
from typing import Iterable

from .diagnostics import Diagnostic, Severity, Span
from .vocab import DOC_FILE_STEMS

DEFAULT_DIRS = (os.path.join(".claude", "agents"), "agents")
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}


def is_doc_file(name: str) -> bool:
    stem = name.rsplit(".", 1)[0].lower()
    return stem in DOC_FILE_STEMS


def first_visit(folder: str, seen: set[tuple[int, int]]) -> bool:
    """True the first time ``folder`` is met (by device and inode, so through symlinks too);
    False when it was met before or cannot be read.  Walks use it to cut loops."""
    try:
        st = os.stat(folder)
    except OSError:
        return False
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def walk_markdown(root: str) -> Iterable[str]:
    """Every ``*.md`` below ``root``, sorted, following symlinked folders without looping."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    found: list[str] = []
    while stack:
        d = stack.pop()
        if not first_visit(d, seen):
            continue
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            try:
                is_dir = e.is_dir()  # follows symlinks; loops of folders are cut by `seen`
            except OSError:
                is_dir = False  # a symlink loop or a vanished entry: reading it reports why (AL015)
            if is_dir:
                if e.name not in SKIP_DIRS:
                    stack.append(e.path)
            elif e.name.lower().endswith(".md") and not is_doc_file(e.name):
                found.append(e.path)
    return sorted(found)


def _problem(path: str, message: str) -> Diagnostic:
    return Diagnostic(path, "AL015", "unreadable-file", Severity.ERROR, message, Span(1, 1, 1, 2))


def expand(args: Iterable[str]) -> tuple[list[str], list[Diagnostic]]:
    """Files to lint, and diagnostics for arguments that name nothing readable."""
    args = list(args)
    files: list[str] = []
    problems: list[Diagnostic] = []
    if not args:
        for d in DEFAULT_DIRS:
            if os.path.isdir(d):
                files.extend(walk_markdown(d))
    for a in args:
        if os.path.isdir(a):
            files.extend(walk_markdown(a))
        elif os.path.lexists(a):
            files.append(a)  # unreadable or special files are reported when read
        else:
            problems.append(_problem(a, "no such file or folder"))
    seen: set[str] = set()
    unique = []
    for f in files:
        key = os.path.normpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems
