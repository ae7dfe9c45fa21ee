"""The document layer and the YAML layer: Claude Code's split, YAML 1.2 values, the repair."""

from __future__ import annotations

import pytest

from agentlint import yamlsrc
from agentlint.document import MAX_AGENT_BYTES, from_bytes
from agentlint.load import analyse, split_tool_string


def doc(text: str | bytes):
    return from_bytes("a.md", text.encode() if isinstance(text, str) else text)


def test_split_offsets_and_body():
    d = doc("---\nname: x\n---\n\nBody here\n")
    assert d.closed and d.frontmatter == "name: x\n"
    assert d.body == "Body here\n"  # Claude Code drops the white space after the fence
    assert d.line_col(d.fm_start) == (2, 1)


def test_closing_fence_may_be_longer_and_may_sit_inside_a_line():
    d = doc("---\nname: x\n--------\nBody\n")
    assert d.frontmatter == "name: x\n" and d.body.startswith("-----")
    d = doc("---\nname: x\ndescription: a --- b\n---\nBody\n")
    assert d.frontmatter == "name: x\ndescription: a "


def test_bom_is_dropped_and_crlf_kept():
    d = doc(b"\xef\xbb\xbf---\r\nname: x\r\n---\r\nB\r\n")
    assert d.bom and d.crlf and d.closed
    assert d.frontmatter == "name: x\r\n"


def test_no_and_unclosed_frontmatter():
    assert not doc("# title\n").has_frontmatter
    assert not doc("\n---\nname: x\n---\n").has_frontmatter
    d = doc("---\nname: x\n")
    assert d.has_frontmatter and not d.closed


def test_too_large_is_flagged_before_parsing():
    d = from_bytes("a.md", b"---\n" + b"x" * MAX_AGENT_BYTES)
    assert d.too_large and not d.has_frontmatter


def test_line_col_is_in_characters():
    d = doc("é: 1\nab\n")
    assert d.line_col(0) == (1, 1) and d.line_col(1) == (1, 2) and d.line_col(5) == (2, 1)


@pytest.mark.parametrize(
    "src,value",
    [
        ("v: on", "on"),
        ("v: yes", "yes"),
        ("v: 2024-01-02", "2024-01-02"),
        ("v: true", True),
        ("v: 012", 12),
        ("v: 0x1f", 31),
        ("v: 1.5", 1.5),
        ("v: ~", None),
        ("v: 1:20", "1:20"),
    ],
)
def test_yaml_1_2_core_schema(src, value):
    assert yamlsrc.parse(src + "\n").values["v"] == value


def test_entry_offsets_point_at_key_and_value():
    fm = yamlsrc.parse("name: rev\ntools: [Read, Grep]\n", offset=4)
    e = fm.entry("tools")
    assert (e.key_start, e.key_end) == (4 + 10, 4 + 15)
    assert (e.value_start, e.value_end) == (4 + 17, 4 + 29)
    assert e.value == ["Read", "Grep"] and e.style is None


def test_repair_takes_values_literally_and_keeps_positions():
    text = 'name: rev\ndescription: Use it: see \\"docs\\" #1\ntools: Read, Grep\n'
    fm = yamlsrc.parse(text)
    assert fm.strict_error is not None and fm.repaired and fm.repair_error is None
    e = fm.entry("description")
    assert e.repaired and e.value == 'Use it: see \\"docs\\" #1'
    assert text[e.value_start : e.value_end] == e.value
    assert fm.values["tools"] == "Read, Grep"


def test_repair_never_matches_crlf_lines():
    fm = yamlsrc.parse("name: rev\r\ndescription: Use it: now\r\n")
    assert fm.root_kind == "none" and fm.repair_error is not None


def test_alias_bomb_is_cheap_and_measured():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i, ch in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lines.append(f"{ch}: &{ch} [" + ",".join([f"*{prev}"] * 9) + "]")
    fm = yamlsrc.parse("\n".join(lines) + "\n")
    assert fm.entry("j").huge and not fm.entry("a").huge


def test_deep_nesting_is_refused_before_the_parser():
    fm = yamlsrc.parse("v: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert fm.too_deep and fm.root_kind == "none"


@pytest.mark.parametrize(
    "value,tools",
    [
        ("Read, Grep", ["Read", "Grep"]),
        ("Read Grep,,Glob", ["Read", "Grep", "Glob"]),
        ("Bash(git log:*), Agent(a, b)", ["Bash(git log:*)", "Agent(a, b)"]),
        ("Microsoft Docs", ["Microsoft", "Docs"]),
    ],
)
def test_tool_strings_split_as_claude_code_splits_them(value, tools):
    assert split_tool_string(value) == tools


@pytest.mark.parametrize(
    "fields,display",
    [
        ("tools: []", "All tools"),
        ("tools: '*'", "All tools"),
        ("tools: 5", "All tools"),
        ("tools: {read: true}", "All tools"),
        ("disallowedTools: Bash, Write", "All tools except Bash, Write"),
        ("tools: Read, Bash\ndisallowedTools: Bash", "Read"),
        ("tools: Read\nmemory: project", "Read, Write, Edit"),
    ],
)
def test_tool_resolution(fields, display):
    a = analyse(doc(f"---\nname: x\ndescription: y\n{fields}\n---\nbody\n"))
    assert a.loaded and a.tools_display == display


@pytest.mark.parametrize(
    "fm,reason",
    [
        ("description: y", "no name"),
        ("name: 12345\ndescription: y", "no name"),
        ("name: ''\ndescription: y", "no name"),
        ("name: a:b\ndescription: y", "':'"),
        ("name: -a\ndescription: y", "'-'"),
        ("name: a\ndescripton: y", "no description"),
        ("name: a\ndescription: [y]", "no description"),
        ("name: a\ndescription: ''", "no description"),
    ],
)
def test_skip_reasons(fm, reason):
    a = analyse(doc(f"---\n{fm}\n---\nbody\n"))
    assert not a.loaded and reason in a.skip_reason


def test_loaded_anyway():
    a = analyse(doc("---\nname: Odd_Name X\ndescription: '   '\nmodel: nonsense\n---\nbody\n"))
    assert a.loaded and a.description == "   "
    a = analyse(doc("---\nname: a\ndescription: one\\ntwo #3\n---\nbody\n"))
    assert a.loaded and a.description == "one\ntwo"  # ` #` starts a comment in strict YAML
    a = analyse(doc("---\nname: a\ndescription: issue #42 and more\n---\nbody\n"))
    assert a.description == "issue"
    a = analyse(doc("---\nname: a\ndescription: issue #42 and: more\n---\nbody\n"))
    assert a.description == "issue"  # the comment hides the colon: strict YAML reads it
