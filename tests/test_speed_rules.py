"""The fast paths of the per-file rules give what the general paths give.

Each fast path (a regex instead of a character loop, a cache, a shortcut that skips work when
nothing can be found) is compared here with the code it stands for, on generated input that
aims at the edges (backslash runs, Unicode white space, offsets outside the text, case).
"""

from __future__ import annotations

import pickle
import random
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint import schema_check
from agentlint.config import Config
from agentlint.diagnostics import Severity, Span
from agentlint.document import from_bytes
from agentlint.engine import lint_text
from agentlint.formats import detect
from agentlint.load import analyse
from agentlint.rules import description, file, name, tools
from agentlint.rules.base import FileContext, Finding, Rule
from agentlint.vocab import BUILTIN_AGENTS, TRIGGER_PATTERNS

FAST = settings(max_examples=400, deadline=None)


def _ctx(text: str, path: str = "agent.md") -> FileContext:
    return FileContext(analyse(from_bytes(path, text.encode("utf-8", "surrogatepass"))), Config(), path)


# ---- reference implementations (the code the fast paths replaced) ---------------------------


def _ref_backslash_n_in_double_quoted(src: str):
    i = 1 if src.startswith('"') else 0
    while i < len(src) - 1:
        if src[i] == "\\":
            if src[i + 1] == "\\" and i + 2 < len(src) and src[i + 2] == "n":
                return i
            i += 2
            continue
        i += 1
    return None


