"""Which tool an agent file is written for, from where it sits.

Claude Code's format is the default.  Files of the sibling formats share the Markdown +
YAML frontmatter shape but not Claude Code's fields, tool names or value sets:

* GitHub Copilot custom agents: ``*.agent.md``, or anything under ``.github/agents/``;
* OpenCode: under ``.opencode/agent/`` or ``.opencode/agents/``;
* Gemini CLI: under ``.gemini/agents/``;
* Cursor: under ``.cursor/agents/``.

For those, only the format-neutral rules run (the file, its YAML, the description's text,
the body); see ``agentlint.rules.FORMAT_NEUTRAL``.
"""

from __future__ import annotations

import os

CLAUDE = "claude"

_DIR_MARKERS = (
    ("/.github/agents/", "copilot"),
    ("/.opencode/agent/", "opencode"),
    ("/.opencode/agents/", "opencode"),
    ("/.gemini/agents/", "gemini"),
    ("/.cursor/agents/", "cursor"),
)


def detect(path: str) -> str:
    norm = "/" + os.path.abspath(path).replace(os.sep, "/").lstrip("/")
    if norm.lower().endswith(".agent.md"):
        return "copilot"
    for marker, fmt in _DIR_MARKERS:
        if marker in norm:
            return fmt
    return CLAUDE
