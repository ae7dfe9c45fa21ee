"""Other tools' agent files: read strictly, checked only by the format-neutral rules."""

from __future__ import annotations

import pytest

from agentlint.engine import lint_text
from agentlint.formats import detect

COPILOT = """---
name: Reviewer
description: Reviews pull requests
tools: ['codebase', 'search', 'edit/editFiles']
model: GPT-4.1
mcp-servers:
  github:
    type: local
    args: [
      # --- a comment with dashes
      'x'
    ]
---
You review code carefully and report problems.
"""


@pytest.mark.parametrize(
    "path,fmt",
    [
        (".github/agents/reviewer.agent.md", "copilot"),
        ("agents/reviewer.agent.md", "copilot"),
        (".github/agents/reviewer.md", "copilot"),
        (".opencode/agent/review.md", "opencode"),
        (".opencode/agents/sub/review.md", "opencode"),
        (".gemini/agents/review.md", "gemini"),
        (".cursor/agents/review.md", "cursor"),
        (".claude/agents/review.md", "claude"),
        ("agents/review.md", "claude"),
    ],
)
def test_detect(path, fmt):
    assert detect(path) == fmt


def test_copilot_file_gets_no_claude_code_rules():
    diags = lint_text(COPILOT, ".github/agents/reviewer.agent.md")
    assert diags == []
    # the same text as a Claude Code agent: Copilot tool names, keys and model are problems
    assert {d.code for d in lint_text(COPILOT, ".claude/agents/reviewer.md")} == {"AL003", "AL013"}  # cut at `# ---`
    simple = COPILOT.split("mcp-servers:")[0] + "---\nYou review code carefully and report problems.\n"
    assert lint_text(simple, ".github/agents/reviewer.agent.md") == []
    claude = {d.code for d in lint_text(simple, ".claude/agents/reviewer.md")}
    assert {"AL401", "AL301", "AL102"} <= claude


def test_other_formats_are_read_strictly():
    broken = "---\nname: x\ndescription: Use it: when needed\n---\nYou review code carefully and report problems.\n"
    (d,) = lint_text(broken, ".opencode/agent/x.md")
    assert (d.code, d.line, d.severity.value) == ("AL003", 3, "error")
    assert "Opencode cannot read" in d.message
    # Claude Code repairs the same line: only a portability warning there
    assert [x.code for x in lint_text(broken, ".claude/agents/x.md")] == ["AL004"]


def test_format_neutral_rules_still_run():
    no_desc = "---\nname: x\n---\n\n"
    codes = {d.code for d in lint_text(no_desc, ".github/agents/x.agent.md")}
    assert codes == {"AL201", "AL601"}