def _ref_double_quoted_candidate(src: str) -> str:
    out = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch == "\\" and i + 1 < len(src):
            if src[i + 1] == "\\" and i + 2 < len(src) and src[i + 2] == "n":
                out.append("\\n")
                i += 3
                continue
            out.append(src[i : i + 2])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _ref_mostly_ascii_letters(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return not letters or sum(c.isascii() for c in letters) * 2 >= len(letters)


_TRIGGER_RE = re.compile("|".join(f"(?:{p})" for p in TRIGGER_PATTERNS), re.I)


# ---- AL205: escapes in double-quoted source --------------------------------------------------

def _joined(pieces: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


_ESCAPES = _joined(['\\', 'n', '"', 'x', '\n', '\\\\n', '\\\\', '\\n', 'é'], 40)


@FAST
@given(_ESCAPES)
def test_backslash_n_scans_escapes_as_the_loop_did(src):
    assert description._backslash_n_in_double_quoted(src) == _ref_backslash_n_in_double_quoted(src)


@FAST
@given(_ESCAPES)
def test_double_quoted_candidate_rewrites_as_the_loop_did(src):
    assert description._double_quoted_candidate(src) == _ref_double_quoted_candidate(src)


def test_backslash_runs_of_every_length():
    for run in range(12):
        for before in ("", "x", '"', "\\n"):
            for after in ("n", "nn", "x", "", "\\"):
                src = before + "\\" * run + after
                assert description._backslash_n_in_double_quoted(src) == _ref_backslash_n_in_double_quoted(src), src
                assert description._double_quoted_candidate(src) == _ref_double_quoted_candidate(src), src


# ---- AL204: the trigger phrases -------------------------------------------------------------

_WORDS = [
    "use", "Use", "USED", "uses", "this", "when", "WHENEVER", "Whenever", "proactive", "proactively", "must", "be",
    "invoked", "invoking", "trigger", "triggers", "activate", "for", "call", "called", "me", "delegate",
    "delegation", "spawned", "by", "ideal", "best", "to", "if", "you", "the", "user", "users", "example",
    "Examples", "<example>", "<EXAMPLE", ":", "agent", "subagent", "using", "reviews", "code", "ſ", "K", "İ",
    "ı", "é", "日本", "_", "-", "1", "can", "may", "should", "meant", "Designed",
]
_SEPS = [" ", "  ", "\n", "\t", "", ".", ",", "_", "-", "\u00a0", "\u2028", ":", "'"]


@st.composite
def _prose(draw):
    n = draw(st.integers(0, 12))
    return "".join(draw(st.sampled_from(_WORDS)) + draw(st.sampled_from(_SEPS)) for _ in range(n))


@settings(max_examples=500, deadline=None)
@given(_prose())
def test_trigger_search_matches_the_original_pattern(text):
    assert description._has_trigger(text) == bool(_TRIGGER_RE.search(text))
    assert bool(description._TRIGGER_SEARCH(text)) == bool(_TRIGGER_RE.search(text))


def test_trigger_search_on_random_ascii():
    # ASCII text takes the lowercase path (no IGNORECASE): upper case in every position.
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + " \n\t.,:_-<>'"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        if rng.random() < 0.5:
            text += rng.choice(_WORDS) + rng.choice(_SEPS) + rng.choice(_WORDS)
        if rng.random() < 0.3:
            text = "".join(c.upper() if rng.random() < 0.5 else c for c in text)
        assert description._has_trigger(text) == bool(_TRIGGER_RE.search(text)), text


def _top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside parentheses and character sets."""
    depth, i, in_set = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_set:
            in_set = ch != "]"
        elif ch == "[":
            in_set = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1  # a "]" right after "[" is a member
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


def test_trigger_patterns_can_share_their_word_boundary():
    assert not any(_top_level_bar(p) for p in TRIGGER_PATTERNS)
    assert _top_level_bar(r"\bfoo|bar") and not _top_level_bar(r"\bx(?:a|b)[|]")
    assert len(description._BOUNDED) == len(TRIGGER_PATTERNS) - 1


@FAST
@given(st.text(max_size=40))
def test_mostly_ascii_letters(text):
    assert description._mostly_ascii_letters(text) == _ref_mostly_ascii_letters(text)


# ---- AL4xx: tool entries --------------------------------------------------------------------


def test_plain_entry_is_neither_comma_nor_isspace():
    for code in range(0x110000):
        c = chr(code)
        assert bool(tools._PLAIN_ENTRY.fullmatch(c)) == (c != "," and not c.isspace()), hex(code)


_TOOL_TEXT = _joined(list("ab,)( \t\n\u00a0\u3000\u2028\x1c*_") + ["Read", "mcp__x", "Bash"], 30)


@FAST
@given(st.one_of(_TOOL_TEXT, _TOOL_TEXT.map(lambda v: v.replace("(", ""))))
def test_split_spans_fast_path(value):
    assert tools.split_spans(value) == tools._split_spans_nested(value)


@FAST
@given(st.one_of(_TOOL_TEXT, st.sampled_from(["*", "Read", "read", "Task", "Agent(x)", "Bash(git:*)", "mcp__a__b", "MCP__a", "mcp_a", "MultiEdit", "LS(x)", "a(b", "a)b", ""])))
def test_classify_cache(text):
    assert tools.classify(text) == tools._classify(text)
    assert tools.classify(text) == tools._classify(text)  # the remembered answer too


def test_classify_does_not_remember_long_texts():
    text = "x" * (tools._KINDS_TEXT_MAX + 1)
    assert tools.classify(text) == "unknown"
    assert text not in tools._KINDS


# ---- positions without the line table --------------------------------------------------------


class _Probe(Rule):
    code = "AL999"
    name = "probe"
    severity = Severity.INFO
    summary = "probe"


_LINES = _joined(["a", "é", "\n", "\r", "\r\n", "\u2028", "---\n", "name: x\n", "\x85"], 40)


@FAST
@given(_LINES, st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60)), min_size=1, max_size=6))
def test_near_spans_and_source_lines(text, pairs):
    ctx = _ctx(text)
    doc = ctx.doc
    for start, end in pairs:
        l1, c1 = doc.line_col(start)
        if end <= start:
            expected = Span(l1, c1, l1, c1 + 1)
        else:
            l2, c2 = doc.line_col(end)
            expected = Span(l1, c1, l2, c2)
        assert ctx.span(start, end) == expected
        d = ctx.diagnostic(_Probe(), Finding(start, end, "m"))
        assert d.span == expected
        assert d.source_line == doc.line_text(expected.line)


def test_far_spans_use_the_line_table():
    text = "---\nname: x\ndescription: y\n---\n" + "line\n" * 2000
    ctx = _ctx(text)
    start = len(text) - 3
    d = ctx.diagnostic(_Probe(), Finding(start, start + 2, "m"))
    assert d.span == Span(*ctx.doc.line_col(start), *ctx.doc.line_col(start + 2))
    assert d.source_line is None  # the engine fills it in


@FAST
@given(_LINES, st.integers(-3, 50))
def test_line_start_helpers(text, offset):
    doc = _ctx(text).doc
    assert file._at_line_start(doc.text, offset) == (offset == doc.line_offset(doc.line_col(offset)[0]))
    assert description._line_start(doc.text, offset) == doc.line_offset(doc.line_col(offset)[0])


# ---- the context: entries, memo, format --------------------------------------------------------


def test_entry_index_is_the_last_entry_of_each_key():
    ctx = _ctx("---\nname: a\ntools: Read\nname: b\ncolor: red\ntools: Grep\n---\nBody\n")
    assert ctx.fm is not None
    for key in ("name", "tools", "color", "description", "missing"):
        assert ctx.entry(key) is ctx.fm.entry(key)
    assert _ctx("no frontmatter").entry("name") is None


def test_memo_is_not_pickled():
    text = "---\nname: a\ndescription: Reviews code. Use after changes.\ntools: Read, Grep, Read\ncolor: teal\n---\nBody text.\n"
    ctx = _ctx(text)
    assert [tf.key for tf in tools.tool_fields(ctx)] == ["tools"]
    assert schema_check.issues(ctx)
    ctx.entry("name")
    assert ctx.memo and ctx._by_key is not None
    copy = pickle.loads(pickle.dumps(ctx))
    assert copy.memo == {} and copy._by_key is None
    assert copy.entry("name").value == "a"
    assert [i.message for i in schema_check.issues(copy)] == [i.message for i in schema_check.issues(ctx)]


@pytest.mark.parametrize(
    "path",
    ["agent.md", "x.agent.md", "proj/.github/agents/a.md", "proj/.opencode/agent/a.md", "p/.cursor/agents/a.md", "p/.gemini/agents/b.md"],
)
def test_format_of_a_read_document(path):
    ctx = _ctx("---\nname: a\n---\n", path)
    assert ctx.format == detect(path)


def test_format_of_an_unreadable_file(tmp_path):
    from agentlint.engine import make_context

    path = tmp_path / ".github" / "agents" / "missing.md"
    ctx = make_context(str(path), Config())
    assert ctx.doc.read_error
    assert ctx.format == detect(str(path)) == "copilot"


# ---- schema: keys proven valid are left out of the validation --------------------------------

_VALUES = {
    "tools": ["Read, Grep", ["Read", 3], {"read": True}, 5, None, ""],
    "disallowedTools": ["Bash", [1, 2], True],
    "model": ["sonnet", 4, ["a", "b"], ""],
    "color": ["red", "teal", "#3B82F6", 3],
    "permissionMode": ["plan", "accept-edits", "ignore", 1],
    "maxTurns": [3, 0, "3", -1, 2.5],
    "effort": ["high", "extreme", 7, True],
    "memory": ["user", "global"],
    "isolation": ["worktree", "docker"],
    "background": [True, "yes"],
    "initialPrompt": ["go", 3],
    "skills": [["a"], "a, b", [""], [1]],
    "mcpServers": [["github"], {"github": {"command": "x"}}, [{"s": {"url": "http://x"}}], [{"s": {"type": "sse"}}]],
    "hooks": [
        {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "x"}]}]},
        {"preToolUse": [{"hooks": []}]},
        {"Stop": [{"type": "command", "command": "x"}]},
        {"Stop": [{"hooks": [{"type": "http"}]}]},
    ],
}


def _yaml_value(value) -> str:
    import json

    return json.dumps(value)


def test_schema_issues_with_and_without_the_proven_keys(monkeypatch):
    rng = random.Random(3)
    keys = list(_VALUES)
    texts = []
    for _ in range(400):
        chosen = rng.sample(keys, rng.randint(1, len(keys)))
        lines = [f"{k}: {_yaml_value(rng.choice(_VALUES[k]))}" for k in chosen]
        texts.append("---\nname: a\ndescription: d\n" + "\n".join(lines) + "\n---\nBody\n")
    fast = [[(i.code, i.start, i.end, i.message, i.severity) for i in schema_check._compute(_ctx(t))] for t in texts]
    monkeypatch.setattr(schema_check, "_keys_validated_apart", lambda top: False)
    slow = [[(i.code, i.start, i.end, i.message, i.severity) for i in schema_check._compute(_ctx(t))] for t in texts]
    assert fast == slow
    assert any(fast)


def test_the_packaged_schema_validates_keys_apart():
    assert schema_check._keys_validated_apart(schema_check.schema())


# ---- small shortcuts ----------------------------------------------------------------------------


def test_builtin_names_folded_once():
    assert name._BUILTINS_FOLDED == {name._fold(b) for b in BUILTIN_AGENTS}


@pytest.mark.parametrize(
    "frontmatter, codes",
    [
        ("tools: Read, MultiEdit, Edit\n", {"AL402"}),
        ("tools: Read, Read, Grep\n", {"AL409"}),
        ("tools: Bash(git log:*)\n", {"AL403"}),
        ("tools: Read\ntools: Grep\n", {"AL006"}),
        ("allowed-tools: Read\n", {"AL501"}),
        ("tools: Read, Grpe\n", {"AL401"}),
    ],
)
def test_shortcuts_still_report(frontmatter, codes):
    text = "---\nname: reviewer\ndescription: Reviews code. Use after every change.\n" + frontmatter + "---\nYou review code and report every bug you find.\n"
    found = {d.code for d in lint_text(text, "reviewer.md")}
    assert codes <= found, found


# ---- the corpus ---------------------------------------------------------------------------------


def test_corpus_fast_paths(corpus, monkeypatch):
    from agentlint.engine import make_context
    from agentlint.files import expand

    files, _ = expand([str(corpus)])
    contexts = [make_context(p, Config()) for p in files]
    for ctx in contexts:
        desc = description.loaded_description(ctx)
        if desc:
            assert description._has_trigger(desc) == bool(_TRIGGER_RE.search(desc)), ctx.path
        e = ctx.entry("description")
        if e is not None and e.style == '"' and isinstance(e.value, str):
            src = ctx.text[e.value_start : e.value_end]
            assert description._backslash_n_in_double_quoted(src) == _ref_backslash_n_in_double_quoted(src)
            assert description._double_quoted_candidate(src) == _ref_double_quoted_candidate(src)
        for tf in tools.tool_fields(ctx):
            if isinstance(tf.entry.value, str):
                assert tools.split_spans(tf.entry.value) == tools._split_spans_nested(tf.entry.value)
    fast = [schema_check._compute(ctx) for ctx in contexts]
    monkeypatch.setattr(schema_check, "_keys_validated_apart", lambda top: False)
    assert fast == [schema_check._compute(ctx) for ctx in contexts]
