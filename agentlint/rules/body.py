"""AL6xx: the body, the agent's system prompt (everything after the closing ``---``).

Claude Code passes the body to the model as it is; these rules look at what the model gets.
Code fences are found as CommonMark finds them (``agentlint.fences``).
"""

from __future__ import annotations

import re
from typing import Iterator

from .. import secrets as _secrets
from ..diagnostics import Severity
from ..vocab import BODY_MAX_BYTES, BODY_MIN_CHARS
from .base import FileContext, Finding, Rule


def _has_body(ctx: FileContext) -> bool:
    """Body rules apply to a file with a closed frontmatter: otherwise there is no body."""
    doc = ctx.doc
    return doc.closed and not doc.too_large and not doc.read_error


def _text_span(ctx: FileContext) -> tuple[int, int]:
    """Offsets of the body's first and just past its last non-space character."""
    body = ctx.doc.body
    lead = len(body) - len(body.lstrip())
    return ctx.doc.body_offset + lead, ctx.doc.body_offset + len(body.rstrip())


class EmptyBody(Rule):
    """## What it does
    Checks that there is a system prompt after the frontmatter.

    ## Why is this bad?
    The body is the subagent's whole system prompt: it gets this text plus basic environment
    details, not Claude Code's own system prompt. With an empty body the subagent starts with
    no instructions at all, knowing only the task it was handed.

    ## Example
    ```markdown
    ---
    name: reviewer
    description: Reviews code. Use after every change.
    ---
    ```
    Use instead:
    ```markdown
    ---
    name: reviewer
    description: Reviews code. Use after every change.
    ---
    You are a senior reviewer. Read the diff, then report bugs, risks and missing tests.
    ```
    """

    code = "AL601"
    name = "empty-body"
    severity = Severity.ERROR
    summary = "no system prompt after the frontmatter"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if not _has_body(ctx) or ctx.doc.body.strip():
            return
        doc = ctx.doc
        line_end = doc.text.find("\n", doc.fm_end)
        end = len(doc.text) if line_end < 0 else line_end
        end = doc.fm_end + len(doc.text[doc.fm_end:end].rstrip())
        yield Finding(doc.fm_end, end, "nothing follows the frontmatter: the subagent gets no system prompt, only the task it is handed")


class BodyTooShort(Rule):
    """## What it does
    Reports a system prompt of fewer than 20 characters of text.

    ## Why is this bad?
    A subagent does not see Claude Code's system prompt, only its own body. A few words
    (`You review code.`) leave it without a role, a method or an output format, and its work
    is as vague as its instructions.

    ## Example
    ```markdown
    ---
    name: reviewer
    description: Reviews code. Use after every change.
    ---
    Review code.
    ```
    Use instead: say who the agent is, how it works and what it returns.
    """

    code = "AL602"
    name = "body-too-short"
    severity = Severity.WARNING
    summary = "under 20 characters of text"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if not _has_body(ctx):
            return
        body = ctx.doc.body
        if len("".join(body[: 8 * BODY_MIN_CHARS].split())) >= BODY_MIN_CHARS:
            return  # enough text already at the start (the collapsed text is at least as long)
        text = " ".join(body.split())
        if not text or len(text) >= BODY_MIN_CHARS:
            return
        start, end = _text_span(ctx)
        n = len(text)
        yield Finding(start, end, f"the system prompt has only {n} character{'s' if n != 1 else ''} of text (fewer than {BODY_MIN_CHARS}): the subagent gets no real instructions")


# What may stand before a fence on its line: indentation, `>` and list markers, in any mix
# (a superset: the scanner decides).
_FENCE_PREFIX = re.compile(r"[ \t>*+\-0-9.)]*")


