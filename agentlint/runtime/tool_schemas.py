"""The tool descriptions offered to the model, and which tools an agent gets.

Names and input names are Claude Code's (``file_path``, ``pattern``, ``path``, ``output_mode``,
``-i``, ...) so agent bodies that mention them still make sense; the descriptions are our own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .base import SAFE_TOOLS


@dataclass(frozen=True)
class ToolSchema:
    name: str
    description: str
    input_schema: dict[str, Any]


def _props(required: list[str], **props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


_INT = {"type": "integer", "minimum": 0}
SCHEMAS: dict[str, ToolSchema] = {
    "Read": ToolSchema(
        "Read",
        "Read a text file under the working directory. Returns numbered lines (up to 2000 by "
        "default); use offset (1-based line) and limit for longer files. Binary files are refused.",
        _props(
            ["file_path"],
            file_path={"type": "string",
                       "description": "Path of the file, relative to the working directory or absolute inside it"},
            offset={**_INT, "description": "First line to return (1-based)"},
            limit={**_INT, "description": "Number of lines to return"},
        ),
    ),
    "Glob": ToolSchema(
        "Glob",
        "Find files by glob pattern (e.g. '**/*.py', 'src/**/*.{ts,tsx}') under the working "
        "directory. Returns matching paths, most recently modified first.",
        _props(
            ["pattern"],
            pattern={"type": "string", "description": "Glob pattern, relative to path"},
            path={"type": "string", "description": "Directory to search in (default: the working directory)"},
        ),
    ),
    "Grep": ToolSchema(
        "Grep",
        "Search file contents with a regular expression (Python syntax) under the working directory. "
        "output_mode 'files_with_matches' (default) lists files, 'content' shows matching lines, "
        "'count' counts matches per file.",
        _props(
            ["pattern"],
            pattern={"type": "string", "description": "Regular expression to search for"},
            path={"type": "string", "description": "File or directory to search (default: the working directory)"},
            glob={"type": "string", "description": "Only search files matching this glob, e.g. '*.py'"},
            type={"type": "string", "description": "Only search files of this type, e.g. 'py', 'js', 'md'"},
            output_mode={"type": "string", "enum": ["content", "files_with_matches", "count"]},
            **{
                "-i": {"type": "boolean", "description": "Case-insensitive search"},
                "-n": {"type": "boolean", "description": "Show line numbers (content mode; default true)"},
                "-A": {**_INT, "description": "Lines of context after each match (content mode)"},
                "-B": {**_INT, "description": "Lines of context before each match (content mode)"},
                "-C": {**_INT, "description": "Lines of context around each match (content mode)"},
            },
            head_limit={**_INT, "description": "Return at most this many entries (default 250)"},
            offset={**_INT, "description": "Skip this many entries first"},
            multiline={"type": "boolean", "description": "Let . match newlines and patterns span lines"},
        ),
    ),
}


def offered_tools(
    agent_tools: Optional[list[str]], disallowed: Optional[list[str]] = None
) -> tuple[list[str], list[str]]:
    """(safe tools to offer, declared tools this runtime does not run).

    ``agent_tools`` None means the agent inherits every tool: all three safe ones are offered.
    Permission specifiers (``Read(/src/**)``) are dropped, as Claude Code grants the whole tool.
    """
    denied = {_bare(t) for t in (disallowed or [])}
    if agent_tools is None:
        return [t for t in SAFE_TOOLS if t not in denied], []
    offered: list[str] = []
    unsupported: list[str] = []
    for raw in agent_tools:
        name = _bare(raw)
        if name in SAFE_TOOLS:
            if name not in offered and name not in denied:
                offered.append(name)
        elif name and name not in unsupported:
            unsupported.append(name)
    return [t for t in SAFE_TOOLS if t in offered], unsupported


def _bare(tool: str) -> str:
    return tool.split("(", 1)[0].strip()
