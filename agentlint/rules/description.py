"""AL2xx: the `description` field and the `<example>` blocks inside it.

Claude Code skips a file whose `description` is missing, empty or not a string (checked after
the `name`, see ``agentlint.load``); it loads the description with every two-character `\\n`
turned into a newline.  Quality rules read the description as loaded; positions point into
the source text of the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Iterator, Optional

from .. import yamlsrc
from ..diagnostics import Fix, Severity
from ..vocab import (
    DESCRIPTION_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH_WITH_EXAMPLES,
    DESCRIPTION_SPEAKER_KEYS,
    DESCRIPTION_TURN_KEYS,
    EXAMPLE_ASSISTANT_PATTERNS,
    EXAMPLE_COMMENTARY_PATTERNS,
    EXAMPLE_CONTEXT_PATTERNS,
    EXAMPLE_NON_USER_SPEAKERS,
    EXAMPLE_USER_PATTERNS,
    FIELDS,
    KEY_NEAR_MISSES,
    TRIGGER_PATTERNS,
)
from .base import FileContext, Finding, Rule
from .name import name_blocks_load, near_miss_entry, type_word, value_finding, value_span

# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------

_PLAIN_STYLES = (None, "")  # PyYAML reports a plain scalar's style as None or "" (C loader)


def _entry(ctx: FileContext):
    """The `description` entry Claude Code keeps, when the frontmatter is a mapping."""
    if ctx.fm is None or not ctx.fm.loads:
        return None
    return ctx.entry("description")


_MEMO_LOADED = "description.loaded"
_MEMO_EXAMPLES = "description.examples"
_MEMO_TAGS = "description.tags"


def loaded_description(ctx: FileContext) -> Optional[str]:
    """The description as Claude Code loads it (``\\n`` -> newline), when it is a string."""
    memo = ctx.memo
    if _MEMO_LOADED in memo:
        return memo[_MEMO_LOADED]
    e = _entry(ctx)
    desc = None if e is None or not isinstance(e.value, str) else e.value.replace("\\n", "\n")
    memo[_MEMO_LOADED] = desc
    return desc


def _reaches_description(ctx: FileContext) -> bool:
    """Claude Code gets as far as the description: the name does not stop it first."""
    return not name_blocks_load(ctx.values.get("name"))


def _snippet(text: str, limit: int = 60) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    if end > start and text[end - 1] == "\r":
        end -= 1
    return end


def _line_start(text: str, offset: int) -> int:
    """``doc.line_offset(doc.line_col(offset)[0])`` without building the line table: where the
    line holding ``offset`` (clamped to the text) starts."""
    offset = 0 if offset < 0 else min(offset, len(text))
    return text.rfind("\n", 0, offset) + 1


_COMMENT_AFTER = re.compile(r"[ \t]+(#.*)")


def _comment_after(ctx: FileContext, end: int) -> Optional[tuple[int, int]]:
    """A ``#`` comment that follows offset ``end`` on the same line, after white space."""
    stop = _line_end(ctx.text, end)
    m = _COMMENT_AFTER.match(ctx.text[end:stop])
    if not m:
        return None
    return end + m.start(1), stop


_DIRECTIVE_RE = re.compile(r"#\s*agentlint\s*:")


# ---------------------------------------------------------------------------------------------
# AL201, AL202, AL208: the load verdict and an empty description
# ---------------------------------------------------------------------------------------------


