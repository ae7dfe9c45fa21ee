"""The fast paths of the load layer against the straightforward implementations they replaced,
kept here as the reference.

* ``yamlsrc._Composer`` (cheap callbacks for libyaml's composer, C functions for the path
  resolver hooks) against ``yamlsrc.Loader``;
* ``yamlsrc._build`` (offsets from the marks' indexes, scalar values built without a call, the
  builder made only for a mapping or sequence) and ``_Builder`` against the original node walk
  and the original ``Frontmatter.offset_of``; the claim the indexes rest on (a libyaml mark's
  index is the offset its line and column give) on every node of texts rich in line breaks;
  ``Frontmatter.offset_of`` (without ``min()``) against the original;
* ``yamlsrc.estimate_depth`` (no ``^`` search at every position) and the length shortcut in
  ``parse`` against the original regex;
* ``load.split_tool_string`` without parentheses (``str.split``) against the character loop;
  ``load.resolve_tools`` (no filtering of what cannot be empty, no copy without denied tools)
  against the original;
* ``document.decode`` (NUL searched in the bytes), ``document.read_bytes`` (sized reads, no
  second read after the whole file) and ``document.from_bytes`` (one constructor call) against
  the originals;
* ``LoadedAgent.body``: the document's body, sliced on first use.

The default run is short; a longer one:

    AGENTLINT_FUZZ_EXAMPLES=5000 python3 -m pytest tests/test_speed_load.py -q
"""

from __future__ import annotations

import bisect
import itertools
import math
import os
import pickle
import re
import sys
from typing import Any, Optional

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from agentlint import document, load, yamlsrc
from agentlint.document import from_bytes
from agentlint.load import LoadedAgent, analyse, split_tool_string

from fuzzing import fuzz



# ---- the reference implementations (as they were before the fast paths) --------------------------


def _ref_split_tool_string(value: str) -> list[str]:
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in value:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and (ch == "," or ch.isspace()):
            if current:
                items.append("".join(current))
                current = []
            continue
        current.append(ch)
    if current:
        items.append("".join(current))
    return items


_REF_LEAD_RE = re.compile(r"^[ ?:-]+", re.M)


def _ref_estimate_depth(text: str) -> int:
    lead = max(map(len, _REF_LEAD_RE.findall(text)), default=0)
    brackets = text.count("[") + text.count("{")
    if brackets + lead <= yamlsrc.MAX_DEPTH_ESTIMATE:
        return brackets + lead
    depth = peak = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > peak:
                peak = depth
        elif ch in "]}":
            depth = max(0, depth - 1)
    return peak + lead


class _RefBuilder:
    def __init__(self) -> None:
        self.memo: dict[int, Any] = {}
        self.sizes: dict[int, int] = {}
        self.too_deep = False

    def value(self, node: yaml.Node, depth: int = 0) -> Any:
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        if depth > yamlsrc.MAX_VALUE_DEPTH:
            self.too_deep = True
            return None
        if isinstance(node, yaml.ScalarNode):
            out: Any = yamlsrc._scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            out = []
            self.memo[key] = out
            out.extend(self.value(n, depth + 1) for n in node.value)
        else:
            out = {}
            self.memo[key] = out
            for k, v in node.value:
                kv = self.value(k, depth + 1)
                try:
                    hash(kv)
                except TypeError:
                    kv = repr(kv)
                out[kv] = self.value(v, depth + 1)
        self.memo[key] = out
        return out

    def size(self, node: yaml.Node, depth: int = 0) -> int:
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        if depth > yamlsrc.MAX_VALUE_DEPTH or isinstance(node, yaml.ScalarNode):
            n = 1
        else:
            children = node.value if isinstance(node, yaml.SequenceNode) else [c for kv in node.value for c in kv]
            n = 1
            for c in children:
                n += self.size(c, depth + 1)
                if n > yamlsrc.MAX_EXPANDED_NODES:
                    break
        n = min(n, yamlsrc.MAX_EXPANDED_NODES + 1)
        self.sizes[key] = n
        return n


