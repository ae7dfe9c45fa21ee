"""The frontmatter as YAML: parsed strictly with positions, or repaired as Claude Code repairs it.

Strict parse: PyYAML's composer (the C one where present) gives every key and value node
with its marks; scalars are resolved with the YAML 1.2 core schema, as Claude Code's
parser does (``on``/``yes`` stay strings, dates stay strings).  Values are built from the
node graph with sharing, so an alias bomb costs what its text costs; its expanded size is
recorded so that nothing downstream walks it.

Repair (measured on Claude Code 2.1.332, see ``research/claude-code-oracle.md``): when the
strict parse fails, every line ``key: value`` (key of letters, ``_`` and ``-`` at column 0)
whose value is not already quoted and contains ``: `` or one of ``{}[]*&#!|>%@` `` is
rewritten as ``key: "value"`` with the value taken literally; then the text is parsed again.
Lines ending in ``\\r`` never match, which is why a CRLF file that needs the repair is skipped.
"""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import yaml

from .document import line_starts as _line_starts

try:  # the C loader is much faster; fall back to pure Python where libyaml is missing
    _BaseLoader = yaml.CSafeLoader  # type: ignore[attr-defined]
    _CParser: Any = yaml.cyaml.CParser
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader
    _CParser = None

# Parsing is refused beyond this estimated nesting depth: libyaml's composer recurses
# on the C stack and crashes the interpreter on ~30,000 levels.
MAX_DEPTH_ESTIMATE = 1000
# Values deeper than this are not built (nothing an agent file means is that deep).
MAX_VALUE_DEPTH = 100
# An alias structure expanding beyond this many nodes is marked, never walked.
MAX_EXPANDED_NODES = 100_000


