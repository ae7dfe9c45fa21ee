"""Agent files and assertions shared by the runtime tests."""

from __future__ import annotations

REVIEWER = """---
name: reviewer
description: Reviews code changes for bugs and style.
model: sonnet
tools: Read, Grep, Glob, Bash, Edit
---
You are a meticulous code reviewer. Point out bugs first, then style.
"""

HELPER = """---
name: helper
description: Answers questions about the project.
---
You help with this project.
"""

LIMITED = """---
name: limited
description: Looks at one file at most.
model: haiku
maxTurns: 1
---
You read files.
"""

BROKEN = """---
name: broken
description: Never closes its frontmatter.
"""

SECRET = "TOP-SECRET-OUTSIDE-CWD"

AGENTS = {"reviewer": REVIEWER, "helper": HELPER, "limited": LIMITED, "broken": BROKEN}


def assert_one_line_error(result, *needles: str) -> str:
    """The run failed with exactly one ``error:`` line on stderr, no traceback; returns that line."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]