class MissingDescription(Rule):
    """## What it does
    Checks that the frontmatter has a non-empty `description`.

    ## Why is this bad?
    Claude Code skips an agent without a description (a misspelt `descripton:` counts as
    none): the description is how it decides when to delegate.

    ## Example
    ```yaml
    name: code-reviewer
    ```
    Use instead:
    ```yaml
    name: code-reviewer
    description: Reviews code for bugs and style. Use after every change.
    ```
    """

    code = "AL201"
    name = "missing-description"
    severity = Severity.ERROR
    summary = "no `description`, or an empty one: Claude Code skips the file"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.fm is None or not ctx.fm.loads or not _reaches_description(ctx):
            return
        e = ctx.entry("description")
        if e is None:
            miss = near_miss_entry(ctx, "description")
            if miss is not None:
                yield Finding(miss.key_start, miss.key_end, f"no `description` key: `{miss.key}` is not read as `description`, so Claude Code skips the file")
            else:
                yield ctx.file_finding("no `description`: Claude Code skips the file; add one saying what the agent does and when to use it")
            return
        if e.value is not None and e.value != "":
            return
        colon = ctx.text.find(":", e.key_end, _line_end(ctx.text, e.key_end))
        comment = _comment_after(ctx, colon + 1) if e.value is None and colon >= 0 else None
        if comment is not None and not _DIRECTIVE_RE.match(ctx.text, comment[0]):
            yield Finding(comment[0], comment[1], "`#` starts a YAML comment here, so `description` is empty and Claude Code skips the file: quote the description")
            return
        yield value_finding(ctx, "description", "`description` is empty: Claude Code skips the file")


class DescriptionNotString(Rule):
    """## What it does
    Checks that `description` is a string, not a mapping, list, number or boolean.

    ## Why is this bad?
    Claude Code skips an agent whose description is not a string. It usually happens by
    accident: an indented line holding `: ` turns the description into a mapping, lines
    starting with `- ` into a list.

    ## Example
    ```yaml
    description:
      Examples: use it for reviews
    ```
    Use instead:
    ```yaml
    description: |
      Examples: use it for reviews
    ```
    """

    code = "AL202"
    name = "description-not-string"
    severity = Severity.ERROR
    summary = "`description` is a mapping, list, number or boolean: Claude Code skips the file"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        e = _entry(ctx)
        if e is None or e.value is None or isinstance(e.value, str) or not _reaches_description(ctx):
            return
        value = e.value
        if isinstance(value, dict):
            why = " (an indented `key: value` line makes YAML read a mapping); write it as a `|` block or quote it"
        elif isinstance(value, list):
            why = " (lines starting with `- ` make YAML read a list); write it as a `|` block or quote it"
        else:
            why = "; quote it"
        yield value_finding(ctx, "description", f"`description` is {type_word(value)}, not a string: Claude Code skips the file{why}")


class DescriptionBlank(Rule):
    """## What it does
    Reports a description made only of white space (as Claude Code loads it, so `\\n` counts
    as white space).

    ## Why is this bad?
    Claude Code loads the agent, but with nothing to choose it by it is never delegated to.

    ## Example
    ```yaml
    description: "   "
    ```
    Use instead: say what the agent does and when to use it.
    """

    code = "AL208"
    name = "description-blank"
    severity = Severity.ERROR
    summary = "the description is only white space: nothing to choose the agent by"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        desc = loaded_description(ctx)
        if desc and not desc.strip():
            yield value_finding(ctx, "description", "the description is only white space: Claude Code loads the agent but has nothing to choose it by")


# ---------------------------------------------------------------------------------------------
# AL203, AL204: length and trigger
# ---------------------------------------------------------------------------------------------

_EXAMPLE_OPEN_RE = re.compile(r"<example\b[^<>]{0,200}>", re.I)