def _ref_offset_of(fm: yamlsrc.Frontmatter, mark: Any, starts: Optional[list[int]] = None) -> int:
    if starts is None:
        starts = yamlsrc.yaml_line_starts(fm.text)
    if mark.line >= len(starts):
        return fm.offset + len(fm.text)
    return fm.offset + min(starts[mark.line] + mark.column, len(fm.text))


def _ref_build(fm: yamlsrc.Frontmatter, root: Optional[yaml.Node], changed: dict[int, tuple[int, int]]) -> None:
    fm.root = root
    if root is None:
        fm.root_kind = "empty"
        return
    if isinstance(root, yaml.MappingNode):
        fm.root_kind = "mapping"
    else:
        fm.root_kind = "sequence" if isinstance(root, yaml.SequenceNode) else "scalar"
        return
    line_starts = document.line_starts(fm.text)
    builder = _RefBuilder()
    starts = yamlsrc.yaml_line_starts(fm.text)

    def off(mark: Any) -> int:
        return _ref_offset_of(fm, mark, starts)

    def lf_line(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset - fm.offset) - 1

    for knode, vnode in root.value:
        key = builder.value(knode)
        if not isinstance(key, str):
            key = str(key)
        k_start, k_end = off(knode.start_mark), off(knode.end_mark)
        v_start, v_end = off(vnode.start_mark), off(vnode.end_mark)
        vline = lf_line(v_start)
        repaired = False
        if vline in changed and vline == lf_line(k_start):
            c0, c1 = changed[vline]
            v_start = fm.offset + line_starts[vline] + c0
            v_end = fm.offset + line_starts[vline] + c1
            repaired = True
        if isinstance(vnode, yaml.ScalarNode) and vnode.tag == "tag:yaml.org,2002:null" and not vnode.value:
            v_end = v_start
        fm.entries.append(
            yamlsrc.Entry(
                key=key,
                key_start=k_start,
                key_end=k_end,
                value=builder.value(vnode),
                node=vnode,
                value_start=v_start,
                value_end=v_end,
                style=getattr(vnode, "style", None) if not repaired else None,
                repaired=repaired,
                expanded_size=builder.size(vnode),
            )
        )
        fm.values[key] = fm.entries[-1].value
    fm.too_deep = builder.too_deep


def _ref_compose(text: str) -> Optional[yaml.Node]:
    loader = yamlsrc.Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _ref_split_tools(value: Any) -> Optional[list[str]]:
    if isinstance(value, str):
        items = _ref_split_tool_string(value)
    elif isinstance(value, list):
        items = [t.strip() if isinstance(t, str) else str(t) for t in value]
    else:
        return None
    items = [t for t in items if t]
    if not items or "*" in items:
        return None
    return items


def _ref_resolve_tools(fields: dict[str, Any]) -> tuple[Optional[list[str]], list[str]]:
    allowed = _ref_split_tools(fields.get("tools"))
    denied = _ref_split_tools(fields.get("disallowedTools")) or []
    if allowed is not None:
        if fields.get("memory") in ("user", "project", "local"):
            for extra in ("Write", "Edit"):
                if extra not in allowed:
                    allowed.append(extra)
        allowed = [t for t in allowed if t not in denied]
        return allowed, denied
    return None, denied


def _ref_from_bytes(path: str, raw: bytes, size: Optional[int] = None) -> document.Document:
    from agentlint import formats

    doc = document.Document(path=path, raw=raw, size=len(raw) if size is None else size, format=formats.detect(path))
    if doc.size > document.MAX_AGENT_BYTES:
        doc.too_large = True
    doc.text, doc.bom, doc.decode_error = document.decode(raw)
    if doc.too_large:
        return doc
    document.split(doc)
    return doc


def _ref_decode(raw: bytes) -> tuple[str, bool, Optional[tuple[int, str]]]:
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    error: Optional[tuple[int, str]] = None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", errors="replace")
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        reason = "UTF-16 text" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else f"byte 0x{raw[exc.start]:02x} is not UTF-8"
        error = (len(prefix), reason)
    if error is None:
        nul = text.find("\x00")
        if nul >= 0:
            error = (nul, "a NUL byte: binary data")
    return text, bom, error


