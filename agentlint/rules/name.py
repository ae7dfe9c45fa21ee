"""AL1xx: the `name` field.

Claude Code skips a file whose `name` is missing, empty or not a string (it takes such a file for
documentation), and one whose `name` contains `:` or starts with `-`.  The error-level findings
here are exactly those skip reasons (``agentlint.load``); the rest is style.
"""

from __future__ import annotations

import os
import re
from typing import Any, Iterator, Optional

from ..diagnostics import Severity
from ..vocab import BUILTIN_AGENTS, GENERIC_AGENT_FILE_STEMS, KEY_NEAR_MISSES, NAME_MAX_LENGTH, NAME_PATTERN
from .base import FileContext, Finding, Rule

_NAME_RE = re.compile(NAME_PATTERN)


def type_word(value: Any) -> str:
    """How a YAML value reads in a message: ``a number (12345)``, ``a list``…"""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"a boolean (`{str(value).lower()}`)"
    if isinstance(value, (int, float)):
        return f"a number (`{value!r}`)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def name_blocks_load(value: Any) -> bool:
    """True when Claude Code skips the file because of its `name` (load.analyse, in order)."""
    if not isinstance(value, str) or not value:
        return True
    return ":" in value or value.startswith("-")


def near_miss_entry(ctx: FileContext, key: str):
    """An entry whose key is a known misspelling of ``key`` (``Name``, ``descripton``…)."""
    for e in ctx.entries():
        if e.key != key and KEY_NEAR_MISSES.get(e.key) == key:
            return e
    return None


def value_span(ctx: FileContext, e) -> tuple[int, int]:
    """The value's source span without the line breaks a block node's end mark takes in;
    the key when the value is empty."""
    start, end = e.value_start, e.value_end
    while end > start and ctx.text[end - 1] in " \t\r\n":
        end -= 1
    if end <= start:
        return e.key_start, e.key_end
    return start, end


def value_finding(ctx: FileContext, key: str, message: str, **kw: Any) -> Finding:
    e = ctx.entry(key)
    if e is None:
        return ctx.file_finding(message, **kw)
    start, end = value_span(ctx, e)
    return Finding(start, end, message, **kw)


def _loaded_fm(ctx: FileContext) -> bool:
    # AL001-AL005 cover a frontmatter that is absent, unclosed, unparseable or not a mapping.
    return ctx.fm is not None and ctx.fm.loads


def _name(ctx: FileContext) -> Optional[str]:
    """The name when it is a non-empty string, else None."""
    if not _loaded_fm(ctx):
        return None
    value = ctx.values.get("name")
    return value if isinstance(value, str) and value else None


def slug(name: str) -> str:
    """The documented form of a name: ``Code Reviewer_2`` -> ``code-reviewer-2``."""
    s = name.strip()
    if re.fullmatch(r"[A-Za-z0-9]+", s):  # CodeReviewer: split the words; not DevOps in `SE: DevOps`
        s = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", s)
    s = re.sub(r"[^a-z0-9]+", "-", s.lower())
    return s.strip("-")


class MissingName(Rule):
    """## What it does
    Checks that the frontmatter has a `name` that is a non-empty string.

    ## Why is this bad?
    Claude Code identifies an agent by its `name`. Without one (or with an empty one, or a
    number such as `name: 12345`) it takes the file for documentation and skips it silently:
    the agent never appears. Keys are case-sensitive, so `Name:` does not count.

    ## Example
    ```yaml
    description: Reviews code. Use after every change.
    ```
    Use instead:
    ```yaml
    name: code-reviewer
    description: Reviews code. Use after every change.
    ```
    """

    code = "AL101"
    name = "missing-name"
    severity = Severity.ERROR
    summary = "no `name`, an empty one, or one that is not a string: Claude Code skips the file"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if not _loaded_fm(ctx):
            return
        e = ctx.entry("name")
        if e is None:
            miss = near_miss_entry(ctx, "name")
            if miss is not None:
                yield Finding(miss.key_start, miss.key_end, f"no `name` key: `{miss.key}` is not read as `name` (keys are case-sensitive), so Claude Code takes the file for documentation and skips it")
            else:
                yield ctx.file_finding("no `name`: Claude Code takes the file for documentation and skips it; add `name: <lowercase-with-hyphens>`")
            return
        value = e.value
        if isinstance(value, str) and value:
            return
        if value is None or value == "":
            yield value_finding(ctx, "name", "`name` is empty: Claude Code takes the file for documentation and skips it")
        elif isinstance(value, (bool, int, float)):
            yield value_finding(ctx, "name", f"`name` is {type_word(value)}, not a string: Claude Code skips the file; quote it")
        else:
            yield value_finding(ctx, "name", f"`name` is {type_word(value)}, not a string: Claude Code skips the file")


