"""The typed model of a Claude Code agent definition, and the JSON Schema generated from it.

Field names are the keys as written in agent files (camelCase).  ``schemas/agent.schema.json``
(and its packaged copy ``agentlint/schemas/agent.schema.json``) is generated from
:class:`AgentDefinition` (``agentlint schema``); a test fails when the committed files drift.
Value sets come from :mod:`agentlint.vocab`, so a Claude Code release that changes them is a
change in one place.

Types are strict (``StrictInt``, ``StrictBool``, ``StrictStr``) so that the model accepts exactly
what the JSON Schema accepts: ``maxTurns: "3"`` and ``background: "true"`` are strings, not a
number and a boolean.

Importing this module imports pydantic (a few hundred milliseconds): the ``check`` path reads the
packaged JSON file instead (:mod:`agentlint.schema_check`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError

from . import vocab

PermissionMode = Literal[vocab.PERMISSION_MODES]  # type: ignore[valid-type]
Effort = Literal[vocab.EFFORTS]  # type: ignore[valid-type]
Memory = Literal[vocab.MEMORY_SCOPES]  # type: ignore[valid-type]
Isolation = Literal[vocab.ISOLATIONS]  # type: ignore[valid-type]
Color = Literal[vocab.COLORS]  # type: ignore[valid-type]
HookEvent = Literal[vocab.HOOK_EVENTS]  # type: ignore[valid-type]
RemoteMcpType = Literal[tuple(t for t in vocab.MCP_SERVER_TYPES if t != "stdio")]  # type: ignore[valid-type]

ToolList = Union[StrictStr, list[StrictStr]]

SCHEMA_ID = "https://agentlint.dev/schemas/agent.schema.json"


# ---- hooks -------------------------------------------------------------------------------


class _HookBase(BaseModel):
    """Fields every hook handler may carry; other fields are passed through."""

    model_config = ConfigDict(extra="allow")
    timeout: Optional[StrictFloat] = Field(default=None, gt=0, description="Seconds before the hook is cancelled.")
    statusMessage: Optional[StrictStr] = Field(default=None, description="Shown while the hook runs.")


class CommandHook(_HookBase):
    model_config = ConfigDict(title="command hook")
    type: Literal["command"]
    command: StrictStr = Field(min_length=1, description="Shell command; receives the event as JSON on stdin.")


class HttpHook(_HookBase):
    model_config = ConfigDict(title="http hook")
    type: Literal["http"]
    url: StrictStr = Field(min_length=1, description="Endpoint the event is POSTed to.")
    headers: Optional[dict[str, StrictStr]] = None
    allowedEnvVars: Optional[list[StrictStr]] = None


class McpToolHook(_HookBase):
    model_config = ConfigDict(title="mcp_tool hook")
    type: Literal["mcp_tool"]
    server: StrictStr = Field(min_length=1, description="Name of a configured MCP server.")
    tool: StrictStr = Field(min_length=1, description="Tool of that server to call.")
    input: Optional[dict[str, Any]] = Field(default=None, description="Arguments for the tool.")


class PromptHook(_HookBase):
    model_config = ConfigDict(title="prompt hook")
    type: Literal["prompt"]
    prompt: StrictStr = Field(min_length=1, description="Prompt for a single model call that decides.")
    model: Optional[StrictStr] = None


class AgentHook(_HookBase):
    model_config = ConfigDict(title="agent hook")
    type: Literal["agent"]
    prompt: StrictStr = Field(min_length=1, description="Task for a subagent that decides.")
    model: Optional[StrictStr] = None


HookHandler = Annotated[
    Union[CommandHook, HttpHook, McpToolHook, PromptHook, AgentHook],
    Field(discriminator="type"),
]


class HookMatcher(BaseModel):
    """One entry of an event's list: which tools it matches and the handlers to run."""

    model_config = ConfigDict(extra="forbid", title="hook matcher")
    matcher: Optional[StrictStr] = Field(
        default=None, description="Tool-name pattern (`Bash`, `Edit|Write`, `mcp__github__.*`); omitted or `*`: everything."
    )
    hooks: list[HookHandler] = Field(min_length=1, description="Handlers run when the matcher matches.")


# ---- MCP servers ---------------------------------------------------------------------------


class McpStdioServer(BaseModel):
    """A local server started as a process (the .mcp.json form)."""

    model_config = ConfigDict(extra="allow", title="stdio MCP server")
    type: Optional[Literal["stdio"]] = None
    command: StrictStr = Field(min_length=1)
    args: Optional[list[StrictStr]] = None
    env: Optional[dict[str, StrictStr]] = None


class McpRemoteServer(BaseModel):
    """A remote server reached over HTTP, SSE or WebSocket (the .mcp.json form)."""

    model_config = ConfigDict(extra="allow", title="remote MCP server")
    type: RemoteMcpType
    url: StrictStr = Field(min_length=1)
    headers: Optional[dict[str, StrictStr]] = None


McpServerConfig = Union[McpStdioServer, McpRemoteServer]
McpServerEntry = Union[
    Annotated[StrictStr, Field(min_length=1)],
    Annotated[dict[str, McpServerConfig], Field(min_length=1)],
]


# ---- the agent -----------------------------------------------------------------------------