def _ref_read_bytes(path: str, limit: int) -> tuple[bytes, int]:
    fd = os.open(path, os.O_RDONLY)
    try:
        st_ = os.fstat(fd)
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data, max(st_.st_size, len(data))
    finally:
        os.close(fd)


# ---- comparing -------------------------------------------------------------------------------------


def _same(a: Any, b: Any, seen: dict) -> bool:
    """Deep equality that tells 1/True/1.0 apart, takes NaN as NaN and ends on shared and
    recursive structures."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, (list, dict)):
        pair = (id(a), id(b))
        if pair in seen:
            return True
        seen[pair] = True
        if len(a) != len(b):
            return False
        if isinstance(a, list):
            return all(_same(x, y, seen) for x, y in zip(a, b))
        return all(_same(x, y, seen) and _same(a[x], b[y], seen) for x, y in zip(a, b))
    return a == b


def _mark(m: Any) -> Any:
    return None if m is None else (m.line, m.column, m.index)


def _same_node(a: Any, b: Any, seen: set) -> bool:
    if a is None or b is None:
        return a is b
    if type(a) is not type(b):
        return False
    if (id(a), id(b)) in seen:
        return True
    seen.add((id(a), id(b)))
    head_a = (a.tag, _mark(a.start_mark), _mark(a.end_mark), getattr(a, "style", None), getattr(a, "flow_style", None))
    head_b = (b.tag, _mark(b.start_mark), _mark(b.end_mark), getattr(b, "style", None), getattr(b, "flow_style", None))
    if head_a != head_b:
        return False
    if isinstance(a, yaml.ScalarNode):
        return a.value == b.value
    if len(a.value) != len(b.value):
        return False
    if isinstance(a, yaml.SequenceNode):
        return all(_same_node(x, y, seen) for x, y in zip(a.value, b.value))
    return all(_same_node(x[0], y[0], seen) and _same_node(x[1], y[1], seen) for x, y in zip(a.value, b.value))


def _entry_fields(e: yamlsrc.Entry) -> tuple:
    return (e.key, e.key_start, e.key_end, e.value_start, e.value_end, e.style, e.repaired, e.expanded_size, e.node)


def _assert_same_build(text: str, offset: int, root: Optional[yaml.Node], changed: dict[int, tuple[int, int]]) -> None:
    fast = yamlsrc.Frontmatter(text=text, offset=offset)
    ref = yamlsrc.Frontmatter(text=text, offset=offset)
    yamlsrc._build(fast, root, changed)
    _ref_build(ref, root, changed)
    assert (fast.root_kind, fast.too_deep, fast.root) == (ref.root_kind, ref.too_deep, ref.root)
    assert [_entry_fields(e) for e in fast.entries] == [_entry_fields(e) for e in ref.entries]
    for e, f in zip(fast.entries, ref.entries):
        assert _same(e.value, f.value, {}), (e.value, f.value)
    assert _same(fast.values, ref.values, {})
    assert fast._yaml_starts in ((), yamlsrc.yaml_line_starts(text))


def _check_text(text: str, offset: int = 0) -> None:
    """Both composers, then both builds on each tree (and on the repaired text's tree)."""
    try:
        ref_root = _ref_compose(text)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        with pytest.raises(type(exc)) as info:
            yamlsrc._compose(text)
        assert str(info.value) == str(exc)
        fixed, changed = yamlsrc.repair(text)
        try:
            root = yamlsrc._compose(fixed)
        except (yaml.YAMLError, ValueError, RecursionError):
            return
        assert _same_node(root, _ref_compose(fixed), set())
        _assert_same_build(text, offset, root, changed)
        return
    root = yamlsrc._compose(text)
    assert _same_node(root, ref_root, set())
    _assert_same_build(text, offset, root, {})


# ---- YAML to try -----------------------------------------------------------------------------------

_SCALARS = [
    "a", "b c", "1", "-2", "+3", "0x1F", "0o17", "0b1", "1.5", "-.5", "1e3", "1_000", ".inf", "-.Inf", ".NAN",
    "true", "False", "TRUE", "yes", "on", "null", "Null", "~", "", "'q'", '"d\\n"', '"\\x41"', "2024-01-01",
    "é", "😀", "Bash(x:*)", "Read, Grep", "x: y", "{a}", "[b]", "!!str 1", "!!int 2", "!!float 3", "!custom z",
    "&a s", "*a", "&b [1, 2]", "*b", "&c {k: v}", "*c",
]
_KEYS = ["name", "description", "tools", "a", "1", "true", "null", "~", "&k key", "*k", "? [x, y]", "? {p: q}", '"q"', "x y"]
_scalar = st.sampled_from(_SCALARS)


def _flow(depth: int) -> st.SearchStrategy[str]:
    if depth <= 0:
        return _scalar
    inner = _flow(depth - 1)
    return st.one_of(
        _scalar,
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(_scalar, inner), max_size=4).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
    )