def _all_fences_closed(body: str) -> bool:
    """A cheap, conservative pre-check: True only when every fence is certainly closed.

    Lines split at ``\\n`` only, as in ``agentlint.fences``.  A fence line that starts at
    column 0 is in no list item or block quote (that would take indentation or a ``>``, and a
    fence is never a lazy line), no paragraph (a fence interrupts one) and no indented code:
    only a fenced code block or an HTML block can hold it.  So CommonMark pairs such lines as
    this loop does, provided no HTML block is open at an opening fence: each line between the
    last closing fence and the opening one that may start an HTML block is asked how far that
    block could reach (``agentlint.fences.html_block_may_reach``).  Inside a fence opened at
    column 0, a closing fence may stand behind up to three spaces, and all else is content.

    Anything else returns False, for ``agentlint.fences``: an opening fence that an HTML block
    may hide, a fence behind indentation, ``>`` or a list marker outside a fence, a fence that
    never closes.  Only the lines holding ```` ``` ```` or ``~~~`` are read (``str.find``), and
    for HTML each ``<`` between a closing fence and the next opening one.
    """
    n = len(body)
    bt = body.find("```")
    # str.find finds one character much faster than three, and a tilde is rare
    tl = body.find("~~~") if "~" in body else -1
    open_fence = ""
    free = 0  # the start of the text after the last closing fence
    while bt >= 0 or tl >= 0:
        i = bt if tl < 0 or 0 <= bt < tl else tl  # the first run of either kind
        start = body.rfind("\n", 0, i) + 1
        eol = body.find("\n", i)
        eol = n if eol < 0 else eol
        pos = eol + 1
        if 0 <= bt < pos:
            bt = body.find("```", pos)
        if 0 <= tl < pos:
            tl = body.find("~~~", pos)
        if start < i:
            # Something before the run.
            if open_fence:
                if i - start > 3 or body.count(" ", start, i) != i - start:
                    continue  # content: a closing fence stands behind three spaces at most
            elif _FENCE_PREFIX.fullmatch(body, start, i):
                return False  # maybe a fence behind indentation, `>` or a list marker
            else:
                # Text, and then no fence on this line (a later run would have this one's
                # characters before it).
                continue
        ch = body[i]
        j = i + 3
        while j < eol and body[j] == ch:
            j += 1
        if open_fence:
            if ch == open_fence[0] and j - i >= len(open_fence) and not body[j:eol].strip(" \t"):
                open_fence = ""
                free = pos
        elif not (ch == "`" and "`" in body[j:eol]):
            # An opening fence, unless an HTML block from a line since the last closing fence
            # may still be open here: one starts with a "<" at most three spaces into its line.
            lt = body.find("<", free, start)
            while lt >= 0:
                line = body.rfind("\n", 0, lt) + 1
                if lt - line <= 3 and body.count(" ", line, lt) == lt - line:
                    from ..fences import html_block_may_reach

                    if html_block_may_reach(body, line, start):
                        return False
                lt = body.find("<", lt + 1, start)
            open_fence = body[i:j]
    return not open_fence