def _positive_int(value: Any, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        return default
    return n if n > 0 else default


class DescriptionTooLong(Rule):
    """## What it does
    Reports a description longer than 1,024 characters, or 5,000 when it holds `<example>`
    blocks (counted as Claude Code loads it).

    ## Why is this bad?
    Every agent's description sits in the main conversation's context all the time; Claude Code
    warns when all of them together pass about 15k tokens. Long descriptions also blur what
    the agent is for.

    ## Options
    ```toml
    [tool.agentlint.rules.AL203]
    max-length = 1024
    max-length-with-examples = 5000
    ```
    """

    code = "AL203"
    name = "description-too-long"
    severity = Severity.WARNING
    summary = "the description is over 1,024 characters (5,000 with `<example>` blocks)"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        desc = loaded_description(ctx)
        if not desc:
            return
        examples = bool(_EXAMPLE_OPEN_RE.search(desc))
        if examples:
            limit = _positive_int(ctx.config.option(self.code, "max-length-with-examples", DESCRIPTION_MAX_LENGTH_WITH_EXAMPLES), DESCRIPTION_MAX_LENGTH_WITH_EXAMPLES)
        else:
            limit = _positive_int(ctx.config.option(self.code, "max-length", DESCRIPTION_MAX_LENGTH), DESCRIPTION_MAX_LENGTH)
        if len(desc) <= limit:
            return
        kind = "with `<example>` blocks" if examples else "without examples"
        yield value_finding(ctx, "description", f"the description has {len(desc):,} characters, over {limit:,} for a description {kind}: it is in the main context all the time; shorten it")


# AL204 only asks whether a trigger phrase occurs.  The patterns that start with `\b` (all but
# `<example\b`) share it: one word-boundary test per position instead of one per pattern, five
# times faster.  None of them has a `|` outside parentheses, which would leave its other
# branches without the `\b` (tests/test_speed_rules.py checks the vocabulary for that).
_BOUNDED = [p[2:] for p in TRIGGER_PATTERNS if p.startswith(r"\b")]
_TRIGGER = "|".join([r"\b(?:" + "|".join(f"(?:{p})" for p in _BOUNDED) + ")"] + [f"(?:{p})" for p in TRIGGER_PATTERNS if not p.startswith(r"\b")])
_TRIGGER_SEARCH = re.compile(_TRIGGER, re.I).search
# The patterns are written in lowercase: on ASCII text (most descriptions), searching the
# lowercased text without IGNORECASE finds the same, more than twice as fast.  Not on other
# text, where IGNORECASE folds characters one by one and str.lower may not (``İ`` becomes two).
_TRIGGER_SEARCH_LOWER = re.compile(_TRIGGER).search


def _has_trigger(desc: str) -> bool:
    """A trigger phrase (any of ``TRIGGER_PATTERNS``, case-insensitive) occurs in ``desc``."""
    if desc.isascii():
        return _TRIGGER_SEARCH_LOWER(desc.lower()) is not None
    return _TRIGGER_SEARCH(desc) is not None


def _mostly_ascii_letters(text: str) -> bool:
    """The trigger phrases are English: a description written mostly in another script is not judged."""
    if text.isascii():
        return True  # every letter is ASCII (or there is none)
    letters = sum(map(str.isalpha, text))
    # The ASCII letters: the letters left when every other character is dropped.
    ascii_letters = sum(map(str.isalpha, text.encode("ascii", "ignore").decode("ascii")))
    return not letters or ascii_letters * 2 >= letters


class DescriptionNoTrigger(Rule):
    """## What it does
    Reports a description that says what the agent is but not when to use it.

    ## Why is this bad?
    Claude decides when to delegate from the description alone. "Use this agent when…",
    "Use proactively after…" or `<example>` blocks make delegation reliable; a list of
    skills does not. The phrases looked for are English; a description written mostly in
    another script is not checked.

    ## Example
    ```yaml
    description: Expert in PostgreSQL and query tuning.
    ```
    Use instead:
    ```yaml
    description: Expert in PostgreSQL and query tuning. Use when a query is slow or a schema changes.
    ```
    """

    code = "AL204"
    name = "description-no-trigger"
    severity = Severity.INFO
    summary = "the description does not say when to use the agent"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        desc = loaded_description(ctx)
        if not desc or not desc.strip() or _has_trigger(desc) or not _mostly_ascii_letters(desc):
            return
        yield value_finding(ctx, "description", "the description says what the agent is, not when to use it: add \"Use this agent when…\" or \"Use proactively after…\"")


# ---------------------------------------------------------------------------------------------
# AL205, AL206, AL207: how the YAML source changes what Claude Code loads
# ---------------------------------------------------------------------------------------------


# Double-quoted source reads as escapes (a backslash and the next character) and single
# characters.  An escaped backslash followed by `n` starts where a run of backslashes starts
# (a run always starts an escape), when the run is even and an `n` follows it.
# (Written to start with a literal backslash, which the engine finds fast, then to look back at
# the character before it: ``(?<!\\)(?:\\\\)+n`` and ``(?<!\\)\\\\n``.)
_ESCAPED_BACKSLASH_N = re.compile(r"\\(?<!\\\\)\\(?:\\\\)*n")
_LONE_ESCAPED_BACKSLASH_N = re.compile(r"\\(?<!\\\\)\\n")


def _backslash_n_in_double_quoted(src: str) -> Optional[int]:
    """Offset of the first ``\\\\n`` (an escaped backslash, then ``n``) in double-quoted source."""
    # The opening quote is never a backslash: the run found starts at or after it.
    m = _ESCAPED_BACKSLASH_N.search(src, 1 if src.startswith('"') else 0)
    return None if m is None else m.end() - 3


def _block_scalar_candidates(target: str, indent: str, nl: str) -> Iterator[str]:
    lines = target.split("\n")
    trailing = 0
    while len(lines) > 1 and lines[-1] == "":
        lines.pop()
        trailing += 1
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    body = nl.join(indent + line if line else "" for line in lines)
    body += nl * max(0, trailing - 1)
    yield f"|{chomp}{nl}{body}"
    yield f"|{len(indent)}{chomp}{nl}{body}"  # a first line starting with a space needs the indicator


def _double_quoted_candidate(src: str) -> str:
    """The double-quoted source with each escaped backslash before an ``n`` made a ``\\n`` escape."""
    # Escapes are read left to right, as YAML reads them: each `\\\\n` found as in
    # `_backslash_n_in_double_quoted` loses its first backslash; everything else stays.
    if "\\\\\\" not in src:
        # No run of three backslashes or more: each `\\\\n` after a character that is not a
        # backslash is one (a run of exactly two), and is replaced in one pass.
        return _LONE_ESCAPED_BACKSLASH_N.sub(r"\\n", src)
    out = []
    last = 0
    for m in _ESCAPED_BACKSLASH_N.finditer(src):
        cut = m.end() - 3
        out.append(src[last:cut])
        last = cut + 1
    if not out:
        return src
    out.append(src[last:])
    return "".join(out)


class LiteralBackslashN(Rule):
    """## What it does
    Reports the two characters `\\n` in a description written as a plain, single-quoted or
    block scalar, or as `\\\\n` in a double-quoted one.

    ## Why is this bad?
    YAML reads them as a backslash and an `n`; Claude Code then turns every `\\n` in the
    description into a newline. So Claude sees line breaks, while GitHub, OpenCode, editors and
    every other YAML reader show `\\n` literally.

    ## Example
    ```yaml
    description: Reviews code.\\n\\nExamples:\\n<example>…</example>
    ```
    Use instead:
    ```yaml
    description: |-
      Reviews code.

      Examples:
      <example>…</example>
    ```

    ## Fix
    Safe: the value becomes a `|-` block scalar with real line breaks (a double-quoted value
    keeps its quotes and gets `\\n` escapes). The fix is offered only when the new YAML loads
    to exactly the description Claude Code loads today.
    """

    code = "AL205"
    name = "literal-backslash-n"
    severity = Severity.INFO
    summary = "`\\n` written where YAML keeps a backslash and an n: Claude Code alone turns it into a newline"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        e = _entry(ctx)
        if e is None or not isinstance(e.value, str) or "\\n" not in e.value:
            return
        count = e.value.count("\\n")
        src = ctx.text[e.value_start : e.value_end]
        if e.style == '"' and not e.repaired:
            at = _backslash_n_in_double_quoted(src)
            width = 3
            where = "`\\\\n` in a double-quoted string is a backslash and an n for YAML"
        else:
            at = src.find("\\n")
            width = 2
            kind = {"'": "single-quoted", "|": "block", ">": "folded"}.get(e.style or "", "plain")
            where = f"`\\n` in a {kind} scalar is a backslash and an n for YAML"
        start, end = (e.value_start + at, e.value_start + at + width) if at is not None and at >= 0 else value_span(ctx, e)
        times = f" ({count} times)" if count > 1 else ""
        message = f"{where}{times}: Claude Code turns it into a newline, every other reader shows `\\n`; use real line breaks"
        yield Finding(start, end, message, fix=self._fix(ctx, e))

    def _fix(self, ctx: FileContext, e) -> Optional[Fix]:
        fm = ctx.fm
        if fm is None or any(x.huge for x in fm.entries) or e.value_end <= e.value_start:
            return None
        target = e.value.replace("\\n", "\n")
        if e.style == '"' and not e.repaired:
            candidates: list[str] = [_double_quoted_candidate(ctx.text[e.value_start : e.value_end])]
            message = "write `\\n` escapes instead of `\\\\n`"
        else:
            line_start = _line_start(ctx.text, e.key_start)
            indent = " " * (e.key_start - line_start + 2)
            nl = "\r\n" if ctx.text.startswith("\r\n", _line_end(ctx.text, e.key_start)) else "\n"
            candidates = list(_block_scalar_candidates(target, indent, nl))
            message = "rewrite the description as a block scalar with real line breaks"
        for candidate in candidates:
            if "---" in candidate:
                continue  # Claude Code would end the frontmatter there
            if _loads_same(ctx, e, candidate, target):
                return ctx.fix(message, e.value_start, e.value_end, candidate)
        return None


def _loads_same(ctx: FileContext, e, candidate: str, target: str) -> bool:
    """The frontmatter with ``candidate`` as the description's source loads the description
    ``target`` exactly, and every other value as before."""
    fm = ctx.fm
    assert fm is not None
    a, b = e.value_start - fm.offset, e.value_end - fm.offset
    new = yamlsrc.parse(fm.text[:a] + candidate + fm.text[b:], fm.offset)
    if not new.loads or new.too_deep or any(x.huge for x in new.entries):
        return False
    desc = new.entry("description")
    if desc is None or desc.value != target:
        return False
    before = [(x.key, x.value) for x in fm.entries if x is not e]
    after = [(x.key, x.value) for x in new.entries if x is not desc]
    return before == after


class DescriptionTruncated(Rule):
    """## What it does
    Reports a ` #` inside an unquoted description, where YAML starts a comment.

    ## Why is this bad?
    Everything from ` #` to the end of the line is dropped: `Fixes issue #42 and more` loads as
    `Fixes issue`. Nothing warns about it.

    ## Example
    ```yaml
    description: Expert in C # and .NET; use for any .NET work
    ```
    Use instead:
    ```yaml
    description: "Expert in C # and .NET; use for any .NET work"
    ```
    """

    code = "AL206"
    name = "description-truncated"
    severity = Severity.ERROR
    summary = "` #` in an unquoted description starts a YAML comment and cuts it off"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        e = _entry(ctx)
        if e is None or e.repaired or e.style not in _PLAIN_STYLES or not isinstance(e.value, str) or not e.value:
            return
        comment = _comment_after(ctx, e.value_end)
        if comment is None or _DIRECTIVE_RE.match(ctx.text, comment[0]):
            return
        start, end = comment
        kept = e.value.replace("\\n", "\n")
        yield Finding(start, end, f"` #` starts a YAML comment: Claude Code loads the description only up to `{_snippet(kept[-40:], 40)}` and drops `{_snippet(ctx.text[start:end], 40)}`; quote the description")


def _description_line(e: yamlsrc.Entry) -> bool:
    """An entry that is a line of description text read as a key, not a key of its own."""
    key = e.key
    if key in FIELDS or key in KEY_NEAR_MISSES:
        return False
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*", key):
        return True  # `Example 1`, `<example>Context`: text, never an identifier
    value = e.value
    if key.lower() in DESCRIPTION_SPEAKER_KEYS:
        return value is None or isinstance(value, str)
    if key.lower() in DESCRIPTION_TURN_KEYS:  # a label
        return value is None or (isinstance(value, str) and " " in value.strip())
    return False  # `category`, `emoji`, `Author`: custom keys


def description_continuation(fm: Optional[yamlsrc.Frontmatter]) -> list[yamlsrc.Entry]:
    """The stray keys Claude Code's repair made of a description's later lines.

    Only for a frontmatter that needed the repair and loads: the entries right after
    `description` whose keys are lines of text (``user``, ``assistant``, ``Context``,
    ``<example>Context``…) rather than keys.  AL006 and AL501 leave these to AL207.
    """
    if fm is None or not fm.repaired or not fm.loads:
        return []
    desc = fm.entry("description")
    if desc is None or not isinstance(desc.value, str):
        return []
    idx = next(i for i, x in enumerate(fm.entries) if x is desc)
    out = []
    for x in fm.entries[idx + 1 :]:
        if not _description_line(x):
            break
        out.append(x)
    return out


class DescriptionCutByFallback(Rule):
    """## What it does
    Reports a description written over several lines in a frontmatter that only loads through
    Claude Code's repair, so that its later lines become keys of their own.

    ## Why is this bad?
    When strict YAML fails, Claude Code quotes each `key: value` line on its own and parses
    again. Unindented lines after `description:` such as `user: "…"`, `assistant: "…"` or
    `Context: …` then become separate keys: the agent loads with the description cut after its
    first line, and the examples are lost without a word.

    ## Example
    ```yaml
    description: Use this agent when: reviewing code. Examples:
    user: "Review my change"
    assistant: "I'll use the code-reviewer agent"
    ```
    Use instead:
    ```yaml
    description: |
      Use this agent when: reviewing code. Examples:
      user: "Review my change"
      assistant: "I'll use the code-reviewer agent"
    ```
    """

    code = "AL207"
    name = "description-cut-by-fallback"
    severity = Severity.ERROR
    summary = "a multi-line description in a frontmatter that needs Claude Code's repair: only its first line loads"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        stray = description_continuation(ctx.fm)
        if not stray:
            return
        desc = ctx.entry("description")
        assert desc is not None
        first, last = stray[0], stray[-1]
        end = max(last.value_end, last.key_end)
        names = list(dict.fromkeys(x.key for x in stray))
        keys = ", ".join(f"`{k}`" for k in names[:4]) + (", …" if len(names) > 4 else "")
        lines = ctx.doc.line_col(end)[0] - ctx.doc.line_col(first.key_start)[0] + 1
        lost = "this line becomes a stray key" if lines == 1 else f"these {lines} lines become stray keys"
        yield Finding(
            first.key_start,
            end,
            f"Claude Code loads this frontmatter only through its repair and ends the description at `{_snippet(desc.value, 40)}`: {lost} ({keys}) and the text is lost; indent the whole description under `description: |`",
        )


# ---------------------------------------------------------------------------------------------
# AL210-AL214: <example> blocks
# ---------------------------------------------------------------------------------------------

_TAG_RE = re.compile(r"<(/?)(example|commentary)\b[^<>]{0,200}>", re.I)


@dataclass
class _Tag:
    index: int  # among all _TAG_RE matches of the description
    start: int
    end: int
    closing: bool
    kind: str  # "example" | "commentary"


@dataclass
class ExampleScan:
    blocks: list[tuple[_Tag, str]]  # opening tag, the text between the tags
    problems: list[tuple[_Tag, str]]  # tag at fault, message


_CODE_SPAN_RE = re.compile(r"`[^`\n]*`")


def _mask_code(text: str) -> str:
    """``text`` with inline code spans blanked out: a tag written as `<example>` is not a tag."""
    if "`" not in text:
        return text
    return _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), text)


