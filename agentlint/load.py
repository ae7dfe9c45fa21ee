"""What Claude Code loads from an agent file: the single source of the load/skip verdict.

Every rule that says "Claude Code skips this file" and ``agentlint show`` read it from here,
so the verdict cannot drift between them.  Behaviour as measured on Claude Code 2.1.332
(``research/claude-code-oracle.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from . import document as _document
from . import yamlsrc
from .document import Document


class _DocumentBody:
    """The ``body`` field of :class:`LoadedAgent`: unless set, the document's body, sliced from its
    text on first use (a check never reads it: the rules read ``doc.body``)."""

    # Kept in the plain attribute ``_body`` (set by __init__ through __set__): reaching for the
    # instance's ``__dict__`` would turn its attributes into a dict of their own, one more object
    # for the garbage collector to walk and slower attribute reads, for every file.

    def __get__(self, agent: Any, owner: Any = None) -> Any:
        if agent is None:
            return None  # the field's default: the document's body
        body = getattr(agent, "_body", None)
        if body is None:
            body = agent._body = agent.doc.body
        return body

    def __set__(self, agent: Any, value: Optional[str]) -> None:
        agent._body = value


@dataclass
class LoadedAgent:
    path: str
    doc: Document
    fm: Optional[yamlsrc.Frontmatter]
    loaded: bool = False
    skip_reason: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    tools: Optional[list[str]] = None  # resolved; None means every tool
    disallowed_tools: list[str] = field(default_factory=list)
    model: Optional[str] = None
    body: str = _DocumentBody()  # type: ignore[assignment]
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def tools_display(self) -> str:
        """The tool list as Claude Code prints it in its agent listing."""
        if self.tools is None:
            if self.disallowed_tools:
                return "All tools except " + ", ".join(self.disallowed_tools)
            return "All tools"
        return ", ".join(self.tools)


def split_tool_string(value: str) -> list[str]:
    """Split ``Read, Grep Bash(git log:*)`` on commas and white space outside parentheses."""
    if "(" not in value:
        # Nothing is inside parentheses: every comma and white space character separates
        # (str.split() and str.isspace() agree on white space; tests/test_speed_load.py).
        return value.replace(",", " ").split()
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


def split_tools(value: Any) -> Optional[list[str]]:
    """Claude Code's reading of ``tools``/``disallowedTools``: None means "not a restriction"."""
    if isinstance(value, str):
        items = split_tool_string(value)  # (never an empty item)
    elif isinstance(value, list):
        items = [t.strip() if isinstance(t, str) else str(t) for t in value]
        items = [t for t in items if t]
    else:
        return None
    if not items or "*" in items:
        return None
    return items


def resolve_tools(fields: dict[str, Any]) -> tuple[Optional[list[str]], list[str]]:
    allowed = split_tools(fields.get("tools"))
    denied = split_tools(fields.get("disallowedTools")) or []
    if allowed is not None:
        if fields.get("memory") in ("user", "project", "local"):
            for extra in ("Write", "Edit"):
                if extra not in allowed:
                    allowed.append(extra)
        if denied:
            allowed = [t for t in allowed if t not in denied]
        return allowed, denied
    return None, denied


def analyse(doc: Document) -> LoadedAgent:
    agent = LoadedAgent(doc.path, doc, None)  # (path, doc, fm): the body is sliced when first read
    if doc.read_error:
        agent.skip_reason = f"unreadable: {doc.read_error}"
        return agent
    if doc.too_large:
        agent.skip_reason = "larger than 1 MiB"
        return agent
    if not doc.has_frontmatter:
        agent.skip_reason = "no frontmatter"
        return agent
    if not doc.closed:
        agent.skip_reason = "unclosed frontmatter"
        return agent
    fm = yamlsrc.parse(doc.frontmatter or "", doc.fm_start, claude_repair=doc.format == "claude")
    agent.fm = fm
    if fm.root_kind == "none":
        agent.skip_reason = "frontmatter is not YAML, even after Claude Code's repair"
        return agent
    if not fm.loads:
        agent.skip_reason = "frontmatter is not a mapping"
        return agent
    values = fm.values
    agent.fields = values
    name = values.get("name")
    if not isinstance(name, str) or not name:
        agent.skip_reason = "no name (treated as documentation)"
        return agent
    agent.name = name
    if ":" in name or name.startswith("-"):
        agent.skip_reason = "name contains ':' or starts with '-'"
        return agent
    desc = values.get("description")
    if not isinstance(desc, str) or not desc:
        agent.skip_reason = "no description, or not a string"
        return agent
    agent.description = desc.replace("\\n", "\n")
    agent.tools, agent.disallowed_tools = resolve_tools(values)
    model = values.get("model")
    agent.model = model if isinstance(model, str) else None
    agent.loaded = True
    return agent


def load_agent(path: str) -> LoadedAgent:
    return analyse(_document.read_document(path))