class InvalidName(Rule):
    """## What it does
    Checks the shape of `name`: lowercase letters and digits in words joined by single hyphens
    (`^[a-z0-9]+(-[a-z0-9]+)*$`).

    ## Why is this bad?
    A name containing `:` or starting with `-` makes Claude Code skip the file (an error). Capitals,
    spaces, underscores and other characters load, but they break the documented convention,
    are awkward to type in `claude --agent` and `@`-mentions, and other tools reject them.

    ## Example
    ```yaml
    name: Code Reviewer
    ```
    Use instead:
    ```yaml
    name: code-reviewer
    ```
    """

    code = "AL102"
    name = "invalid-name"
    severity = Severity.WARNING
    summary = "`name` contains `:` or starts with `-` (skipped), or is not lowercase-with-hyphens"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        value = _name(ctx)
        e = ctx.entry("name")
        if value is None or e is None:
            return
        src = ctx.text[e.value_start : e.value_end]
        if value.startswith("-"):
            at = src.find("-")
            start = e.value_start + at if at >= 0 else e.value_start
            yield Finding(start, start + 1 if at >= 0 else e.value_end, f"`name` starts with `-`: Claude Code skips the file (use `{slug(value) or 'a-name'}`)", severity=Severity.ERROR)
            return
        if ":" in value:
            at = src.find(":")
            start = e.value_start + at if at >= 0 else e.value_start
            yield Finding(start, start + 1 if at >= 0 else e.value_end, f"`name` contains `:`: Claude Code skips the file (use `{slug(value) or 'a-name'}`)", severity=Severity.ERROR)
            return
        if _NAME_RE.fullmatch(value):
            return
        problems = []
        if value != value.strip():
            problems.append("leading or trailing white space")
        if any(c.isupper() for c in value):
            problems.append("capital letters")
        if any(c.isspace() for c in value.strip()):
            problems.append("spaces")
        if "_" in value:
            problems.append("underscores")
        if "--" in value or value.strip().endswith("-"):
            problems.append("a doubled or trailing hyphen")
        other = sorted({c for c in value if not (c.isascii() and (c.isalnum() or c in "-_")) and not c.isspace()})
        if other:
            noun = "the character" if len(other) == 1 else "the characters"
            problems.append(noun + " " + " ".join(f"`{c}`" for c in other[:8]))
        if not problems:
            what = "characters outside `a-z`, `0-9` and `-`"
        else:
            what = problems[0] if len(problems) == 1 else ", ".join(problems[:-1]) + " and " + problems[-1]
        suggestion = slug(value)
        hint = f": use `{suggestion}`" if suggestion and suggestion != value else ""
        yield value_finding(ctx, "name", f"`name` should be lowercase words joined by hyphens; it has {what}{hint}")