class _TagSpans:
    """Source offsets of the tags found in the loaded description, by index.

    Tags are written verbatim in every scalar style (plain, quoted, block, repaired), so the
    n-th tag of the loaded text is the n-th tag of the value's source text.  When the counts
    disagree (an escape wrote part of one), the whole value is used.
    """

    def __init__(self, ctx: FileContext, e, loaded: str) -> None:
        src = _mask_code(ctx.text[e.value_start : e.value_end])
        found = [(e.value_start + m.start(), e.value_start + m.end()) for m in _TAG_RE.finditer(src)]
        self.spans = found if len(found) == sum(1 for _ in _TAG_RE.finditer(_mask_code(loaded))) else []
        self.fallback = value_span(ctx, e)

    def __getitem__(self, index: int) -> tuple[int, int]:
        return self.spans[index] if 0 <= index < len(self.spans) else self.fallback


def scan_examples(desc: str) -> ExampleScan:
    """Pair `<example>` and `<commentary>` tags; the closed example blocks and the faults.

    Tags inside inline code spans are text, not tags."""
    scan = ExampleScan([], [])
    masked = _mask_code(desc)
    example: Optional[_Tag] = None
    commentary: Optional[_Tag] = None
    for i, m in enumerate(_TAG_RE.finditer(masked)):
        tag = _Tag(i, m.start(), m.end(), m.group(1) == "/", m.group(2).lower())
        if tag.kind == "example":
            if commentary is not None and (example is not None or not tag.closing):
                where = "the example ends" if tag.closing else "the next `<example>`"
                scan.problems.append((commentary, f"`<commentary>` is not closed before {where}"))
                commentary = None
            if not tag.closing:
                if example is not None:
                    scan.problems.append((example, "`<example>` is not closed before the next `<example>`"))
                example = tag
            elif example is None:
                scan.problems.append((tag, "`</example>` has no `<example>` before it"))
            else:
                scan.blocks.append((example, desc[example.end : tag.start]))
                example = None
        elif not tag.closing:
            if commentary is not None:
                scan.problems.append((commentary, "`<commentary>` is not closed before the next `<commentary>`"))
            commentary = tag
        elif commentary is None:
            scan.problems.append((tag, "`</commentary>` has no `<commentary>` before it"))
        else:
            commentary = None
    if commentary is not None:
        scan.problems.append((commentary, "`<commentary>` is never closed"))
    if example is not None:
        scan.problems.append((example, "`<example>` is never closed"))
    scan.problems.sort(key=lambda p: p[0].start)
    return scan