class UnclosedCodeFence(Rule):
    """## What it does
    Reports a code fence (```` ``` ```` or `~~~`) that is never closed, so that the code block
    runs to the end of the system prompt.

    ## Why is this bad?
    Everything after the opening fence becomes one code block: the model reads the rest of the
    instructions as sample code, and every Markdown renderer shows them that way. The usual
    cause is a code block nested in another one with a fence of the same length: the inner
    closing fence closes the outer block, and the outer closing fence opens a new block.

    Fences are found as CommonMark finds them: a fence inside a list item ends with the item,
    and a fence line inside an HTML block (after `<div>`, until a blank line) is no fence.

    ## Example
    ````markdown
    Use this format:
    ```markdown
    ## Summary
    ```bash
    make test
    ```
    ```
    ````
    Use instead: give the outer block a longer fence (```` ```` ````) than the inner one.
    """

    code = "AL603"
    name = "unclosed-code-fence"
    severity = Severity.WARNING
    summary = "a fence that never closes swallows the rest of the prompt"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if not _has_body(ctx):
            return
        body = ctx.doc.body
        if "```" not in body and ("~" not in body or "~~~" not in body):
            return  # no fence ("~" is found much faster than "~~~", and is rare)
        # A lone CR is no line break for the document: keep the lines aligned with it.
        src = body.replace("\r\n", "\n").replace("\r", " ") if "\r" in body else body
        if _all_fences_closed(src):
            return
        from ..fences import scan  # only for a body the pre-check cannot settle

        n_lines = src.count("\n") + (0 if src.endswith("\n") or not src else 1)
        fences = scan(src)
        lines = None  # split when there is something to report
        for i, fence in enumerate(fences):
            if fence.end >= n_lines and not fence.closed:
                if lines is None:
                    lines = src.split("\n")
                yield self._finding(ctx, fence, lines, n_lines, fences[:i])

    def _finding(self, ctx: FileContext, fence, lines: list[str], n_lines: int, before: list) -> Finding:
        doc = ctx.doc
        first = fence.first
        base_line = doc.line_col(doc.body_offset)[0]
        line_no = base_line + first
        line_start = doc.body_offset if first == 0 else doc.line_offset(line_no)
        line = lines[0] if first == 0 else doc.line_text(line_no)
        markup = fence.markup
        start = line_start + max(line.find(markup), 0)
        end = line_start + len(line.rstrip())
        longer = markup[0] * (len(markup) + 1)
        swallowed = n_lines - first - 1
        msg = f"this {markup} code block is never closed: the rest of the prompt ({swallowed} line{'s' if swallowed != 1 else ''}) is read as code"
        if not fence.info.strip():
            outer = self._nesting_block(before, markup)
            if outer is not None:
                msg = (
                    f"this {markup} opens a code block that is never closed: it was probably meant to close the block opened on "
                    f"line {base_line + outer.first}, but a nested fence closed that block on line {base_line + outer.end - 1}; "
                    f"give the outer block a longer fence ({longer})"
                )
            elif before and not fence.content.strip():
                prev = before[-1]
                msg = (
                    f"this {markup} opens a code block that is never closed: it was probably meant to close the block opened on "
                    f"line {base_line + prev.first}, which line {base_line + prev.end - 1} already closed"
                )
        return Finding(start, max(end, start + len(markup)), msg)

    @staticmethod
    def _nesting_block(before: list, markup: str):
        """The last earlier block whose content opens a nested fence like ``markup`` (```` ```bash ````)."""
        nested = re.compile(r"^[ \t]*" + re.escape(markup[0]) + "{" + str(len(markup)) + r"}[^\s" + re.escape(markup[0]) + r"]", re.M)
        for fence in reversed(before):
            if fence.markup == markup and nested.search(fence.content):
                return fence
        return None


class BodyTooLong(Rule):
    """## What it does
    Reports a system prompt larger than 100 KB (UTF-8 bytes).

    ## Why is this bad?
    The whole body is sent with every delegation to this agent: a huge prompt is slow and costly
    each time, crowds out the context the subagent needs for its task, and is hard to maintain.
    Move reference material into files the agent reads when needed, or into skills.

    ## Options
    `[rules.AL604] max-bytes = 100000`
    """

    code = "AL604"
    name = "body-too-long"
    severity = Severity.WARNING
    summary = "a system prompt over 100 KB (configurable): slow and costly on every delegation"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if not _has_body(ctx):
            return
        limit = ctx.config.option(self.code, "max-bytes", BODY_MAX_BYTES)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            limit = BODY_MAX_BYTES
        body = ctx.doc.body
        if len(body) * 4 <= limit:  # cannot be over: skip the encoding
            return
        size = len(body.encode("utf-8", errors="surrogatepass"))
        if size <= limit:
            return
        start, _ = _text_span(ctx)
        line_end = ctx.text.find("\n", start)
        end = len(ctx.text) if line_end < 0 else line_end
        yield Finding(start, max(end, start + 1), f"the system prompt is {size:,} bytes, over the limit of {limit:,}: it is sent with every delegation; move reference material into files or skills")


