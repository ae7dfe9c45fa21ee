"""The AL4xx fixes edit only what they must and keep what Claude Code loads; entry positions
follow Claude Code's own tokenisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentlint.document import from_bytes
from agentlint.engine import lint_text
from agentlint.load import analyse, split_tool_string
from agentlint.rules.tools import split_spans

BODY = "You review code and report every bug you find.\n"


def _file(frontmatter: str) -> str:
    return "---\nname: reviewer\ndescription: Reviews code. Use after every change.\n" + frontmatter + "---\n" + BODY


def _apply(text: str, diags) -> str:
    edits = sorted((e for d in diags if d.fix for e in d.fix.edits), key=lambda e: e.start, reverse=True)
    for a, b in zip(edits, edits[1:]):
        assert b.end <= a.start, "overlapping edits"
    for e in edits:
        text = text[: e.start] + e.content + text[e.end :]
    return text


def _fix(text: str, code: str) -> tuple[str, list]:
    diags = [d for d in lint_text(text) if d.code == code]
    return _apply(text, diags), diags


def _tools(text: str):
    agent = analyse(from_bytes("agent.md", text.encode()))
    assert agent.loaded, agent.skip_reason
    return agent.tools, agent.disallowed_tools


@pytest.mark.parametrize(
    "before,after,removal",
    [
        ("tools: Read, MultiEdit\n", "tools: Read, Edit\n", False),
        ('tools: ["Read", "MultiEdit"]\n', 'tools: ["Read", "Edit"]\n', False),
        ("tools: Read, LS, Glob\n", "tools: Read, Glob\n", True),
        ("tools: LS, Glob\n", "tools: Glob\n", True),
        ("tools: MultiEdit,Edit\n", "tools: Edit\n", True),
        ("tools: Bash, BashOutput\n", "tools: Bash\n", True),
        ("tools:\n  - Read\n  - NotebookRead\n  - Grep\n", "tools:\n  - Read\n  - Grep\n", True),
        ("tools: [Read, LS, Glob]\n", "tools: [Read, Glob]\n", True),
        ("disallowedTools: KillShell\n", "disallowedTools: TaskStop\n", False),
    ],
)
def test_legacy_fix(before, after, removal):
    text = _file(before)
    fixed, diags = _fix(text, "AL402")
    assert fixed == _file(after)
    assert diags and all(d.fix is not None and not d.fix.safe for d in diags)
    if removal:  # only the name that matched nothing leaves the list
        old, new = _tools(text), _tools(fixed)
        assert [t for t in old[0] if t not in ("LS", "NotebookRead", "MultiEdit", "BashOutput")] == new[0]


def test_legacy_fix_never_creates_a_duplicate():
    text = _file("tools: Read, BashOutput, AgentOutputTool\ndisallowedTools: BashOutput, AgentOutputTool\n")
    fixed, _ = _fix(text, "AL402")
    assert "tools: Read\n" in fixed
    assert "disallowedTools: TaskOutput\n" in fixed
    assert not [d for d in lint_text(fixed) if d.code in ("AL402", "AL409")]


def test_legacy_only_entry_is_not_removed():
    # Removing the only entry would leave `tools` empty: every tool granted.
    diags = [d for d in lint_text(_file("tools: BashOutput\n")) if d.code == "AL402"]
    assert len(diags) == 1 and diags[0].fix is None


@pytest.mark.parametrize(
    "before,after",
    [
        ("tools: Read, Grep, Read\n", "tools: Read, Grep\n"),
        ("tools: Read,Read,Grep\n", "tools: Read,Grep\n"),
        ("tools: [Read, Grep, Read]\n", "tools: [Read, Grep]\n"),
        ('tools: ["Read", "Read"]\n', 'tools: ["Read"]\n'),
        ("tools:\n  - Read\n  - Read\n", "tools:\n  - Read\n"),
        ("tools: Read Grep Read Read\n", "tools: Read Grep\n"),
        ('tools: "Read,\n  Grep, Read"\n', 'tools: "Read,\n  Grep"\n'),
    ],
)
def test_duplicate_fix(before, after):
    text = _file(before)
    fixed, diags = _fix(text, "AL409")
    assert fixed == _file(after)
    assert diags and all(d.fix is not None and not d.fix.safe for d in diags)
    old, new = _tools(text)[0], _tools(fixed)[0]
    assert new == list(dict.fromkeys(old))  # the same tools, in order, each once


@pytest.mark.parametrize(
    "before,after",
    [
        ('tools: ["Read", "Grep", "Glob"]\n', "tools: Read, Grep, Glob\n"),
        ("tools: [Read, Bash(git log:*), 'Agent(a, b)']\n", "tools: Read, Bash(git log:*), Agent(a, b)\n"),
        ("disallowedTools: [Write,\n  Edit]   # no writes\n", "disallowedTools: Write, Edit   # no writes\n"),
        ("tools:   [mcp__github__create_issue]\n", "tools:   mcp__github__create_issue\n"),
        ("tools: ['*']\n", 'tools: "*"\n'),
        ('tools: ["true"]\n', 'tools: "true"\n'),
        ("tools: [Read, 'Bash(git log: *)']\n", 'tools: "Read, Bash(git log: *)"\n'),
    ],
)
def test_flow_list_fix_is_lossless(before, after):
    text = _file(before)
    fixed, diags = _fix(text, "AL405")
    assert fixed == _file(after)
    assert diags and all(d.fix is not None and d.fix.safe for d in diags)
    assert _tools(text) == _tools(fixed)


@pytest.mark.parametrize(
    "value",
    ['["Read, Grep"]', "[Read, 5]", '["Read (x)"]', "[Read, # c\n  Grep]", "[Read, [Grep]]"],
)
def test_flow_list_without_a_lossless_fix(value):
    diags = [d for d in lint_text(_file(f"tools: {value}\n")) if d.code == "AL405"]
    assert len(diags) == 1 and diags[0].fix is None


def test_repaired_flow_list_fix_restores_the_written_tools():
    text = "---\nname: r\ndescription: Reviews code: use it.\ntools: [Read, Grep]\n---\n" + BODY
    assert _tools(text)[0] == ["[Read", "Grep]"]  # what Claude Code loads today
    fixed, diags = _fix(text, "AL405")
    assert diags[0].fix is not None and not diags[0].fix.safe
    assert _tools(fixed)[0] == ["Read", "Grep"]


def test_fixes_of_different_rules_do_not_overlap():
    text = _file("tools: Read, LS, Glob, Read, MultiEdit, Edit\n")
    diags = [d for d in lint_text(text) if d.fix and d.code.startswith("AL4")]
    fixed = _apply(text, diags)
    assert "tools: Read, Glob, Edit\n" in fixed


def test_alias_values_are_reported_but_not_edited():
    text = _file("x-tools: &t Read, Read\ntools: *t\n")
    diags = [d for d in lint_text(text) if d.code == "AL409"]
    assert len(diags) == 1 and diags[0].fix is None


@given(st.text(alphabet=st.sampled_from(list("ab(), \t\n:*")), max_size=40))
def test_split_spans_is_claude_codes_split(value):
    spans = split_spans(value)
    assert [t for t, _, _ in spans] == split_tool_string(value)
    assert all(value[a:b] == t for t, a, b in spans)
