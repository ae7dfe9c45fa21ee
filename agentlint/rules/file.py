"""AL0xx: the file and its frontmatter."""

from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Edit, Fix, Severity
from .base import FileContext, Finding, Rule


class NoFrontmatter(Rule):
    """## What it does
    Checks that the file starts with a `---` frontmatter block.

    ## Why is this bad?
    Claude Code treats a Markdown file without frontmatter in an agents folder as documentation
    and skips it silently. Leading blank lines or spaces before `---` count as no frontmatter.

    ## Example
    ```markdown
    # Code reviewer
    You review code.
    ```
    Use instead:
    ```markdown
    ---
    name: code-reviewer
    description: Reviews code. Use after every change.
    ---
    You review code.
    ```
    """

    code = "AL001"
    name = "no-frontmatter"
    severity = Severity.ERROR
    summary = "no `---` frontmatter block at the top of the file: Claude Code skips it"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.read_error or doc.too_large or doc.has_frontmatter:
            return
        stripped = doc.text.lstrip()
        if stripped.startswith("---") and doc.text != stripped:
            off = len(doc.text) - len(stripped)
            yield Finding(off, off + 3, "the frontmatter must start on the first line: white space before `---` hides it, and Claude Code skips the file")
            return
        late = self._LATE_FENCE.search(doc.text, 0, 4096)
        if late is not None:
            off = late.start(1)
            yield Finding(off, off + 3, "this frontmatter comes after other text: it must start on the first line, so Claude Code treats the file as documentation and skips it")
            return
        yield ctx.file_finding("no frontmatter: the file must start with a `---` line; Claude Code treats it as documentation and skips it")

    # A `---` line followed by a `name:` or `description:` line, somewhere near the top.
    _LATE_FENCE = re.compile(r"(?:^|\n)(---)[ \t]*\r?\n(?:[^\n]*\n){0,3}?(?:name|description)[ \t]*:")


class UnclosedFrontmatter(Rule):
    """## What it does
    Checks that the opening `---` has a closing `---`.

    ## Why is this bad?
    Without a closing fence Claude Code finds no frontmatter and skips the agent.

    ## Example
    ```markdown
    ---
    name: reviewer
    description: Reviews code
    You review code.
    ```
    Use instead: add a `---` line after the last frontmatter key.
    """

    code = "AL002"
    name = "unclosed-frontmatter"
    severity = Severity.ERROR
    summary = "the opening `---` has no closing line of dashes"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.doc.has_frontmatter and not ctx.doc.closed and not ctx.doc.too_large:
            yield Finding(0, 3, "the frontmatter opened here is never closed with `---`: Claude Code skips the file")


class YamlSyntax(Rule):
    """## What it does
    Reports frontmatter that neither strict YAML nor Claude Code's line-by-line repair can read.

    ## Why is this bad?
    When strict YAML fails, Claude Code quotes each `key: value` line whose value holds `: `
    or a YAML indicator and parses again. If that fails too, the agent is skipped with only a
    debug-log message. Typical causes: an indented continuation line after such a value, an
    unquoted value ending in a colon, or column-0 lines inside a multi-line description.

    ## Example
    ```yaml
    description: Use this agent: for reviews
      and more on this line
    ```
    Use instead:
    ```yaml
    description: |
      Use this agent: for reviews
      and more on this line
    ```
    """

    code = "AL003"
    name = "yaml-syntax"
    severity = Severity.ERROR
    summary = "the frontmatter is not YAML, even after Claude Code's repair: the agent is skipped"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        fm = ctx.fm
        if fm is None or fm.too_deep or fm.root_kind != "none":
            return
        # Point at what defeats the repair (that is why the agent is skipped).
        err = fm.repair_error or fm.strict_error
        assert err is not None
        line_end = ctx.text.find("\n", err.offset)
        end = line_end if line_end > err.offset else err.offset + 1
        if ctx.doc.format == "claude":
            yield Finding(err.offset, end, f"invalid YAML: {err.message}; Claude Code's repair does not rescue it, so the agent is skipped")
        else:
            yield Finding(err.offset, end, f"invalid YAML: {err.message}; {ctx.doc.format.capitalize()} cannot read this frontmatter")