class SecretInFile(Rule):
    """## What it does
    Finds API keys, tokens and private keys anywhere in the file: Anthropic (`sk-ant-…`),
    OpenAI (`sk-…`, `sk-proj-…`), GitHub (`ghp_…`, `github_pat_…`, `gho_…`), AWS (`AKIA…`, a
    labelled secret access key), Slack (`xoxb-…`, webhook URLs) and `BEGIN … PRIVATE KEY` blocks.
    Placeholders (`sk-ant-xxxx`, `sk-...`, `YOUR_API_KEY`, AWS's `…EXAMPLE` keys) are not reported:
    the random part must have the vendor's length and look random.

    ## Why is this bad?
    Agent files are committed, shared and published in plugins; the body is also sent to the
    model provider with every delegation. A credential in one is leaked. agentlint never prints
    it: the message shows only the public prefix and the length, and code frames mask it.

    ## Example
    ```markdown
    Call the API with `Authorization: Bearer ghp_…` (a real token)
    ```
    Use instead: read the credential from the environment (`$GITHUB_TOKEN`) and revoke the
    leaked one: removing it from the file does not remove it from the git history.
    """

    code = "AL605"
    name = "secret-in-file"
    severity = Severity.ERROR
    summary = "an API key, token or private key is written in the file"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        text = ctx.text
        if not text or ctx.doc.read_error:
            return
        for s in _secrets.find_in_document(ctx.doc):  # find(text), kept for scrub
            where = "the frontmatter" if ctx.doc.closed and ctx.doc.fm_start <= s.start < ctx.doc.fm_end else "the file"
            if ctx.doc.closed and s.start >= ctx.doc.body_offset:
                where = "the system prompt"
            yield Finding(
                s.report_start,
                s.report_end,
                f"{s.kind} is written in {where} (`{s.redacted(text)}`): remove it, revoke it, and read it from the environment instead",
            )


# Tags that structure prompts; an unclosed one is reported even if never closed anywhere.
_PROMPT_TAGS = frozenset(
    "example examples commentary instructions context thinking rules output output_format task "
    "constraints guidelines requirements steps format response answer input document".split()
)
_VOID_TAGS = frozenset("br hr img input meta link wbr area base col embed source track param".split())
_BODY_TAG_RE = re.compile(r"<(/?)([a-z][a-z0-9_-]{0,40})(\s[^<>\n]{0,200})?(/?)>")
_MENTION_RE = re.compile(r"\s*(?:and\s+<[^<>\n]{1,40}>\s*)?(?:tags?|blocks?|sections?|elements?)\b", re.I)


# A tag in the masked body starts with `<`, maybe `/`, and a letter: masking writes only spaces,
# so those characters are the body's own.  A body without such a start has no tag at all.
_TAG_START_RE = re.compile(r"</?[a-z]")

# Where str.splitlines ends a line; fences and code spans are found line by line in those terms.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_END_RE = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# An inline code span: within one line (a line break of any kind ends the search).
_INLINE_CODE_RE = re.compile(r"`[^`\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*`")
_NOT_EOL_RUN_RE = re.compile(r"[^\r\n]+")


def _mask_code_blocks(body: str) -> str:
    """``body`` with fenced code blocks and inline code spans blanked out (lengths kept).

    Line by line (``str.splitlines``): a line whose first character other than space, tab and
    ``>`` starts a run of three or more backticks or tildes opens a fence, and the next such line
    with a run of the same character at least as long closes it; the fence lines and everything
    between become spaces (line breaks ``\\r`` and ``\\n`` kept), an unclosed fence runs to the end.
    Outside fences, `` `…` `` spans within a line become spaces.  Only the runs of backticks and
    tildes are visited, not every line.
    """
    if "`" not in body and "~~~" not in body:
        return body
    out: list[str] = []
    pos = 0  # where the text not yet copied starts: always the start of a line
    fence = ""  # the marker of the open fence
    fence_start = 0
    for start, end in _fence_runs(body):
        # Is the run the first thing on its line?
        i = start
        while i > 0 and body[i - 1] in " \t>":
            i -= 1
        if i > 0 and body[i - 1] not in _LINE_BREAKS:
            continue
        run = body[start:end]
        if not fence:
            out.append(_mask_inline(body[pos:i]))
            fence, fence_start = run, i
        elif run[0] == fence[0] and len(run) >= len(fence):
            eol = _LINE_END_RE.search(body, end)
            pos = eol.end() if eol else len(body)
            out.append(_blank_lines(body[fence_start:pos]))
            fence = ""
    out.append(_blank_lines(body[fence_start:]) if fence else _mask_inline(body[pos:]))
    return "".join(out)