class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A SafeLoader resolving plain scalars with the YAML 1.2 core schema."""


Loader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]:
    Loader.add_implicit_resolver(_tag, re.compile(_regexp), _first)

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_ScalarNode = yaml.ScalarNode
_SequenceNode = yaml.SequenceNode
_MappingNode = yaml.MappingNode


def _implicit_table(resolvers: dict) -> dict:
    """``yaml_implicit_resolvers`` merged with its wildcard entry, as tuples (what
    ``BaseResolver.resolve`` looks at for a plain scalar, by its first character)."""
    wildcard = list(resolvers.get(None, []))
    table = {first: tuple(list(rs) + wildcard) for first, rs in resolvers.items() if first is not None}
    table[None] = tuple(wildcard)
    return table


_IMPLICIT = _implicit_table(Loader.yaml_implicit_resolvers)
_IMPLICIT_WILDCARD = _IMPLICIT[None]


class _Composer(Loader):
    """The loader ``_compose`` uses: it only composes nodes, and libyaml's composer calls back
    into Python for every node, so those calls are made cheap.  Its ``resolve`` is
    ``BaseResolver.resolve`` without the per-call list building, for a loader without path
    resolvers (``_compose`` falls back to :class:`Loader` if one is ever added) and with the
    implicit resolvers :class:`Loader` is given above (tests/test_speed_load.py); the path
    resolver hooks do nothing, as they do without path resolvers; and the constructor's state
    is never set up, nothing being constructed."""

    if _CParser is not None:

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # (libyaml's parser and composer: all there is to set up)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Optional[str]:
        if kind is _ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], _IMPLICIT_WILDCARD):
                    if regexp.match(value):
                        return tag
            return _STR_TAG
        if kind is _SequenceNode:
            return "tag:yaml.org,2002:seq"
        if kind is _MappingNode:
            return "tag:yaml.org,2002:map"
        return None

    # libyaml's composer calls these two around every node.  Without path resolvers they do
    # nothing, so they are C functions that ignore their arguments: no Python frame each time.
    descend_resolver = staticmethod(operator.is_)  # (parent node, index) -> a bool, unused
    ascend_resolver = staticmethod(tuple)  # () -> (), unused


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, v = node.tag, node.value
    if tag == _STR_TAG:
        return v
    if tag == "tag:yaml.org,2002:bool":
        return v.lower() == "true"
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:int":
        try:
            if v.startswith("0o"):
                return int(v[2:], 8)
            if v.startswith("0x"):
                return int(v[2:], 16)
            return int(v)
        except ValueError:
            return v
    if tag == "tag:yaml.org,2002:float":
        try:
            return float(v.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf").replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
        except ValueError:
            return v
    return v


# A mapping or sequence used as a key becomes its text (a dict key must be hashable), cut to
# this many characters: nested ones (`{{{k: v}: x}: x}`) would otherwise double with every
# level as quotes are escaped, gigabytes from a hundred bytes.
MAX_KEY_TEXT = 256


def _key_text(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_KEY_TEXT else text[:MAX_KEY_TEXT] + "…"


class _Builder:
    """Turn nodes into Python values, sharing aliased nodes, bounded in depth."""

    def __init__(self, memo: Optional[dict[int, Any]] = None) -> None:
        self.memo: dict[int, Any] = {} if memo is None else memo
        self.sizes: dict[int, int] = {}
        self.too_deep = False

    def value(self, node: yaml.Node, depth: int = 0) -> Any:
        key = id(node)
        memo = self.memo
        if key in memo:
            return memo[key]
        if depth > MAX_VALUE_DEPTH:
            self.too_deep = True
            return None
        if isinstance(node, yaml.ScalarNode):
            out: Any = _scalar(node)
        else:
            # The children, with value() inlined for a scalar child within the depth bound
            # (memoized too: an alias met deeper down must find it).
            d = depth + 1
            inline = d <= MAX_VALUE_DEPTH
            if isinstance(node, yaml.SequenceNode):
                out = []
                memo[key] = out
                append = out.append
                for n in node.value:
                    nid = id(n)
                    if nid in memo:
                        append(memo[nid])
                    elif inline and type(n) is _ScalarNode:
                        v = memo[nid] = _scalar(n)
                        append(v)
                    else:
                        append(self.value(n, d))
            else:
                out = {}
                memo[key] = out
                for k, v in node.value:
                    kid = id(k)
                    if kid in memo:
                        kv = memo[kid]
                    elif inline and type(k) is _ScalarNode:
                        kv = memo[kid] = _scalar(k)
                    else:
                        kv = self.value(k, d)
                    try:
                        hash(kv)
                    except TypeError:
                        kv = _key_text(kv)
                    vid = id(v)
                    if vid in memo:
                        out[kv] = memo[vid]
                    elif inline and type(v) is _ScalarNode:
                        out[kv] = memo[vid] = _scalar(v)
                    else:
                        out[kv] = self.value(v, d)
        memo[key] = out
        return out

    def size(self, node: yaml.Node, depth: int = 0) -> int:
        """Number of nodes the value has once every alias is expanded (capped)."""
        key = id(node)
        sizes = self.sizes
        if key in sizes:
            return sizes[key]
        if depth > MAX_VALUE_DEPTH or isinstance(node, yaml.ScalarNode):
            n = 1
        else:
            # A scalar child counts 1 at any depth: no call, no memo needed.
            children = node.value if isinstance(node, yaml.SequenceNode) else [c for kv in node.value for c in kv]
            n = 1
            d = depth + 1
            for c in children:
                n += 1 if type(c) is _ScalarNode else self.size(c, d)
                if n > MAX_EXPANDED_NODES:
                    break
        n = min(n, MAX_EXPANDED_NODES + 1)
        sizes[key] = n
        return n


@dataclass
class Entry:
    """One top-level ``key: value`` of the frontmatter, with offsets into the document text."""

    key: str
    key_start: int
    key_end: int
    value: Any
    node: Optional[yaml.Node]
    value_start: int
    value_end: int
    style: Optional[str] = None  # scalar style: None plain, '"', "'", '|', '>'
    repaired: bool = False  # taken literally by Claude Code's repair
    expanded_size: int = 1

    @property
    def huge(self) -> bool:
        return self.expanded_size > MAX_EXPANDED_NODES


@dataclass
class YamlError:
    offset: int  # into the document text
    message: str


@dataclass
class Frontmatter:
    text: str
    offset: int  # where ``text`` starts in the document
    strict_error: Optional[YamlError] = None
    repaired: bool = False
    repair_error: Optional[YamlError] = None
    repaired_lines: list[int] = field(default_factory=list)  # 0-based lines of ``text``
    too_deep: bool = False
    root: Optional[yaml.Node] = None
    root_kind: str = "none"  # mapping | sequence | scalar | empty | none
    entries: list[Entry] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    # yaml_line_starts(text), made when offset_of() first needs it (the empty tuple until then:
    # no new object for the garbage collector to walk).
    _yaml_starts: Sequence[int] = field(default=(), repr=False, compare=False)

    def offset_of(self, mark: yaml.Mark) -> int:
        """Offset into the document of a YAML mark on this text, within the frontmatter.

        libyaml ends a line at LF, CR LF, a lone CR, NEL, LS and PS, and counts a mark's line and
        column that way; the lines are found here the same way (a file whose lines end in CR CR LF
        would otherwise put positions past the end of the file)."""
        if not self._yaml_starts:
            self._yaml_starts = yaml_line_starts(self.text)
        starts = self._yaml_starts
        n = len(self.text)
        if mark.line >= len(starts):
            return self.offset + n
        at = starts[mark.line] + mark.column
        return self.offset + (at if at < n else n)  # (not min(): a call costs more)

    @property
    def loads(self) -> bool:
        """Claude Code ends up with a mapping (strictly or after its repair)."""
        return self.root_kind in ("mapping", "empty")

    def entry(self, key: str) -> Optional[Entry]:
        """The entry Claude Code keeps for ``key`` (the last one written)."""
        found = None
        for e in self.entries:
            if e.key == key:
                found = e
        return found


_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def yaml_line_starts(text: str) -> list[int]:
    """Where the lines of ``text`` start as a YAML 1.1 parser (libyaml) counts them."""
    if "\r" not in text and "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        return _line_starts(text)
    return [0] + [m.end() for m in _YAML_BREAK.finditer(text)]


def estimate_depth(text: str) -> int:
    """A cheap upper bound on nesting: flow brackets, plus the longest run of spaces and
    block indicators (``-``, ``?``, ``:``) that starts a line (``- - - x`` and ``? ? x`` nest
    on one line)."""
    # The longest match of ``^[ ?:-]+`` (re.M), found without trying every position: the run at
    # the start of the text, then every run after a "\n" (the one line break re.M knows).
    first = _LEAD_START_RE.match(text)
    lead = max(first.end() if first else 0, max(map(len, _LEAD_AFTER_NL_RE.findall(text)), default=1) - 1)
    brackets = text.count("[") + text.count("{")
    if brackets + lead <= MAX_DEPTH_ESTIMATE:
        return brackets + lead
    depth = peak = 0  # the exact peak of open brackets, only for suspicious texts
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > peak:
                peak = depth
        elif ch in "]}":
            depth = max(0, depth - 1)
    return peak + lead


_LEAD_START_RE = re.compile(r"[ ?:-]+")
_LEAD_AFTER_NL_RE = re.compile(r"\n[ ?:-]+")


_REPAIR_LINE = re.compile(r"([a-zA-Z_-]+):\s+([^\n\r\u2028\u2029]+)\Z")
_SPECIAL = re.compile(r"[{}\[\]*&#!|>%@`]|: ")


def repair(text: str) -> tuple[str, dict[int, tuple[int, int]]]:
    """Claude Code's quoting repair.  Returns the new text and, for each rewritten
    0-based line, the (start, end) columns of the value in the original line."""
    out = []
    changed: dict[int, tuple[int, int]] = {}
    for i, line in enumerate(text.split("\n")):
        m = _REPAIR_LINE.match(line)
        if m:
            key, value = m.group(1), m.group(2)
            quoted = (value.startswith('"') and value.endswith('"')) or (
                value.startswith("'") and value.endswith("'")
            )
            if not quoted and _SPECIAL.search(value):
                escaped = value.replace("\\", "\\\\").replace('"', '\\"')
                out.append(f'{key}: "{escaped}"')
                changed[i] = (m.start(2), m.end(2))
                continue
        out.append(line)
    return "\n".join(out), changed


def _compose(text: str) -> Optional[yaml.Node]:
    loader = (Loader if Loader.yaml_path_resolvers else _Composer)(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _error(exc: Exception, fm: Frontmatter) -> YamlError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    context = getattr(exc, "context", None)
    msg = f"{problem} ({context})" if context else str(problem)
    if mark is not None:
        # Marks index the parsed text; repaired lines keep their line numbers.
        return YamlError(fm.offset_of(mark), msg)
    return YamlError(fm.offset, msg)


def parse(text: str, offset: int = 0, claude_repair: bool = True) -> Frontmatter:
    """Parse a frontmatter text that starts at ``offset`` of its document; with ``claude_repair``,
    apply Claude Code's repair when strict YAML fails (other tools read strictly)."""
    fm = Frontmatter(text, offset)
    # estimate_depth(text) <= len(text): the brackets it counts and the run of " ?:-" it adds
    # are distinct characters of the text (and the exact peak is at most the count).
    if len(text) > MAX_DEPTH_ESTIMATE and estimate_depth(text) > MAX_DEPTH_ESTIMATE:
        fm.too_deep = True
        fm.strict_error = YamlError(offset, f"nesting deeper than {MAX_DEPTH_ESTIMATE} levels")
        return fm
    try:
        root = _compose(text)
        changed: dict[int, tuple[int, int]] = {}
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # ValueError: bad escapes in C loader
        fm.strict_error = _error(exc, fm)
        if not claude_repair:
            fm.repair_error = fm.strict_error
            return fm
        fixed, changed = repair(text)
        fm.repaired = True
        fm.repaired_lines = sorted(changed)
        try:
            root = _compose(fixed)
        except (yaml.YAMLError, ValueError, RecursionError) as exc2:
            fm.repair_error = _error(exc2, fm)
            return fm
    _build(fm, root, changed)
    return fm