class YamlNotPortable(Rule):
    """## What it does
    Reports values that strict YAML rejects but that Claude Code's repair loads, typically an
    unquoted `: ` inside `description`.

    ## Why is this bad?
    Claude Code reads the file, but every other reader of the same file (python-frontmatter,
    GitHub's renderer, OpenCode, editors, other linters) fails on it. With CRLF line endings
    Claude Code itself skips it.

    ## Example
    ```yaml
    description: Use this agent when: reviewing code
    ```
    Use instead:
    ```yaml
    description: "Use this agent when: reviewing code"
    ```

    ## Fix
    Safe: the value is rewritten as a double-quoted scalar whose value is exactly what Claude
    Code loaded.
    """

    code = "AL004"
    name = "yaml-not-portable"
    severity = Severity.WARNING
    summary = "strict YAML rejects the frontmatter; only Claude Code's repair loads it"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        fm = ctx.fm
        if fm is None or not fm.repaired or fm.root_kind == "none" or ctx.doc.crlf:
            return
        for e in fm.entries:
            if not e.repaired or not isinstance(e.value, str):
                continue
            quoted = '"' + e.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            fix = Fix(f"quote the value of `{e.key}`", (Edit(e.value_start, e.value_end, quoted),))
            yield Finding(
                e.value_start,
                e.value_end,
                f"strict YAML cannot read this `{e.key}` value (it holds `: ` or a YAML indicator); Claude Code's repair loads it, other tools fail: quote it",
                fix=fix,
            )


class FrontmatterNotMapping(Rule):
    """## What it does
    Checks that the frontmatter is a YAML mapping of keys to values.

    ## Why is this bad?
    A list or a bare string gives Claude Code no `name` or `description`: the agent is skipped.

    ## Example
    ```yaml
    - name: reviewer
    ```
    Use instead: `name: reviewer`.
    """

    code = "AL005"
    name = "frontmatter-not-mapping"
    severity = Severity.ERROR
    summary = "the frontmatter is YAML but not a mapping"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        fm = ctx.fm
        if fm is not None and fm.root_kind in ("sequence", "scalar") and fm.root is not None:
            kind = "a list" if fm.root_kind == "sequence" else "a single value"
            yield ctx.node_finding(fm.root, f"the frontmatter is {kind}, not a mapping of keys: Claude Code skips the file")


class DuplicateKey(Rule):
    """## What it does
    Reports a key written twice in the frontmatter.

    ## Why is this bad?
    Claude Code keeps the last value and silently drops the first; strict YAML readers reject
    the file.

    ## Example
    ```yaml
    tools: Read
    tools: Read, Grep
    ```
    Use instead: one `tools:` line.
    """

    code = "AL006"
    name = "duplicate-key"
    severity = Severity.ERROR
    summary = "a key appears twice; one value is silently lost"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        fm = ctx.fm
        if fm is None or len({e.key for e in fm.entries}) == len(fm.entries):
            return  # no key written twice
        from .description import description_continuation

        # After Claude Code's repair, column-0 lines of a description (`user: ...`) turn into
        # keys; AL207 reports those.  Here: real keys only.
        stray = {id(x) for x in description_continuation(fm)}
        first: dict[str, int] = {}
        for e in fm.entries:
            if e.key in first:
                if id(e) in stray:
                    continue
                line = ctx.doc.line_col(first[e.key])[0]
                yield Finding(e.key_start, e.key_end, f"`{e.key}` is already set on line {line}; Claude Code keeps only this last value")
            else:
                first[e.key] = e.key_start