_block_value = st.one_of(
    _flow(2),
    st.lists(_flow(1), min_size=1, max_size=3).map(lambda xs: "".join(f"\n  - {x}" for x in xs)),
    st.lists(st.tuples(st.sampled_from(_KEYS), _flow(1)), min_size=1, max_size=3).map(
        lambda kv: "".join(f"\n  {k}: {v}" for k, v in kv)
    ),
    st.sampled_from(["|\n  lit\n  text\n", ">-\n  folded\n  more", "&v [1, 2]", "*v", "&w hello", "*w", "Use it: now", "`x` #y"]),
)
_mapping = st.builds(
    lambda entries, nl: nl.join(f"{k}: {v}".replace("\n", nl) for k, v in entries) + nl,
    st.lists(st.tuples(st.sampled_from(_KEYS), _block_value), max_size=8),
    st.sampled_from(["\n", "\r\n", "\r", "\x85", "\u2028", "\n\n", "\r\r\n"]),
)
_soup = st.lists(
    st.sampled_from(
        ["a", "b: ", ": ", ":", "- ", "? ", " ", "\n", "\r\n", "\r", "\x85", "\u2028", "[", "]", "{", "}", ",", "&x ",
         "*x", "!!str ", '"', "'", "|", ">", "#", "1", ".inf", "null", "true", "\t", "é", "\\", "name: ", "%", "@", "`",
         "---", "...", "\ufeff"]
    ),
    max_size=60,
).map("".join)


# ---- the tests -------------------------------------------------------------------------------------


@fuzz
@given(st.one_of(_mapping, _soup), st.integers(0, 9))
@example("a: &x foo\nb: " + "[" * 101 + "*x" + "]" * 101 + "\n", 0)  # a shallow scalar met again too deep
@example("a: &x [1, &y 2]\nb: " + "[" * 100 + "*y, *x" + "]" * 100 + "\nc: *x\n", 4)
@example("&k a: 1\nb: {{*k : v}: w}\n*k : 2\n", 0)
@example("a: &s [1]\nb: &t [*s, *s, *s]\nc: [*t, *t, *t, *t]\n", 0)
@example("name: rev\r\ndescription: Use it: now\r\n", 0)
@example("name: rev\ndescription: Use it: now\ntools: [a, b]\n", 4)
@example("a:\nb: ~\nc: !!null ''\nd: 1\n", 0)
@example("x: 1\n\x85y: 2\u2028z: [3,\r\r\n 4]\n", 0)
def test_composer_and_build_match_the_reference(text, offset):
    _check_text(text, offset)