def _build(fm: Frontmatter, root: Optional[yaml.Node], changed: dict[int, tuple[int, int]]) -> None:
    fm.root = root
    if root is None:
        fm.root_kind = "empty"
        return
    if isinstance(root, yaml.MappingNode):
        fm.root_kind = "mapping"
    else:
        fm.root_kind = "sequence" if isinstance(root, yaml.SequenceNode) else "scalar"
        return
    text = fm.text
    base = fm.offset
    # Where the keys and values start and end.  libyaml's scanner counts a mark's index as its
    # line and column (one for a character, two for a CR LF, the line break that is two), so
    # ``base + mark.index`` is what offset_of() computes, without the text's line table
    # (tests/test_speed_load.py holds them to the same results on every node).  offset_of() is
    # kept where they part: a BOM that starts the text (libyaml's reader drops it uncounted),
    # a repaired text (its marks index the rewritten text: the same line, not the same column)
    # and the pure-Python parser (whose columns skip a BOM).
    by_index = _CParser is not None and not changed and not text.startswith("\ufeff")
    offset = fm.offset_of
    # The LF-ended lines that repair() numbers (only looked at when it rewrote some).
    lf_starts = _line_starts(text) if changed else None
    # The values of the nodes met, by id (an alias met again, even too deep, finds its value),
    # and the builder of mappings and sequences, made when the first one comes.
    memo: dict[int, Any] = {}
    builder: Optional[_Builder] = None
    entries = fm.entries
    values = fm.values

    for knode, vnode in root.value:
        # builder.value() inlined for a scalar.
        nid = id(knode)
        if nid in memo:
            key = memo[nid]
        elif type(knode) is _ScalarNode:
            key = memo[nid] = knode.value if knode.tag == _STR_TAG else _scalar(knode)
        else:
            if builder is None:
                builder = _Builder(memo)
            key = builder.value(knode)
        if not isinstance(key, str):
            key = str(key)
        if by_index:
            k_start, k_end = base + knode.start_mark.index, base + knode.end_mark.index
            v_start, v_end = base + vnode.start_mark.index, base + vnode.end_mark.index
        else:
            k_start, k_end = offset(knode.start_mark), offset(knode.end_mark)
            v_start, v_end = offset(vnode.start_mark), offset(vnode.end_mark)
        repaired = False
        if lf_starts is not None:
            vline = bisect.bisect_right(lf_starts, v_start - base) - 1
            if vline in changed and vline == bisect.bisect_right(lf_starts, k_start - base) - 1:
                c0, c1 = changed[vline]
                v_start = base + lf_starts[vline] + c0
                v_end = base + lf_starts[vline] + c1
                repaired = True
        tag = vnode.tag
        if type(vnode) is _ScalarNode:
            # builder.value() and builder.size() inlined (a scalar's size is 1)
            nid = id(vnode)
            if nid in memo:
                value = memo[nid]
            else:
                value = memo[nid] = vnode.value if tag == _STR_TAG else _scalar(vnode)
            if tag == _NULL_TAG and not vnode.value:
                v_end = v_start  # empty value: point at where it would be
            style = None if repaired else vnode.style
            expanded = 1
        else:
            if isinstance(vnode, _ScalarNode) and tag == _NULL_TAG and not vnode.value:
                v_end = v_start
            style = None if repaired else getattr(vnode, "style", None)
            if builder is None:
                builder = _Builder(memo)
            value = builder.value(vnode)
            expanded = builder.size(vnode)
        entries.append(Entry(key, k_start, k_end, value, vnode, v_start, v_end, style, repaired, expanded))
        values[key] = value
    fm.too_deep = builder is not None and builder.too_deep
