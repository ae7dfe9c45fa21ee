"""The typed model of a Claude Code agent definition, and the JSON Schema generated from it.

Field names are the keys as written in agent files (camelCase).  ``schemas/agent.schema.json``
is generated from :class:`AgentDefinition` (``agentlint schema``); a test fails when the
committed file drifts.  Value sets come from :mod:`agentlint.vocab`.
"""

from __future__ import annotations

import json
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import vocab

PermissionMode = Literal[vocab.PERMISSION_MODES]  # type: ignore[valid-type]
Effort = Literal[vocab.EFFORTS]  # type: ignore[valid-type]
Memory = Literal[vocab.MEMORY_SCOPES]  # type: ignore[valid-type]
Color = Literal[vocab.COLORS]  # type: ignore[valid-type]
HookEvent = Literal[vocab.HOOK_EVENTS]  # type: ignore[valid-type]
HookType = Literal[vocab.HOOK_TYPES]  # type: ignore[valid-type]
ToolList = Union[str, list[str]]


class HookHandler(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: HookType
    command: Optional[str] = None
    url: Optional[str] = None
    prompt: Optional[str] = None
    timeout: Optional[float] = Field(default=None, gt=0)


class HookMatcher(BaseModel):
    model_config = ConfigDict(extra="forbid")
    matcher: Optional[str] = None
    hooks: list[HookHandler] = Field(min_length=1)


class McpServer(BaseModel):
    """An inline MCP server, in the ``.mcp.json`` form."""

    model_config = ConfigDict(extra="allow")
    type: Optional[Literal[vocab.MCP_SERVER_TYPES]] = None  # type: ignore[valid-type]
    command: Optional[str] = None
    args: Optional[list[str]] = None
    env: Optional[dict[str, str]] = None
    url: Optional[str] = None
    headers: Optional[dict[str, str]] = None


class AgentDefinition(BaseModel):
    """A Claude Code subagent: the frontmatter fields plus the body (its system prompt)."""

    model_config = ConfigDict(
        extra="allow",
        title="Claude Code agent definition",
        json_schema_extra={
            "description": (
                "YAML frontmatter of a Claude Code subagent file (.claude/agents/*.md), "
                f"as read by Claude Code {vocab.CLAUDE_CODE_VERSION}. Unknown keys are ignored by Claude Code."
            )
        },
    )

    name: str = Field(
        min_length=1,
        pattern=r"^[^-:][^:]*$",
        description="Unique identifier, lowercase letters and hyphens. Must not contain ':' or start with '-'.",
    )
    description: str = Field(min_length=1, description="When Claude should delegate to this agent.")
    tools: Optional[ToolList] = Field(
        default=None, description="Allowlist: a comma-separated string or a list. Omitted: every tool."
    )
    disallowedTools: Optional[ToolList] = Field(default=None, description="Denylist, applied before `tools`.")
    model: Optional[str] = Field(
        default=None,
        min_length=1,
        description="sonnet, opus, haiku, fable, inherit, or a full model id.",
    )
    permissionMode: Optional[PermissionMode] = None
    maxTurns: Optional[int] = Field(default=None, ge=1, description="Maximum agentic turns.")
    skills: Optional[list[str]] = Field(default=None, description="Skills preloaded into the agent.")
    mcpServers: Optional[list[Union[str, dict[str, McpServer]]]] = Field(
        default=None, description="Names of configured MCP servers, or {name: config} maps."
    )
    hooks: Optional[dict[HookEvent, list[HookMatcher]]] = None
    memory: Optional[Memory] = None
    background: Optional[bool] = None
    effort: Optional[Union[Effort, int]] = None
    isolation: Optional[Literal["worktree"]] = None
    color: Optional[Color] = None
    initialPrompt: Optional[str] = Field(default=None, description="First user turn when run as the main agent.")
    body: str = Field(default="", exclude=True, description="The system prompt (the Markdown after the frontmatter).")

    @classmethod
    def from_fields(cls, fields: dict[str, Any], body: str = "") -> "AgentDefinition":
        """Build the model from loaded frontmatter values, dropping invalid optional fields
        as Claude Code ignores them.  ``name``/``description`` must be valid."""
        data = dict(fields)
        data["body"] = body
        for _ in range(len(data) + 1):
            try:
                return cls.model_validate(data)
            except ValidationError as exc:
                bad = {e["loc"][0] for e in exc.errors() if e["loc"] and e["loc"][0] not in ("name", "description")}
                if not bad:
                    raise
                for key in bad:
                    data.pop(key, None)
        return cls.model_validate(data)


def _not_nullable(obj: Any) -> Any:
    """Optional fields may be omitted, not written as null: drop pydantic's ``anyOf [X, null]``
    so that validation errors point into X (a bad hook, not "not valid under any schema")."""
    if isinstance(obj, dict):
        props = obj.get("properties")
        if isinstance(props, dict):
            for key, prop in props.items():
                branches = prop.get("anyOf")
                if isinstance(branches, list) and {"type": "null"} in branches:
                    rest = [b for b in branches if b != {"type": "null"}]
                    prop.pop("anyOf")
                    prop.pop("default", None)
                    if len(rest) == 1:
                        prop.update(rest[0])
                    else:
                        prop["anyOf"] = rest
        for value in obj.values():
            _not_nullable(value)
    elif isinstance(obj, list):
        for value in obj:
            _not_nullable(value)
    return obj


def json_schema() -> dict[str, Any]:
    schema = _not_nullable(AgentDefinition.model_json_schema(mode="validation"))
    schema["properties"].pop("body", None)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://agentlint.dev/schemas/agent.schema.json",
        **schema,
    }
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=False) + "\n"