class CrlfLineEndings(Rule):
    """## What it does
    Reports CRLF (Windows) line endings.

    ## Why is this bad?
    Claude Code reads a CRLF file whose YAML is strictly valid, but when the frontmatter needs
    its repair (an unquoted `: ` in a value), a CRLF file is skipped: then this is an error.

    ## Fix
    Safe: every CRLF becomes LF. Add `*.md text eol=lf` to `.gitattributes`.
    """

    code = "AL007"
    name = "crlf-line-endings"
    severity = Severity.WARNING
    summary = "CRLF line endings (an error when the frontmatter also needs Claude Code's repair)"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        text = ctx.text
        if "\r" not in text:  # one pass of memchr; most files have no CR at all
            return
        i = text.find("\r\n")
        if i < 0 or ctx.doc.too_large:
            return
        start = ctx.doc.line_offset(ctx.doc.line_col(i)[0])
        fix = Fix("convert line endings to LF", (Edit(0, len(text), "", kind="eol"),))
        fm = ctx.fm
        if fm is not None and fm.strict_error is not None:
            # Converting makes Claude Code load a file it skips today: a change of behaviour.
            fix = Fix(fix.message, fix.edits, safe=False)
            yield Finding(start, i, "CRLF line endings and a frontmatter that needs Claude Code's repair: Claude Code skips this file", severity=Severity.ERROR, fix=fix)
        else:
            yield Finding(start, i, "CRLF line endings: use LF (Claude Code skips CRLF files as soon as a value needs quoting)", fix=fix)


class ByteOrderMark(Rule):
    """## What it does
    Reports a UTF-8 byte-order mark at the start of the file.

    ## Why is this bad?
    Claude Code strips it, but many readers then see no `---` on the first line and find no
    frontmatter (`claude plugin validate` among them).

    ## Fix
    Safe: the BOM is removed.
    """

    code = "AL008"
    name = "byte-order-mark"
    severity = Severity.WARNING
    summary = "the file starts with a UTF-8 BOM"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.doc.bom:
            yield Finding(0, 0, "the file starts with a UTF-8 byte-order mark: remove it", fix=Fix("remove the byte-order mark", (Edit(0, 0, "", kind="bom"),)))


class NotUtf8(Rule):
    """## What it does
    Reports bytes that are not UTF-8 text, and binary content (NUL bytes).

    ## Why is this bad?
    Claude Code replaces undecodable bytes with U+FFFD, so the agent loads with mangled text;
    a binary file is not an agent at all.
    """

    code = "AL009"
    name = "not-utf8"
    severity = Severity.ERROR
    summary = "the file is not valid UTF-8 text (or is binary)"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        err = ctx.doc.decode_error
        if err is not None:
            off, reason = err
            yield Finding(off, off + 1, f"not UTF-8 text: {reason}")


class TabIndentation(Rule):
    """## What it does
    Reports a tab used to indent a line of the frontmatter.

    ## Why is this bad?
    YAML forbids tabs for indentation; the frontmatter fails to parse or parses differently
    than it looks.

    ## Example
    ```yaml
    tools:
    \t- Read
    ```
    Use instead: indent with spaces.
    """

    code = "AL010"
    name = "tab-indentation"
    severity = Severity.ERROR
    summary = "a tab is used for indentation inside the frontmatter"

    _RE = re.compile(r"^[ ]*\t[ \t]*(?=\S)", re.M)

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        fm = ctx.fm
        if fm is None or "\t" not in fm.text:
            return
        for m in self._RE.finditer(fm.text):
            tab = fm.offset + m.start() + m.group(0).index("\t")
            yield Finding(tab, tab + 1, "tab used for indentation in the frontmatter: YAML allows only spaces")


class NonstandardFence(Rule):
    """## What it does
    Reports a closing fence that is not exactly `---` (for example `--------`).

    ## Why is this bad?
    Claude Code accepts it, but its frontmatter ends after the first three dashes: the rest
    of the line (`-----`) becomes the first line of the system prompt. Strict frontmatter
    readers do not accept it at all.

    ## Fix
    Safe: the fence becomes `---`. Extra dashes, which Claude Code reads as the start of the
    system prompt, move to a line of their own below it, so nothing Claude Code loads changes
    and you can see (and delete) them.
    """

    code = "AL011"
    name = "nonstandard-fence"
    severity = Severity.WARNING
    summary = "the closing fence is not exactly `---`"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        doc = ctx.doc
        if not doc.closed:
            return
        start = doc.fm_end
        if not _at_line_start(doc.text, start):
            return  # mid-line: AL013
        end = doc.text.find("\n", start)
        end = len(doc.text) if end < 0 else end
        line = doc.text[start:end].rstrip("\r")
        if line != "---" and _DASHES.fullmatch(line):
            extra = line.strip()[3:]
            # Trailing blanks: Claude Code drops them anyway.  Extra dashes are the first line of
            # the system prompt Claude Code loads: keep them, on a line of their own, so that the
            # fence is standard and what Claude Code loads stays the same.
            newline = "\r\n" if doc.crlf else "\n"
            content = "---" + newline + line[3:] if extra else "---"
            fix = Fix("make the closing fence `---`", (Edit(start, start + len(line), content),))
            why = f", and Claude Code starts the system prompt with the extra `{extra}`" if extra else ""
            yield Finding(
                start,
                start + len(line),
                f"closing fence `{line.strip() or line}` is not exactly `---`: strict frontmatter readers reject it{why}",
                fix=fix,
            )