class NameFilenameMismatch(Rule):
    """## What it does
    Reports a `name` that differs from the file's name without `.md`.

    ## Why is this bad?
    Claude Code identifies the agent by `name` only, so the mismatch works, but people look
    for `code-reviewer` in `code-reviewer.md`; two files can also end up with the same `name`
    unnoticed.

    A file with a generic name (`code-reviewer/agent.md`, `index.md`) is compared with its
    folder's name instead.

    ## Example
    `agents/reviewer.md` with `name: code-reviewer`. Use instead: rename the file to
    `code-reviewer.md`, or the agent to `reviewer`.
    """

    code = "AL103"
    name = "name-filename-mismatch"
    severity = Severity.INFO
    summary = "`name` differs from the file's stem"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        value = _name(ctx)
        if value is None:
            return
        path = (ctx.agent.path or ctx.path).replace("\\", "/")
        base = os.path.basename(path)
        stem = base[:-3] if base.lower().endswith(".md") else base
        if not stem or value == stem:
            return
        if stem.lower() in GENERIC_AGENT_FILE_STEMS and value == os.path.basename(os.path.dirname(path)):
            return  # `code-reviewer/agent.md`: the folder carries the name
        how = " (they differ only in case)" if value.lower() == stem.lower() else ""
        yield value_finding(ctx, "name", f"`name` is `{value}` but the file is `{base}`{how}: Claude Code goes by `name`; keep them the same to find agents by file")


class NameTooLong(Rule):
    """## What it does
    Reports a `name` longer than 64 characters.

    ## Why is this bad?
    The name is typed by people (`claude --agent`, `@`-mentions) and shown in every agent
    listing; 64 characters is also the limit other tools (Agent Skills) enforce.

    ## Example
    ```yaml
    name: senior-backend-engineer-for-distributed-systems-and-cloud-infrastructure-design
    ```
    Use instead: `name: backend-architect`.
    """

    code = "AL104"
    name = "name-too-long"
    severity = Severity.WARNING
    summary = f"`name` is longer than {NAME_MAX_LENGTH} characters"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        value = _name(ctx)
        if value is None or len(value) <= NAME_MAX_LENGTH:
            return
        yield value_finding(ctx, "name", f"`name` has {len(value)} characters; keep it to {NAME_MAX_LENGTH} or fewer")


class NameReplacesBuiltin(Rule):
    """## What it does
    Reports a `name` that is the name of one of Claude Code's built-in agents
    (`general-purpose`, `Explore`, `Plan`, `statusline-setup`, `claude`), or differs from one
    only in case and separators.

    ## Why is this bad?
    A project or user agent with a built-in's name replaces the built-in one: every delegation
    meant for it now runs this file. Claude Code matches agent types ignoring case and
    separators, so `explore` competes with `Explore` too. A plugin's agents are named
    `plugin:name` and replace nothing, so they are not reported.

    ## Example
    ```yaml
    name: general-purpose
    ```
    Use instead: a name of its own, e.g. `name: repo-helper`.
    """

    code = "AL105"
    name = "name-replaces-builtin"
    severity = Severity.WARNING
    summary = "`name` is a built-in agent's name: this agent replaces the built-in one"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        value = _name(ctx)
        if value is None:
            return
        key = _fold(value)
        if key not in _BUILTINS_FOLDED or _in_plugin(ctx):
            return
        if value in BUILTIN_AGENTS:
            yield value_finding(ctx, "name", f"`{value}` is the name of a built-in agent: this file replaces Claude Code's own `{value}` agent")
            return
        for builtin in BUILTIN_AGENTS:
            if _fold(builtin) == key:
                yield value_finding(ctx, "name", f"`{value}` differs from the built-in agent `{builtin}` only in case or separators: Claude Code matches agent types ignoring both, so delegation may pick either")
                return


def _in_plugin(ctx: FileContext) -> bool:
    """A plugin's agent: its id is `plugin:name`, so it replaces no built-in."""
    try:
        from ..discovery import place  # only for the rare built-in name: it looks at folders

        return place(ctx.agent.path).scope == "plugin"
    except (ImportError, OSError, ValueError):
        return False


_SEPARATORS = re.compile(r"[\s_-]+")


def _fold(name: str) -> str:
    return _SEPARATORS.sub("", name).lower()


_BUILTINS_FOLDED = frozenset(_fold(b) for b in BUILTIN_AGENTS)