class AgentDefinition(BaseModel):
    """A Claude Code subagent: the frontmatter fields plus the body (its system prompt)."""

    model_config = ConfigDict(
        extra="allow",
        title="Claude Code agent definition",
        json_schema_extra={
            "description": (
                "YAML frontmatter of a Claude Code subagent file (.claude/agents/*.md), "
                f"as read by Claude Code {vocab.CLAUDE_CODE_VERSION}. Only name and description are "
                "required. Claude Code ignores keys it does not know."
            )
        },
    )

    name: StrictStr = Field(
        min_length=1,
        pattern=r"^[^-:][^:]*$",
        description="Unique identifier: lowercase letters, digits and hyphens. Must not contain ':' or start with '-'.",
    )
    description: StrictStr = Field(
        min_length=1, description="When Claude should delegate to this agent ('Use this agent when…', 'use proactively')."
    )
    tools: Optional[ToolList] = Field(
        default=None,
        description="Allowlist: a comma-separated string or a list of tool names (`Read`, `mcp__server__tool`, `Agent(x)`). Omitted: every tool.",
    )
    disallowedTools: Optional[ToolList] = Field(
        default=None, description="Denylist, a comma-separated string or a list; applied before `tools`."
    )
    model: Optional[StrictStr] = Field(
        default=None,
        min_length=1,
        description=f"{', '.join(vocab.MODEL_ALIASES)}, or a full model id such as `{vocab.ALIAS_TARGETS['sonnet']}`. Default: inherit.",
    )
    permissionMode: Optional[PermissionMode] = Field(
        default=None, description="Permission mode of the agent (ignored in plugin agents)."
    )
    maxTurns: Optional[StrictInt] = Field(default=None, ge=1, description="Maximum number of agentic turns.")
    skills: Optional[list[Annotated[StrictStr, Field(min_length=1)]]] = Field(
        default=None, description="Names of skills whose full content is preloaded into the agent."
    )
    mcpServers: Optional[list[McpServerEntry]] = Field(
        default=None,
        description="Names of configured MCP servers, or {name: config} maps in the .mcp.json form (ignored in plugin agents).",
    )
    hooks: Optional[dict[HookEvent, list[HookMatcher]]] = Field(
        default=None,
        description="Hooks scoped to this agent: event -> [{matcher, hooks: [{type, ...}]}] (ignored in plugin agents).",
    )
    memory: Optional[Memory] = Field(
        default=None, description="Persistent memory scope; also grants Read, Write and Edit."
    )
    background: Optional[StrictBool] = Field(default=None, description="Always run this agent in the background.")
    effort: Optional[Union[Effort, StrictInt]] = Field(default=None, description="Reasoning effort (depends on the model).")
    isolation: Optional[Isolation] = Field(default=None, description="Run the agent in a temporary git worktree.")
    color: Optional[Color] = Field(default=None, description="Color of the agent in the Claude Code interface.")
    initialPrompt: Optional[StrictStr] = Field(
        default=None, description="First user turn, submitted automatically when the agent runs as the main session (`claude --agent`)."
    )
    body: str = Field(default="", exclude=True, description="The system prompt (the Markdown after the frontmatter).")

    @classmethod
    def from_fields(cls, fields: dict[str, Any], body: str = "") -> "AgentDefinition":
        """Build the model from loaded frontmatter values, dropping invalid optional fields
        as Claude Code ignores them.  ``name``/``description`` must be valid."""
        data = {str(k): v for k, v in fields.items()}
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


# ---- JSON Schema -------------------------------------------------------------------------


def _not_nullable(obj: Any) -> Any:
    """Optional fields may be omitted, not written as null: drop pydantic's ``anyOf [X, null]``
    so that validation errors point into X (a bad hook, not "not valid under any schema")."""
    if isinstance(obj, dict):
        props = obj.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                branches = prop.get("anyOf")
                if isinstance(branches, list) and {"type": "null"} in branches:
                    rest = [b for b in branches if b != {"type": "null"}]
                    prop.pop("anyOf")
                    prop.pop("default", None)
                    if len(rest) == 1:
                        prop.update(rest[0])
                    else:
                        prop["anyOf"] = rest
                if prop.get("default", 0) is None:
                    prop.pop("default")
        for value in obj.values():
            _not_nullable(value)
    elif isinstance(obj, list):
        for value in obj:
            _not_nullable(value)
    return obj


def _drop_property_titles(obj: Any) -> Any:
    """pydantic titles every property after its name ("Maxturns"): noise in editors.  Its
    OpenAPI ``discriminator`` keyword goes too: JSON Schema has none (``oneOf`` + ``const`` says it)."""
    if isinstance(obj, dict):
        if isinstance(obj.get("discriminator"), dict) and "propertyName" in obj["discriminator"]:
            del obj["discriminator"]
        props = obj.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                if isinstance(prop, dict):
                    prop.pop("title", None)
        for value in obj.values():
            _drop_property_titles(value)
    elif isinstance(obj, list):
        for value in obj:
            _drop_property_titles(value)
    return obj


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an agent file's frontmatter."""
    schema = AgentDefinition.model_json_schema(mode="validation")
    schema["properties"].pop("body", None)
    schema = _drop_property_titles(_not_nullable(schema))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "x-claude-code-version": vocab.CLAUDE_CODE_VERSION,
        **schema,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