@pytest.mark.parametrize("depth", [98, 99, 100, 101, 102, 150])
def test_aliases_around_the_value_depth_bound(depth):
    _check_text("a: &x foo\nb: " + "[" * depth + "*x" + "]" * depth + "\n")
    _check_text("a: &x [1, &y 2]\nb: " + "[" * depth + "*y, *x" + "]" * depth + "\nc: *x\n")
    _check_text("a: &x {k: &y v}\nb: " + "{z: " * depth + "[*y, *x]" + "}" * depth + "\n")
    _check_text("&k a: 1\nb: " + "[" * depth + "*k" + "]" * depth + "\n")  # a key met again deep down
    _check_text("a: &x 1.5\nb: " + "{z: " * depth + "{*x : v}" + "}" * depth + "\n")
    _check_text("b: {&k z: " + "[" * depth + "*k" + "]" * depth + "}\n")  # a nested key met again
    _check_text("b: [&s z, " + "[" * depth + "*s" + "]" * depth + "]\n")


def test_alias_bomb_sizes_match_the_reference():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    _check_text("\n".join(lines) + "\n")


def test_composer_resolves_as_the_loader():
    loader = yamlsrc.Loader("")
    fast = yamlsrc._Composer("")
    values = _SCALARS + ["", "0", "-", "+", ".", "0x", "0o", "1.", "+.5e-3", ".nan", "NULL", "nUll", "tRue", "true\n"]
    values += [chr(c) + tail for c in range(0x20, 0x250) for tail in ("", "1", "rue", "ull")]
    for value in values:
        for implicit in ((True, False), (False, True), (False, False), (True, True)):
            expected = loader.resolve(yaml.ScalarNode, value, implicit)
            assert fast.resolve(yaml.ScalarNode, value, implicit) == expected, (value, implicit)
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        for implicit in (True, False):
            assert fast.resolve(kind, None, implicit) == loader.resolve(kind, None, implicit)
    # What _Composer relies on: no path resolvers, and the implicit table built from Loader's.
    assert not yamlsrc.Loader.yaml_path_resolvers
    assert yamlsrc._IMPLICIT == yamlsrc._implicit_table(yamlsrc.Loader.yaml_implicit_resolvers)


@fuzz
@given(st.text(max_size=40))
def test_composer_resolves_any_text_as_the_loader(value):
    loader, fast = yamlsrc.Loader(""), yamlsrc._Composer("")
    for implicit in ((True, False), (False, True)):
        assert fast.resolve(yaml.ScalarNode, value, implicit) == loader.resolve(yaml.ScalarNode, value, implicit)


@fuzz
@given(st.text(alphabet=" ?:-[]{}\n\r\t\u2028ab", max_size=400))
def test_estimate_depth_matches_the_reference(text):
    assert yamlsrc.estimate_depth(text) == _ref_estimate_depth(text)
    # parse() skips the estimate for a text no longer than the bound: it cannot exceed the length.
    assert yamlsrc.estimate_depth(text) <= len(text)


@pytest.mark.parametrize("opener", ["[", "{", "- ", "? ", ": ", "\n- ", "\n  - "])
def test_estimate_depth_matches_the_reference_on_deep_texts(opener):
    for n in (0, 1, 499, 1000, 1001, 3000):
        text = "x: " + opener * n + "v"
        assert yamlsrc.estimate_depth(text) == _ref_estimate_depth(text)
        assert yamlsrc.parse(text).too_deep == (_ref_estimate_depth(text) > yamlsrc.MAX_DEPTH_ESTIMATE)


@fuzz
@given(st.text(alphabet=st.sampled_from(list("ab(),*: \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u3000\u200bé")), max_size=80))
@example("Read, Grep Bash(git log:*)")
@example("a(b, c) d) e(")
@example(" ,\u3000x\x1cy\x85 ")
def test_split_tool_string_matches_the_reference(value):
    assert split_tool_string(value) == _ref_split_tool_string(value)


def test_str_split_and_isspace_agree_on_every_character():
    # The parenthesis-free fast path of split_tool_string rests on this: str.split() drops
    # exactly the characters str.isspace() calls white space.
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert "".join(every.split()) == "".join(itertools.filterfalse(str.isspace, every))


_BYTES = st.lists(
    st.sampled_from([b"a", b"\x00", b"\xef\xbb\xbf", b"\xc3\xa9", b"\xf0\x9f\x98\x80", b"\xff", b"\xc3", b"\xfe\xff", b"\n", b"---"]),
    max_size=30,
).map(b"".join)