_DASHES = re.compile(r"-{3,}\s*")


def _at_line_start(text: str, offset: int) -> bool:
    """``offset == doc.line_offset(doc.line_col(offset)[0])`` without building the line table:
    lines start at 0 and after each ``\\n`` (an offset outside the text starts none)."""
    return offset == 0 or (0 < offset <= len(text) and text[offset - 1] == "\n")


class FileTooLarge(Rule):
    """## What it does
    Reports an agent file larger than 1 MiB (1,048,576 bytes).

    ## Why is this bad?
    Claude Code skips it. A system prompt that large is also slow and costly on every delegation.
    """

    code = "AL012"
    name = "file-too-large"
    severity = Severity.ERROR
    summary = "the file is larger than 1 MiB: Claude Code skips it"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.doc.too_large:
            yield Finding(0, 0, f"the file has {ctx.doc.size:,} bytes, over Claude Code's limit of 1,048,576: it is skipped")


class FenceInsideLine(Rule):
    """## What it does
    Reports a `---` inside a frontmatter line, where Claude Code ends the frontmatter.

    ## Why is this bad?
    Claude Code's frontmatter ends at the first `---` anywhere after the opening fence, not only
    on a line of its own: the rest of that value and every key after it become part of the body.

    ## Example
    ```yaml
    description: Reviews code --- fast
    model: opus
    ```
    Use instead: avoid `---` in values (write `—` or `-`).
    """

    code = "AL013"
    name = "fence-inside-line"
    severity = Severity.ERROR
    summary = "a `---` inside a frontmatter line ends the frontmatter there"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        doc = ctx.doc
        if not doc.closed:
            return
        start = doc.fm_end
        if not _at_line_start(doc.text, start):
            yield Finding(start, start + 3, "Claude Code ends the frontmatter at this `---`: the rest of the line and everything after it is read as the body")


class YamlTooComplex(Rule):
    """## What it does
    Reports frontmatter nested too deeply to read safely, or whose aliases expand to a huge
    structure (a "billion laughs" YAML bomb).

    ## Why is this bad?
    Such frontmatter is never meaningful in an agent file and can hang or crash other readers.
    """

    code = "AL014"
    name = "yaml-too-complex"
    severity = Severity.WARNING
    summary = "the frontmatter nests too deeply or its aliases expand to a huge structure"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        fm = ctx.fm
        if fm is None:
            return
        if fm.too_deep:
            yield Finding(fm.offset, fm.offset, "the frontmatter nests deeper than agentlint reads (1,000 levels estimated): it was not checked")
        for e in fm.entries:
            if e.huge:
                yield Finding(e.value_start, e.value_end, f"`{e.key}` expands through YAML aliases to more than 100,000 nodes (an alias bomb)")


class UnreadableFile(Rule):
    """## What it does
    Reports a path that could not be read: a broken symlink, a symlink loop, no permission,
    a file that vanished, or something that is not a regular file (a FIFO, a device).

    ## Why is this bad?
    Claude Code cannot load it either.
    """

    code = "AL015"
    name = "unreadable-file"
    severity = Severity.ERROR
    summary = "the path could not be read as a file"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.doc.read_error:
            yield Finding(0, 0, f"cannot read this file: {ctx.doc.read_error}")
