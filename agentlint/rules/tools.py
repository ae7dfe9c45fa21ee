"""AL4xx: ``tools`` and ``disallowedTools``.

Entries are read the way Claude Code reads them (``load.split_tool_string`` for a string: commas
and white space outside parentheses; a list's items as written), each with its own position in
the file: a token's offset inside the value's source for a string, the item node for a list.
A value of another type (a number, a mapping) grants every tool; AL502 reports that, these
rules leave it alone.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Iterator, Optional

import yaml

from .. import vocab
from ..diagnostics import Edit, Fix, Severity
from ..load import split_tool_string, split_tools
from ..yamlsrc import Entry, Loader
from .base import FileContext, Finding, Rule, did_you_mean

FIELDS = ("tools", "disallowedTools")

_SPEC = re.compile(r"([^()]*)\((.*)\)", re.S)
_MCP_PART = re.compile(vocab.MCP_NAME_CHARS + "+")
_IDENT = re.compile(r"[a-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*")


# ---- reading the entries -------------------------------------------------------------------------

# An entry of a value without parentheses: a run of characters that are neither a comma nor
# white space (``\s`` is ``str.isspace``).
_PLAIN_ENTRY = re.compile(r"[^,\s]+")


def split_spans(value: str) -> list[tuple[str, int, int]]:
    """``load.split_tool_string`` with the (start, end) of each entry in ``value``."""
    if "(" not in value:
        # Without `(` the depth never leaves 0 (a `)` is an ordinary character): every run of
        # characters between commas and white space is an entry.
        return [(m.group(), m.start(), m.end()) for m in _PLAIN_ENTRY.finditer(value)]
    return _split_spans_nested(value)


def _split_spans_nested(value: str) -> list[tuple[str, int, int]]:
    items: list[tuple[str, int, int]] = []
    depth = 0
    start = -1
    for i, ch in enumerate(value):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and (ch == "," or ch.isspace()):
            if start >= 0:
                items.append((value[start:i], start, i))
                start = -1
            continue
        if start < 0:
            start = i
    if start >= 0:
        items.append((value[start:], start, len(value)))
    return items


@dataclass
class ToolRef:
    """One entry of ``tools``/``disallowedTools`` as Claude Code reads it."""

    text: str
    start: int  # offsets into the document text
    end: int
    exact: bool  # ``text`` is exactly the source at [start, end): edits may touch it
    node: Optional[yaml.Node] = None  # the item node, for a list
    node_start: int = 0  # the item node's span (a list item, quotes included)
    node_end: int = 0

    @property
    def base(self) -> str:
        """The tool name without a ``(specifier)``."""
        m = _SPEC.fullmatch(self.text)
        return m.group(1) if m else self.text

    @property
    def specifier(self) -> Optional[str]:
        m = _SPEC.fullmatch(self.text)
        return m.group(2) if m else None


@dataclass
class ToolField:
    key: str
    entry: Entry
    kind: str  # "string" | "flow" | "block" | "other"
    refs: list[ToolRef] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        """Fixes may edit the value: it is written where the key is (not an alias elsewhere)."""
        e = self.entry
        return e.value_start >= e.key_end and not e.huge

    def line(self, ctx: FileContext) -> int:
        return ctx.doc.line_col(self.entry.key_start)[0]


# Keys of FileContext.memo: the fields read so far (by key), and the fields the file has.
_MEMO_FIELD = "tools.field"
_MEMO_FIELDS = "tools.fields"


def tool_field(ctx: FileContext, key: str) -> Optional[ToolField]:
    """The entries of ``key`` (``tools`` or ``disallowedTools``), or None when it is absent."""
    cache = ctx.memo.get(_MEMO_FIELD)
    if cache is None:
        cache = ctx.memo[_MEMO_FIELD] = {}
    if key not in cache:
        cache[key] = _read_field(ctx, key)
    return cache[key]


def tool_fields(ctx: FileContext) -> tuple[ToolField, ...]:
    """The ``tools`` and ``disallowedTools`` fields the file has, in that order."""
    found = ctx.memo.get(_MEMO_FIELDS)
    if found is None:
        found = tuple(tf for tf in (tool_field(ctx, key) for key in FIELDS) if tf is not None)
        ctx.memo[_MEMO_FIELDS] = found
    return found


def _read_field(ctx: FileContext, key: str) -> Optional[ToolField]:
    if not ctx.values:
        return None
    e = ctx.entry(key)
    if e is None:
        return None
    if e.huge:
        return ToolField(key, e, "other")
    value, node = e.value, e.node
    if isinstance(value, str):
        tf = ToolField(key, e, "string")
        tf.refs = _string_refs(ctx, e, value)
        return tf
    if isinstance(value, list) and isinstance(node, yaml.SequenceNode):
        tf = ToolField(key, e, "flow" if node.flow_style else "block")
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag != "tag:yaml.org,2002:str":
                continue  # not a string: AL502's business
            text = item.value.strip()
            if not text:
                continue  # Claude Code drops empty items
            n0, n1 = ctx.node_offsets(item)
            src = ctx.text[n0:n1]
            i = src.find(text)
            if i >= 0:
                tf.refs.append(ToolRef(text, n0 + i, n0 + i + len(text), True, item, n0, n1))
            else:  # escapes in a quoted item: point at the whole item
                tf.refs.append(ToolRef(text, n0, n1, False, item, n0, n1))
        return tf
    return ToolField(key, e, "other")


def _string_refs(ctx: FileContext, e: Entry, value: str) -> list[ToolRef]:
    spans = split_spans(value)
    src_start, src_end = e.value_start, e.value_end
    src = ctx.text[src_start:src_end]
    refs: list[ToolRef] = []
    if src == value:  # a plain one-line scalar, or a value taken literally by Claude Code's repair
        for text, a, b in spans:
            refs.append(ToolRef(text, src_start + a, src_start + b, True))
        return refs
    # Quoted, block or multi-line: find each entry in the source, in order.
    cursor = 0
    lost = False
    for text, _, _ in spans:
        i = -1 if lost else src.find(text, cursor)
        if i < 0:
            lost = True
            refs.append(ToolRef(text, src_start, max(src_end, src_start + 1), False))
            continue
        refs.append(ToolRef(text, src_start + i, src_start + i + len(text), True))
        cursor = i + len(text)
    return refs


# ---- what an entry is ------------------------------------------------------------------------------

def _extra(ctx: FileContext, text: str) -> bool:
    pats = ctx.config.extra_tools
    if not pats:
        return False
    m = _SPEC.fullmatch(text)
    names = (text, m.group(1)) if m else (text,)
    return any(fnmatch.fnmatchcase(n, p) for n in names for p in pats)


# classify() is a pure function of the text, asked for the same entries by most AL4xx rules:
# remembered for short texts (tool names), at most _KINDS_MAX of them.
_KINDS: dict[str, str] = {}
_KINDS_MAX = 8192
_KINDS_TEXT_MAX = 200


def classify(text: str) -> str:
    """``wildcard``, ``builtin``, ``alias`` (Task), ``agent-spec`` (Agent(…)/Task(…)), ``specifier``
    (a built-in tool with a specifier), ``legacy``, ``mcp`` (starts with ``mcp__``),
    ``mcp-like`` (``mcp_…``/``MCP__…``), ``malformed`` (unbalanced parentheses) or ``unknown``."""
    kind = _KINDS.get(text)
    if kind is None:
        kind = _classify(text)
        if len(text) <= _KINDS_TEXT_MAX and len(_KINDS) < _KINDS_MAX:
            _KINDS[text] = kind
    return kind


def _classify(text: str) -> str:
    """:func:`classify`, computed."""
    if text == "*":
        return "wildcard"
    if text.startswith("mcp__"):
        return "mcp"
    if text.lower().startswith("mcp_"):
        return "mcp-like"
    m = _SPEC.fullmatch(text)
    if m:
        base = m.group(1)
        if "(" in base or ")" in base or not base:
            return "malformed"
        if base in ("Agent", "Task"):
            return "agent-spec"
        if base in vocab.TOOLS:
            return "specifier"
        if base in vocab.LEGACY_TOOLS:
            return "legacy"
        return "unknown"
    if "(" in text or ")" in text:
        return "malformed"
    if text in vocab.TOOLS:
        return "builtin"
    if text in vocab.TOOL_ALIASES:
        return "alias"
    if text in vocab.LEGACY_TOOLS:
        return "legacy"
    return "unknown"


def canonical(ref: ToolRef) -> str:
    """The built-in tool an entry names (Task is Agent); MCP and unknown entries as written."""
    base = ref.base
    return vocab.TOOL_ALIASES.get(base, base)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---- fixes that remove an entry ----------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s,]*")
_FLOW_SEP = re.compile(r"\s*,\s*")


def removal(ctx: FileContext, tf: ToolField, index: int) -> Optional[Edit]:
    """An edit removing entry ``index`` with its separator, or None when that is not safe.

    Never removes the last remaining entry (an empty ``tools`` grants every tool).
    """
    refs = tf.refs
    if len(refs) < 2 or not tf.editable or not all(r.exact for r in refs):
        return None
    text = ctx.text
    if tf.kind == "string":
        if index > 0:
            a, b = refs[index - 1].end, refs[index].end
            between = text[a:refs[index].start]
        else:
            a, b = refs[0].start, refs[1].start
            between = text[refs[0].end:b]
        if not _SEPARATORS.fullmatch(between):
            return None
        return Edit(a, b, "")
    if tf.kind == "flow":
        if index > 0:
            a, b = refs[index - 1].node_end, refs[index].node_end
            between = text[a:refs[index].node_start]
        else:
            a, b = refs[0].node_start, refs[1].node_start
            between = text[refs[0].node_end:b]
        if not _FLOW_SEP.fullmatch(between) or len(refs) != len(tf.entry.node.value):  # type: ignore[union-attr]
            return None
        return Edit(a, b, "")
    if tf.kind == "block":
        r = refs[index]
        line_start = text.rfind("\n", 0, r.node_start) + 1
        nl = text.find("\n", r.node_end)
        line_end = len(text) if nl < 0 else nl
        if not re.fullmatch(r"[ \t]*-[ \t]+", text[line_start:r.node_start]) or text[r.node_end:line_end].strip():
            return None
        if nl >= 0:
            return Edit(line_start, nl + 1, "")
        return Edit(max(0, line_start - 1), line_end, "")
    return None


# ---- the rules ---------------------------------------------------------------------------------------

def _copilot_hint(text: str) -> Optional[str]:
    """How to say that ``text`` is a GitHub Copilot tool reference, or None when it is not one."""
    if text in vocab.COPILOT_TOOLS:
        equiv = vocab.COPILOT_TOOLS[text]
        tail = f"; the closest Claude Code tool is `{equiv}`" if equiv else ""
        return f"`{text}` is a GitHub Copilot tool name, not a Claude Code tool: Claude Code silently ignores it{tail}"
    if "/" not in text:
        return None
    first, _, rest = text.partition("/")
    if first in vocab.COPILOT_TOOL_SETS:
        equiv = vocab.COPILOT_TOOLS.get(rest) or vocab.COPILOT_TOOLS.get(first)
        tail = f"; the closest Claude Code tool is `{equiv}`" if equiv else ""
        return f"`{text}` is a GitHub Copilot tool reference (`set/tool`), not a Claude Code tool: Claude Code silently ignores it{tail}"
    if "." in first:
        return f"`{text}` is a VS Code extension tool (GitHub Copilot), not a Claude Code tool: Claude Code silently ignores it"
    server = re.sub(r"[^A-Za-z0-9_-]", "_", first)
    tool = "*" if rest == "*" else re.sub(r"[^A-Za-z0-9_-]", "_", rest)
    suggestion = f"mcp__{server}__{tool}" if server and tool else None
    tail = f"; in Claude Code an MCP tool is written `{suggestion}`" if suggestion else ""
    return f"`{text}` is a GitHub Copilot MCP reference (`server/tool`), not a Claude Code tool: Claude Code silently ignores it{tail}"


# Built-in tool names and aliases by their lowercase form (the last one wins, as in a dict
# display), and the names a misspelt tool may be meant as.
_TOOLS_BY_LOWER = {t.lower(): t for t in vocab.TOOLS + tuple(vocab.TOOL_ALIASES)}
_GUESSABLE_TOOLS = vocab.TOOLS + tuple(vocab.TOOL_ALIASES) + tuple(vocab.LEGACY_TOOLS)

_NO_MATCH = ("unknown", "malformed", "legacy", "mcp-like")
_KNOWN = ("wildcard", "builtin", "alias", "agent-spec", "specifier", "mcp")


class UnknownTool(Rule):
    """## What it does
    Reports an entry of `tools` or `disallowedTools` that is not a Claude Code tool: not a
    built-in tool, `Task`, `Agent(…)`, an `mcp__…` reference, nor a name configured in
    `extra-tools` (globs allowed). Suggests the tool probably meant (`Grpe` → `Grep`,
    `read` → `Read`) and recognises GitHub Copilot tool names (`codebase`, `edit/editFiles`).

    ## Why is this bad?
    Tool names are case-sensitive. Claude Code keeps an unknown name but it matches no tool, so
    the agent silently lacks the tool the author meant; when no entry of `tools` resolves at all,
    Claude Code refuses to start the agent ("would be spawned with zero tools"). An unknown name
    in `disallowedTools` denies nothing.

    ## Example
    ```yaml
    tools: read, Grpe, codebase
    ```
    Use instead:
    ```yaml
    tools: Read, Grep
    ```

    ## Options
    Top-level `extra-tools = ["CorpTool", "mcp__corp__*"]` declares further names.
    """

    code = "AL401"
    name = "unknown-tool"
    severity = Severity.WARNING
    summary = "not a Claude Code tool, an `mcp__…` pattern or `Agent(…)`"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for tf in tool_fields(ctx):
            key = tf.key
            unknown = [r for r in tf.refs if classify(r.text) in ("unknown", "malformed") and not _extra(ctx, r.text)]
            if not unknown:
                continue
            repaired_list = tf.kind == "string" and tf.entry.repaired and str(tf.entry.value).lstrip().startswith("[")
            none_resolve = key == "tools" and all(
                classify(r.text) in _NO_MATCH and not _extra(ctx, r.text) for r in tf.refs
            )
            for i, r in enumerate(unknown):
                msg = self._message(r, tf, repaired_list)
                if key == "disallowedTools":
                    msg += "; in `disallowedTools` it denies nothing"
                elif none_resolve and i == 0:
                    msg += "; no entry of `tools` names a Claude Code tool, so Claude Code refuses to start this agent"
                yield Finding(r.start, r.end, msg)

    @staticmethod
    def _message(r: ToolRef, tf: ToolField, repaired_list: bool) -> str:
        text = r.text
        shown = text if len(text) <= 80 else text[:77] + "..."
        if repaired_list and (text.startswith("[") or text.endswith("]")):
            return (
                f"`{shown}` is not a tool: this frontmatter needs Claude Code's quoting repair, which reads the "
                f"flow list `[…]` as plain text, so its first and last entries keep their brackets and match no tool"
            )
        if classify(text) == "malformed":
            return f"`{shown}` is not a tool name: its parentheses do not pair up, so Claude Code matches no tool"
        parts = split_tool_string(text)
        if tf.kind in ("flow", "block") and len(parts) > 1 and any(classify(p) in _KNOWN for p in parts):
            return (
                f"`{shown}` is one list item naming several tools: Claude Code reads a list item as a single "
                f"tool name and matches none; write each tool as its own item"
            )
        base = r.base
        same_case = _TOOLS_BY_LOWER.get(base.lower())
        if same_case:
            return f"unknown tool `{shown}`: did you mean `{same_case}`? Tool names are case-sensitive; Claude Code silently ignores this one"
        hint = _copilot_hint(base)
        if hint:
            return hint
        guess = did_you_mean(base, _GUESSABLE_TOOLS)
        if guess in vocab.LEGACY_TOOLS:
            guess = vocab.LEGACY_TOOLS[guess]
        if guess:
            return f"unknown tool `{shown}`: did you mean `{guess}`? Claude Code silently ignores it"
        msg = f"unknown tool `{shown}`: not a Claude Code tool, so Claude Code silently ignores it"
        if _IDENT.fullmatch(base):
            msg += " (MCP tools are written `mcp__<server>__<tool>`, subagents `Agent(<name>)`)"
        return msg


class LegacyTool(Rule):
    """## What it does
    Reports retired tool names (`MultiEdit`, `LS`, `NotebookRead`, `BashOutput`, `KillShell`,
    …) and names their successor.

    ## Why is this bad?
    Claude Code no longer has these tools: the name matches nothing and the agent silently lacks
    what the author meant (`Edit` covers `MultiEdit`, `Glob` covers `LS`).

    ## Example
    ```yaml
    tools: Read, MultiEdit, LS
    ```
    Use instead:
    ```yaml
    tools: Read, Edit, Glob
    ```

    ## Fix
    Unsafe: the name is replaced by its successor (the agent then gets a tool it did not get
    before), or removed with its separator when the successor is already listed or is not
    available to subagents either (`BashOutput` → `TaskOutput`); a removal never creates a
    duplicate and never empties the list. Both change the tool list Claude Code loads.
    """

    code = "AL402"
    name = "legacy-tool"
    severity = Severity.WARNING
    summary = "a retired tool name; fixable where a successor exists"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for tf in tool_fields(ctx):
            if not any(classify(r.text) == "legacy" for r in tf.refs):
                continue
            present = {canonical(r) for r in tf.refs if classify(r.text) not in ("legacy", "unknown", "malformed")}
            for i, r in enumerate(tf.refs):
                if classify(r.text) != "legacy":
                    continue
                base = r.base
                successor = vocab.LEGACY_TOOLS.get(base)
                yield self._finding(ctx, tf, i, r, base, successor, present)
                if successor:
                    present.add(successor)

    def _finding(self, ctx: FileContext, tf: ToolField, i: int, r: ToolRef, base: str, successor: Optional[str], present: set[str]) -> Finding:
        denied = tf.key == "disallowedTools"
        effect = "denies nothing" if denied else "grants nothing"
        if successor is None:
            return Finding(r.start, r.end, f"`{base}` was removed from Claude Code and has no successor: it {effect}; remove it")
        unavailable = not denied and successor in vocab.SUBAGENT_UNAVAILABLE_TOOLS
        if successor in present or unavailable:
            edit = removal(ctx, tf, i)
            fix = Fix(f"remove `{r.text}`", (edit,), safe=False) if edit else None
            if unavailable:
                why = f"its successor `{successor}` is not available to subagents either"
            else:
                why = f"its successor `{successor}` is already listed"
            return Finding(r.start, r.end, f"`{base}` is a retired tool name: it {effect}, and {why}; remove it", fix=fix)
        fix = None
        if r.exact and tf.editable:
            fix = Fix(f"replace `{base}` with `{successor}`", (Edit(r.start, r.start + len(base), successor),), safe=False)
        return Finding(r.start, r.end, f"`{base}` is a retired tool name: it {effect}; its successor is `{successor}`", fix=fix)


class ToolSpecifierIgnored(Rule):
    """## What it does
    Reports a permission-rule specifier such as `Bash(git log:*)` or `Read(/src/**)` in `tools`
    (and in `disallowedTools`), for every tool but `Agent`/`Task`.

    ## Why is this bad?
    Claude Code discards the part in parentheses: `tools: Bash(git log:*)` grants the whole
    `Bash` tool, every command included. That is a security surprise. In `disallowedTools` the
    opposite happens: `Bash(rm:*)` denies all of `Bash`. Restrict commands with permission rules
    in settings (`permissions.allow`/`deny`) or with a `PreToolUse` hook instead.

    ## Example
    ```yaml
    tools: Read, Bash(git log:*)
    ```
    Use instead: `tools: Read, Bash` plus a permission rule or hook that limits `Bash`.
    """

    code = "AL403"
    name = "tool-specifier-ignored"
    severity = Severity.WARNING
    summary = "`Bash(git log:*)` and similar in `tools`: the specifier is ignored and the whole tool is granted"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for tf in tool_fields(ctx):
            key = tf.key
            if not any(classify(r.text) == "specifier" for r in tf.refs):
                continue
            bare = {r.text for r in tf.refs}
            for r in tf.refs:
                if classify(r.text) != "specifier" or _extra(ctx, r.text):
                    continue
                base = r.base
                if key == "tools":
                    if base in bare or base in vocab.SUBAGENT_UNAVAILABLE_TOOLS:
                        continue  # the whole tool is listed anyway, or never granted (AL406)
                    yield Finding(r.start, r.end, f"`{_short(r.text)}`: Claude Code ignores the part in parentheses and grants the whole `{base}` tool; limit it with permission rules or hooks instead")
                else:
                    yield Finding(r.start, r.end, f"`{_short(r.text)}` in `disallowedTools` denies the whole `{base}` tool, not only what the parentheses name", severity=Severity.INFO)


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


class EmptyTools(Rule):
    """## What it does
    Reports a `tools` key that is present but lists nothing: `tools:`, `tools: []`, `tools: ""`.

    ## Why is this bad?
    Claude Code treats an empty `tools` as no restriction and gives the agent every tool. An
    author who writes an empty list almost always means the opposite: an agent with no tools.

    ## Example
    ```yaml
    tools: []
    ```
    Use instead: remove `tools` to grant every tool on purpose, or list the tools the agent needs
    (`tools: Read, Grep`).
    """

    code = "AL404"
    name = "empty-tools"
    severity = Severity.WARNING
    summary = "`tools` is present but empty: Claude Code grants every tool"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        e = ctx.entry("tools") if ctx.values else None
        if e is None or e.huge:
            return
        v = e.value
        if v is None:
            shown = "has no value"
        elif isinstance(v, list) and not v:
            shown = "is an empty list"
        elif isinstance(v, str) and not v.strip():
            shown = "is an empty string"
        elif isinstance(v, (str, list)) and not _items(v):
            shown = "names no tool"
        else:
            return
        yield ctx.value_finding("tools", f"`tools` {shown}: Claude Code then grants every tool, not none; remove the key to grant all tools on purpose, or list the tools")


def _items(value: "str | list") -> list[str]:
    """The entries Claude Code reads from a string or list (``load.split_tools`` before ``*``)."""
    if isinstance(value, str):
        items = split_tool_string(value)
    else:
        items = [t.strip() if isinstance(t, str) else str(t) for t in value]
    return [t for t in items if t]


class ToolsFlowList(Rule):
    """## What it does
    Reports `tools: [A, B]` (a YAML flow list) in `tools` and `disallowedTools`.

    ## Why is this bad?
    Claude Code 2.1.332 reads a flow list in full, but earlier releases dropped its first and
    last entries, and a frontmatter that needs Claude Code's quoting repair (an unquoted `: `
    in the description) still turns the list into text, with the same effect. The comma string
    of the documentation works everywhere.

    ## Example
    ```yaml
    tools: ["Read", "Grep", "Glob"]
    ```
    Use instead:
    ```yaml
    tools: Read, Grep, Glob
    ```

    ## Fix
    Safe: the list becomes a comma-separated string that Claude Code reads as the same tools
    (double-quoted when a plain string would read differently, as `"*"`). Not offered when an
    item is not a string or holds a comma, white space or unbalanced parentheses, or when the
    list holds a comment. In a frontmatter that needs the quoting repair the fix is
    unsafe: it changes the tools Claude Code loads (to those the author wrote).
    """

    code = "AL405"
    name = "tools-flow-list"
    severity = Severity.INFO
    summary = "`tools: [A, B]`: older Claude Code releases dropped the first and last entries; fixable to `A, B`"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for tf in tool_fields(ctx):
            key = tf.key
            e = tf.entry
            if tf.kind == "flow" and tf.refs:
                yield Finding(e.value_start, e.value_end, f"`{key}` is a flow list `[…]`: Claude Code releases before 2.1.332 dropped its first and last entries; write a comma-separated string", fix=self._fix(ctx, tf))
            elif tf.kind == "string" and e.repaired:
                value = str(e.value).strip()
                if value.startswith("[") and value.endswith("]") and len(value) > 2:
                    fix = self._repaired_fix(ctx, e, value)
                    yield Finding(e.value_start, e.value_end, f"`{key}` is a flow list `[…]` in a frontmatter that needs Claude Code's quoting repair: Claude Code reads it as text, so its first and last entries match no tool; write a comma-separated string", severity=Severity.WARNING, fix=fix)

    def _fix(self, ctx: FileContext, tf: ToolField) -> Optional[Fix]:
        node = tf.entry.node
        if not tf.editable or not isinstance(node, yaml.SequenceNode):
            return None
        items = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag != "tag:yaml.org,2002:str":
                return None
            items.append(item.value)
        found = _joined(items)
        if found is None or split_tools(found[0]) != split_tools(items):
            return None
        e = tf.entry
        if "#" in ctx.text[e.value_start:e.value_end]:
            return None  # a comment inside the list would be lost
        return Fix(f"write `{tf.key}` as `{_short(found[1])}`", (Edit(e.value_start, e.value_end, found[1]),))

    def _repaired_fix(self, ctx: FileContext, e: Entry, value: str) -> Optional[Fix]:
        inner = value[1:-1]
        items = [t.strip().strip("\"'") for t in inner.split(",")]
        found = _joined(items)
        if found is None or e.value_start < e.key_end:
            return None
        return Fix(f"write `{e.key}` as `{_short(found[1])}`", (Edit(e.value_start, e.value_end, found[1]),), safe=False)


_ITEM = re.compile(r"[^\s,()]+(?:\([^()]*\))?")


def _joined(items: list[str]) -> Optional[tuple[str, str]]:
    """The string ``A, B`` for the items when each is a single entry, with its YAML source: plain
    when it reads back as itself, else double-quoted (``"*"``); None when there is none."""
    if not items or any(not _ITEM.fullmatch(i.strip()) for i in items):
        return None
    joined = ", ".join(i.strip() for i in items)
    quoted = '"' + joined.replace("\\", "\\\\").replace('"', '\\"') + '"'
    for candidate in (joined, quoted):
        try:
            loaded = yaml.load(f"k: {candidate}\n", Loader=Loader)  # the safe YAML 1.2 loader
        except yaml.YAMLError:
            continue
        if isinstance(loaded, dict) and loaded.get("k") == joined:
            return joined, candidate
    return None


class ToolUnavailableToSubagents(Rule):
    """## What it does
    Reports tools in `tools` that Claude Code never gives a subagent: `AskUserQuestion`,
    `EndConversation`, `EnterPlanMode`, `ExitPlanMode` (unless `permissionMode: plan`),
    `ScheduleWakeup`, `TaskOutput`, `WaitForMcpServers`, `Workflow`.

    An agent with `initialPrompt` is meant to run as the main agent (`claude --agent`), where
    these tools exist: it is not reported.

    ## Why is this bad?
    Claude Code removes these tools from every subagent, even when listed: the prompt may rely
    on a tool the agent never has (a subagent cannot ask the user questions).

    ## Example
    ```yaml
    tools: Read, AskUserQuestion
    ```
    Use instead: `tools: Read`, and let the main conversation ask the user.
    """

    code = "AL406"
    name = "tool-unavailable-to-subagents"
    severity = Severity.WARNING
    summary = "a tool Claude Code never gives to subagents"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        tf = tool_field(ctx, "tools")
        if tf is None or ctx.values.get("initialPrompt") is not None:
            return
        plan = ctx.values.get("permissionMode") == "plan"
        for r in tf.refs:
            base = r.base
            if base not in vocab.SUBAGENT_UNAVAILABLE_TOOLS or classify(r.text) not in ("builtin", "specifier"):
                continue
            if base == "ExitPlanMode" and plan:
                continue
            extra = " unless `permissionMode: plan`" if base == "ExitPlanMode" else ""
            yield Finding(r.start, r.end, f"`{base}` is never given to a subagent{extra}: Claude Code removes it even when listed")


def _mcp_covers(denied: str, allowed: str) -> bool:
    """Does the MCP deny pattern ``denied`` remove the MCP entry ``allowed``?"""
    if denied == allowed:
        return True
    if denied == "mcp__*":
        return allowed.startswith("mcp__")
    server = denied[len("mcp__"):].removesuffix("__*")
    if "__" in server or not server:
        return False
    return allowed == f"mcp__{server}" or allowed.startswith(f"mcp__{server}__")


class ToolAllowedAndDisallowed(Rule):
    """## What it does
    Reports a tool listed in `tools` that `disallowedTools` also removes (the same name, the same
    tool with a specifier, `Task`/`Agent`, or an MCP tool under a denied server or `mcp__*`).

    ## Why is this bad?
    `disallowedTools` is applied first: the tool is removed, whatever `tools` says. One of the
    two entries is a mistake, and a reader cannot tell which was meant.

    ## Example
    ```yaml
    tools: Read, Bash
    disallowedTools: Bash
    ```
    Use instead: list `Bash` in only one of them.
    """

    code = "AL407"
    name = "tool-allowed-and-disallowed"
    severity = Severity.WARNING
    summary = "the same tool in `tools` and `disallowedTools`"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        allowed = tool_field(ctx, "tools")
        denied = tool_field(ctx, "disallowedTools")
        if allowed is None or denied is None or not allowed.refs or not denied.refs:
            return
        if any(r.text == "*" for r in allowed.refs + denied.refs):
            return  # `*` makes Claude Code drop that whole list
        for a in allowed.refs:
            if classify(a.text) == "mcp" and InvalidMcpPattern.problem(a.text, "tools"):
                continue  # malformed: AL408
            hit = self._denied_by(a, denied.refs)
            if hit is None:
                continue
            line = ctx.doc.line_col(hit.start)[0]
            same = "" if hit.text == a.text else f" by `{_short(hit.text)}`"
            yield Finding(a.start, a.end, f"`{_short(a.text)}` is also denied{same} in `disallowedTools` (line {line}): the deny wins and the agent does not get it")

    @staticmethod
    def _denied_by(a: ToolRef, denied: list[ToolRef]) -> Optional[ToolRef]:
        ka = classify(a.text)
        if ka == "wildcard":
            return None
        for d in denied:
            kd = classify(d.text)
            if ka == "mcp" or kd == "mcp":
                if ka == "mcp" and kd == "mcp" and _mcp_covers(d.text, a.text):
                    return d
                continue
            if kd == "agent-spec":
                if d.text == a.text:
                    return d
                continue
            if canonical(d) == canonical(a):
                return d
        return None


class InvalidMcpPattern(Rule):
    """## What it does
    Checks `mcp__…` entries: `mcp__<server>`, `mcp__<server>__<tool>` or `mcp__<server>__*`,
    with names of letters, digits, `_` and `-`; `mcp__*` (every MCP tool) only in
    `disallowedTools`. Also reports `mcp_server_tool` and `MCP__…`, which name no MCP tool.

    ## Why is this bad?
    Claude Code names MCP tools `mcp__<server>__<tool>`, replacing every other character with
    `_`; a malformed entry matches nothing, so the tool is silently missing (or not denied).
    `mcp__*` in `tools` does not grant every MCP tool.

    ## Example
    ```yaml
    tools: mcp__, mcp__github__, mcp__my.server__search, mcp__*
    ```
    Use instead:
    ```yaml
    tools: mcp__github__create_issue, mcp__my_server__search
    ```
    """

    code = "AL408"
    name = "invalid-mcp-pattern"
    severity = Severity.ERROR
    summary = "a malformed `mcp__` entry, or `mcp__*` in `tools`"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for tf in tool_fields(ctx):
            key = tf.key
            for r in tf.refs:
                kind = classify(r.text)
                if kind not in ("mcp", "mcp-like") or _extra(ctx, r.text):
                    continue
                problem = self.problem(r.text, key) if kind == "mcp" else (
                    f"`{_short(r.text)}` is not an MCP tool name: Claude Code names MCP tools `mcp__<server>__<tool>`, with two underscores each time"
                )
                if problem:
                    yield Finding(r.start, r.end, problem)

    @staticmethod
    def problem(text: str, key: str) -> Optional[str]:
        shown = _short(text)
        if text == "mcp__*":
            if key == "tools":
                return "`mcp__*` is only allowed in `disallowedTools`: in `tools` it grants no MCP tool; list the servers (`mcp__github`) instead"
            return None
        rest = text[len("mcp__"):]
        if not rest:
            return "`mcp__` names no server: write `mcp__<server>` or `mcp__<server>__<tool>`"
        server, sep, tool = rest.partition("__")
        if not server:
            return f"`{shown}` has an empty server name: write `mcp__<server>__<tool>`"
        if sep and not tool:
            return f"`{shown}` ends with `__`: name a tool (`mcp__{server}__<tool>`) or every tool of the server (`mcp__{server}__*`)"
        if "*" in server or (tool and "*" in tool and tool != "*"):
            return f"`{shown}`: only `mcp__<server>__*` and `mcp__*` are wildcards; a partial wildcard matches nothing"
        bad = [p for p in (server, tool) if p and p != "*" and not _MCP_PART.fullmatch(p)]
        if bad:
            fixed = "mcp__" + re.sub(r"[^A-Za-z0-9_-]", "_", server) + (("__" + (tool if tool == "*" else re.sub(r"[^A-Za-z0-9_-]", "_", tool))) if sep else "")
            return f"`{shown}` holds characters Claude Code replaces with `_` in MCP names, so it matches nothing: write `{_short(fixed)}`"
        return None


class DuplicateTool(Rule):
    """## What it does
    Reports a tool listed twice in `tools` or in `disallowedTools`.

    ## Why is this bad?
    The second entry does nothing; it is usually a merge or copy-and-paste slip, and makes the
    list harder to review.

    ## Example
    ```yaml
    tools: Read, Grep, Read
    ```
    Use instead: `tools: Read, Grep`.

    ## Fix
    Unsafe (Claude Code lists a tool as often as it is written, so the loaded list changes):
    the second occurrence is removed with its separator.
    """

    code = "AL409"
    name = "duplicate-tool"
    severity = Severity.INFO
    summary = "the same tool listed twice"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for tf in tool_fields(ctx):
            refs = tf.refs
            if len({r.text for r in refs}) == len(refs):
                continue  # no entry written twice
            key = tf.key
            first: dict[str, ToolRef] = {}
            for i, r in enumerate(tf.refs):
                seen = first.get(r.text)
                if seen is None:
                    first[r.text] = r
                    continue
                line = ctx.doc.line_col(seen.start)[0]
                edit = removal(ctx, tf, i)
                fix = Fix(f"remove the second `{_short(r.text)}`", (edit,), safe=False) if edit else None
                yield Finding(r.start, r.end, f"`{_short(r.text)}` is already listed in `{key}` (line {line})", fix=fix)