_RUN_TAIL = {"`": re.compile("`*"), "~": re.compile("~*")}


def _fence_runs(body: str) -> Iterator[tuple[int, int]]:
    """Start and end of each run of three or more backticks or tildes (each run whole), in order.

    What ``re.finditer(r"`{3,}|~{3,}", body)`` finds, with ``str.find`` (many times faster): the
    first ```` ``` ```` at or after the end of the previous backtick run starts a run, as no
    backtick precedes it; the same for tildes."""
    at = {"`": body.find("```"), "~": body.find("~~~")}
    while True:
        b, t = at["`"], at["~"]
        if b < 0 and t < 0:
            return
        c = "`" if t < 0 or 0 <= b < t else "~"
        start = at[c]
        end = _RUN_TAIL[c].match(body, start + 3).end()
        yield start, end
        at[c] = body.find(c * 3, end)


def _mask_inline(text: str) -> str:
    return _INLINE_CODE_RE.sub(_blank, text) if "`" in text else text


def _blank_lines(text: str) -> str:
    """``text`` with every character but ``\\r`` and ``\\n`` replaced by a space."""
    if "\r" not in text:
        return "\n".join([" " * len(part) for part in text.split("\n")])
    return _NOT_EOL_RUN_RE.sub(_blank, text)


def _blank(m: "re.Match[str]") -> str:
    return " " * len(m.group(0))


class UnbalancedBodyTag(Rule):
    """## What it does
    Checks that XML-style tags in the system prompt (`<example>`, `<instructions>`, …) pair up:
    a closing tag with no opening one, or a prompt tag that is never closed. Tags inside code
    blocks and inline code are ignored, and so are HTML void elements such as `<br>`.

    ## Why is this bad?
    Models read such tags as structure. An unclosed `<example>` turns the rest of the prompt
    into an example; a stray `</instructions>` suggests text was lost in an edit.

    ## Example
    ```markdown
    <example>
    user: review this
    Always answer in English.
    ```
    Use instead: close it with `</example>` where the example ends.
    """

    code = "AL606"
    name = "body-tag-unbalanced"
    severity = Severity.WARNING
    summary = "an XML-style tag in the body is never closed, or closes nothing"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if not _has_body(ctx):
            return
        body = ctx.doc.body
        if "<" not in body or not _TAG_START_RE.search(body):
            return
        base = ctx.doc.body_offset
        masked = _mask_code_blocks(body)
        stack: list[tuple[str, int, int]] = []
        closed_names: set[str] = set()
        strays: list[tuple[str, int, int]] = []
        for m in _BODY_TAG_RE.finditer(masked):
            closing, name, self_closing = m.group(1) == "/", m.group(2), m.group(4) == "/"
            if name in _VOID_TAGS or self_closing:
                continue
            if not closing:
                if _MENTION_RE.match(masked, m.end()):
                    continue  # prose about the tag: "wrap it in <reasoning> tags"
                stack.append((name, m.start(), m.end()))
                continue
            closed_names.add(name)
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]  # tags opened inside and left open are reported below
                    break
            else:
                strays.append((name, m.start(), m.end()))
        for name, start, end in strays:
            yield Finding(base + start, base + end, f"`</{name}>` closes nothing: there is no `<{name}>` open before it")
        for name, start, end in stack:
            if name in closed_names or name in _PROMPT_TAGS:
                yield Finding(base + start, base + end, f"`<{name}>` is never closed: the model may read the rest of the prompt as part of it")