def _examples(ctx: FileContext) -> Optional[tuple[Any, str, ExampleScan]]:
    """The description's entry, its loaded text and its scan (once per file: five rules ask)."""
    memo = ctx.memo
    if _MEMO_EXAMPLES in memo:
        return memo[_MEMO_EXAMPLES]
    desc = loaded_description(ctx)
    if not desc or "<" not in desc or not _TAG_RE.search(desc):
        found = None  # no tag at all: the cheap common case
    else:
        found = ctx.entry("description"), desc, scan_examples(desc)
    memo[_MEMO_EXAMPLES] = found
    return found


def _tag_spans(ctx: FileContext, e, desc: str) -> "_TagSpans":
    """The source spans of the tags of the scanned description (``_examples``), once per file."""
    spans = ctx.memo.get(_MEMO_TAGS)
    if spans is None:
        spans = ctx.memo[_MEMO_TAGS] = _TagSpans(ctx, e, desc)
    return spans


def _any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


_USER_RE = _any(EXAMPLE_USER_PATTERNS)
_ASSISTANT_RE = _any(EXAMPLE_ASSISTANT_PATTERNS)
_CONTEXT_RE = _any(EXAMPLE_CONTEXT_PATTERNS)
_COMMENTARY_RE = _any(EXAMPLE_COMMENTARY_PATTERNS)
# A named speaker at the start of a line, with a quoted utterance: `Daisy: "Review my PR"`.
_SPEAKER_RE = re.compile(r"^[ \t>*-]*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?)[ \t]*:[ \t]*[\"'“‘]", re.M)