@fuzz
@given(_BYTES)
def test_decode_matches_the_reference(raw):
    assert document.decode(raw) == _ref_decode(raw)


@pytest.mark.parametrize(
    "size", [0, 1, 4095, 65535, 65536, 65537, document.MAX_AGENT_BYTES - 1, document.MAX_AGENT_BYTES, document.MAX_AGENT_BYTES + 1, 3 << 20]
)
def test_read_bytes_matches_the_reference(tmp_path, size):
    path = tmp_path / "agent.md"
    path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    for limit in (document.MAX_AGENT_BYTES, 10, 70000):
        assert document.read_bytes(str(path), limit) == _ref_read_bytes(str(path), limit)


def test_read_bytes_reads_a_file_that_reports_no_size():
    path = "/proc/self/status"
    if not os.path.isfile(path):
        pytest.skip("no /proc")
    data, size = document.read_bytes(path)
    assert data.startswith(b"Name:") and size == len(data)


def test_agent_body_is_the_document_body_until_set():
    raw = b"---\nname: a\ndescription: b\n---\nBody\n"
    agent = analyse(from_bytes("a.md", raw))
    assert "_body" not in agent.__dict__ or agent.__dict__["_body"] is None  # not sliced yet
    assert agent.body == "Body\n" == agent.doc.body
    assert repr(agent).endswith("body='Body\\n', fields={'name': 'a', 'description': 'b'})")
    copy = pickle.loads(pickle.dumps(agent))
    assert copy.body == "Body\n"
    agent.body = ""
    assert agent.body == "" and pickle.loads(pickle.dumps(agent)).body == ""
    assert LoadedAgent(path="x", doc=from_bytes("x.md", b"no fence\n"), fm=None).body == "no fence\n"
    assert LoadedAgent(path="x", doc=from_bytes("x.md", b"x"), fm=None, body="given").body == "given"
    unread = analyse(from_bytes("gone.md", b""))
    assert unread.body == ""
    assert load.LoadedAgent.__dataclass_fields__["body"].compare  # still compared and shown


def test_corpus_frontmatters_match_the_reference(corpus):
    from agentlint.files import expand

    for path in expand([str(corpus)])[0]:
        doc = document.read_document(path)
        if doc.closed and not doc.too_large:
            _check_text(doc.frontmatter or "", doc.fm_start)


# ---- offsets from the marks' indexes, and the other replaced paths ---------------------------------

_BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029", "\r\r\n", "\n\r"]
# {b}: a line break of any kind.  Values that run over lines in every scalar style, in flow and
# block collections, with a BOM, tabs, astral and accented characters and comments about them.
_LINES = [
    "k{i}: plain{b}  continued{b}",
    "k{i}: 'single{b}  quoted'{b}",
    'k{i}: "double{b}  quoted \\{b}  escaped \\u00e9"{b}',
    "k{i}: |{b}  lit{b}{b}  eral{b}",
    "k{i}: >-{b}  fold{b}{b}  ed{b}",
    "k{i}: [a,{b} b, {{c: d}}]{b}",
    "k{i}:{b}  - x{b}  - 'y{b}   z'{b}",
    "k{i}:{b}  n: 1{b}  m: [2]{b}",
    "\ufeffk{i}: bom{b}",
    "k{i}: x\ufeffy{b}",
    "k{i}: 😀 é{b}",
    "# comment 😀{b}",
    "k{i}: \t tab\t{b}",
    "? k{i}{b}: v{b}",
    "k{i}:{b}",
    "k{i}: v",
]


@st.composite
def _broken_yaml(draw: Any) -> str:
    out = []
    for i in range(draw(st.integers(1, 6))):
        parts = draw(st.sampled_from(_LINES)).split("{b}")
        line = parts[0]
        for part in parts[1:]:
            line += draw(st.sampled_from(_BREAKS)) + part
        out.append(line.replace("{i}", str(i)).replace("{{", "{").replace("}}", "}"))
    return "".join(out)


def _nodes(root: Any) -> list:
    out, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        out.append(node)
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(c for kv in node.value for c in kv)
    return out