def _has_user_turn(block: str) -> bool:
    if _USER_RE.search(block):
        return True
    return any(m.group(1).lower() not in EXAMPLE_NON_USER_SPEAKERS for m in _SPEAKER_RE.finditer(block))


class _ExampleRule(Rule):
    """Base of the rules that look inside each closed `<example>` block."""

    missing: ClassVar[str] = ""

    def has(self, block: str) -> bool:  # pragma: no cover - overridden
        return True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        found = _examples(ctx)
        if found is None:
            return
        e, desc, scan = found
        tags: Optional[_TagSpans] = None
        for n, (tag, block) in enumerate(scan.blocks, 1):
            if self.has(block):
                continue
            tags = tags or _tag_spans(ctx, e, desc)
            start, end = tags[tag.index]
            yield Finding(start, end, f"example {n} of {len(scan.blocks)} has {self.missing}")


class ExampleUnbalanced(Rule):
    """## What it does
    Checks that `<example>` / `</example>` and `<commentary>` / `</commentary>` tags in the
    description pair up.

    ## Why is this bad?
    An unclosed or stray tag merges examples or swallows the rest of the description: Claude
    reads the turns of one example as part of another, or the commentary as dialogue.

    ## Example
    ```yaml
    description: |
      Use this agent after code changes.
      <example>
      user: "Review my change"
      assistant: "I'll use the code-reviewer agent"
      <example>
    ```
    Use instead: close the block with `</example>`.
    """

    code = "AL210"
    name = "example-unbalanced"
    severity = Severity.ERROR
    summary = "`<example>` or `<commentary>` tags do not pair up"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        found = _examples(ctx)
        if found is None:
            return
        e, desc, scan = found
        if scan.problems:
            tags = _tag_spans(ctx, e, desc)
        for tag, message in scan.problems:
            start, end = tags[tag.index]
            yield Finding(start, end, message)


class ExampleMissingUser(_ExampleRule):
    """## What it does
    Reports an `<example>` block in the description with no user turn (`user: "…"`).

    ## Why is this bad?
    The examples teach Claude which requests should go to this agent; without the user's
    words there is nothing to match a request against.

    ## Example
    ```
    <example>
    assistant: "I'll use the code-reviewer agent"
    </example>
    ```
    Use instead: add `user: "Please review my change"` before the assistant's turn.
    """

    code = "AL211"
    name = "example-missing-user"
    severity = Severity.WARNING
    summary = "an `<example>` block with no `user:` turn"
    missing = "no `user:` turn: show the request that should reach this agent"

    def has(self, block: str) -> bool:
        return _has_user_turn(block)


class ExampleMissingAssistant(_ExampleRule):
    """## What it does
    Reports an `<example>` block in the description with no `assistant:` turn.

    ## Why is this bad?
    The assistant's turn shows Claude handing the task to this agent ("I'll use the
    code-reviewer agent"); without it the example does not show delegation.

    ## Example
    ```
    <example>
    user: "Review my change"
    </example>
    ```
    Use instead: add `assistant: "I'll use the code-reviewer agent to review it"`.
    """

    code = "AL212"
    name = "example-missing-assistant"
    severity = Severity.WARNING
    summary = "an `<example>` block with no `assistant:` turn"
    missing = "no `assistant:` turn: show Claude handing the task to this agent"

    def has(self, block: str) -> bool:
        return bool(_ASSISTANT_RE.search(block))