@fuzz
@given(st.one_of(_broken_yaml(), _mapping, _soup), st.integers(0, 9))
@example("a: 'x\r\n y'\r\nb: \"p\\\r\n q\"\r\n", 3)
@example("\ufeffa: b\n\ufeffc: d\ufeff\n", 0)
@example("a: |\r\r\n  x\x85  y\u2028b: c", 1)
@example("a: b", 0)
@example("a: " + "é" * 20000 + "\r\nb: [" + "😀, \u2028" * 6000 + "]\r\nc: 'x\r\n" + "\ufeffy" * 9000 + "'\n", 7)  # past libyaml's buffers
def test_mark_index_is_the_offset_of_line_and_column(text, offset):
    # What _build's offsets rest on, for every node (not only the entries', to be sure of the
    # claim).  The index is libyaml's; _build uses offset_of() where they part: a BOM that starts
    # the text (checked here too), and the pure-Python parser (whose columns skip a BOM).
    if yamlsrc._CParser is None:
        pytest.skip("libyaml is not there")
    for text in (text, "\ufeff" + text):
        try:
            root = yamlsrc._compose(text)
        except (yaml.YAMLError, ValueError, RecursionError):
            continue
        fm = yamlsrc.Frontmatter(text, offset)
        lead = text.startswith("\ufeff")
        starts = yamlsrc.yaml_line_starts(text)
        for node in _nodes(root):
            for mark in (node.start_mark, node.end_mark):
                ref = _ref_offset_of(fm, mark, starts)
                assert fm.offset_of(mark) == ref
                if not lead:
                    assert fm.offset + mark.index == ref, (node, mark)
        _check_text(text, offset)


@fuzz
@given(_broken_yaml(), st.integers(0, 9), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 300)), max_size=20))
def test_offset_of_matches_the_reference(text, offset, places):
    fm = yamlsrc.Frontmatter(text, offset)
    for line, column in places:
        mark = yaml.Mark("x", 0, line, column, None, None)
        assert fm.offset_of(mark) == _ref_offset_of(fm, mark)


_TOOLS = st.one_of(
    st.none(),
    st.integers(),
    st.text(alphabet=st.sampled_from(list("ab(),* \t\u3000")), max_size=20),
    st.lists(st.one_of(st.text(alphabet=st.sampled_from(list("ab* ,\t")), max_size=4), st.integers(), st.none(), st.booleans()), max_size=5),
)


@fuzz
@given(_TOOLS, _TOOLS, st.sampled_from([None, "user", "project", "local", "none", 1]))
@example("Read, Write", "Write", "user")
@example(["Read", " ", ""], None, None)
@example("Bash(a, b) Read", ["Read"], "project")
def test_resolve_tools_matches_the_reference(tools, denied, memory):
    fields: dict[str, Any] = {"tools": tools, "disallowedTools": denied, "memory": memory}
    got = load.resolve_tools(fields)
    assert got == _ref_resolve_tools(fields)
    assert got[0] is None or (got[0] is not tools and got[0] is not got[1])  # a list of its own


_DOC_BYTES = st.lists(
    st.sampled_from([b"---", b"--- ", b"\n", b"\r\n", b" ", b"\t", b"\x0c", b"name: x", b"a", b"\xef\xbb\xbf", b"\xff", b"\x00", b"\xc2\x85", b"\xe2\x80\xa8"]),
    max_size=25,
).map(b"".join)


@fuzz
@given(
    st.sampled_from(["a.md", "/p/.github/agents/a.md", "x.agent.md", "/p/.opencode/agent/a.md", "/p/.gemini/agents/b.md", "/p/.cursor/agents/c.md", "/p/.claude/agents/d.md"]),
    _DOC_BYTES,
    st.one_of(st.none(), st.sampled_from([0, 5, document.MAX_AGENT_BYTES, document.MAX_AGENT_BYTES + 1, 1 << 30])),
)
def test_from_bytes_matches_the_reference(path, raw, size):
    assert document.from_bytes(path, raw, size) == _ref_from_bytes(path, raw, size)