class ExampleMissingContext(_ExampleRule):
    """## What it does
    Reports an `<example>` block in the description with no `Context:` line.

    ## Why is this bad?
    The convention (Claude Code's own agent generator) opens each example with the situation
    it applies to; without it the example is harder to generalise from.

    ## Example
    ```
    <example>
    user: "Review my change"
    assistant: "I'll use the code-reviewer agent"
    </example>
    ```
    Use instead: start the block with `Context: The user has just finished a feature.`
    """

    code = "AL213"
    name = "example-missing-context"
    severity = Severity.INFO
    summary = "an `<example>` block with no `Context:` line"
    missing = "no `Context:` line"

    def has(self, block: str) -> bool:
        return bool(_CONTEXT_RE.search(block))


class ExampleMissingCommentary(_ExampleRule):
    """## What it does
    Reports an `<example>` block in the description with no `<commentary>`.

    ## Why is this bad?
    The commentary says why this agent fits the example; it is what lets Claude generalise
    from the example to new requests.

    ## Example
    ```
    <example>
    user: "Review my change"
    assistant: "I'll use the code-reviewer agent"
    </example>
    ```
    Use instead: add `<commentary>Code was just written, so review it.</commentary>`.
    """

    code = "AL214"
    name = "example-missing-commentary"
    severity = Severity.INFO
    summary = "an `<example>` block with no `<commentary>`"
    missing = "no `<commentary>` saying why this agent fits"

    def has(self, block: str) -> bool:
        return bool(_COMMENTARY_RE.search(block))
