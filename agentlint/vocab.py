"""Value sets that change with Claude Code releases, kept as data in one place.

Taken from Claude Code 2.1.332 and its documentation snapshot of 2026-08-22
(``research/spec.md`` §1.3-1.7 and ``research/runtime.md`` §1.5).  Users extend the tool and
model sets in configuration (``extra-tools``, ``extra-models``) for their MCP servers and gateways.
"""

from __future__ import annotations

CLAUDE_CODE_VERSION = "2.1.332"

# The frontmatter fields Claude Code reads from an agent file (camelCase as written).
FIELDS = (
    "name", "description", "tools", "disallowedTools", "model", "permissionMode", "maxTurns",
    "skills", "mcpServers", "hooks", "memory", "background", "effort", "isolation", "color",
    "initialPrompt",
)

# Fields Claude Code ignores in an agent shipped by a plugin.
PLUGIN_IGNORED_FIELDS = ("hooks", "mcpServers", "permissionMode")

# Known near-misses that silently change behaviour: written key -> the key meant.
KEY_NEAR_MISSES = {
    "allowed-tools": "tools",
    "allowedTools": "tools",
    "allowed_tools": "tools",
    "tool": "tools",
    "disallowed-tools": "disallowedTools",
    "disallowed_tools": "disallowedTools",
    "disallowedtools": "disallowedTools",
    "deniedTools": "disallowedTools",
    "permission-mode": "permissionMode",
    "permission_mode": "permissionMode",
    "permissionmode": "permissionMode",
    "max-turns": "maxTurns",
    "max_turns": "maxTurns",
    "maxturns": "maxTurns",
    "mcp-servers": "mcpServers",
    "mcp_servers": "mcpServers",
    "mcpservers": "mcpServers",
    "initial-prompt": "initialPrompt",
    "initial_prompt": "initialPrompt",
    "descripton": "description",
    "desription": "description",
    "decription": "description",
    "descriptions": "description",
    "Description": "description",
    "Name": "name",
    "Tools": "tools",
    "Model": "model",
    "colour": "color",
    "models": "model",
}

MODEL_ALIASES = ("sonnet", "opus", "haiku", "fable", "inherit")
# Accepted by --model and so by the field, but unusual in an agent file.
MODEL_EXTRA_ALIASES = ("best", "sonnet[1m]", "opus[1m]", "opusplan", "default")

# Model ids, from the anthropic SDK 2.14.0 model literal (``types/model.py``) and its
# deprecation table (``_data/deprecated_models.py``): id -> end-of-life date, None when current.
MODEL_IDS: dict[str, str | None] = {
    "claude-fable-5-2": None, "claude-mythos-5-2": None, "claude-haiku-5-5": None,
    "claude-sonnet-5-5": None, "claude-fable-5-1": None, "claude-opus-5-5": None,
    "claude-mythos-5-1": None, "claude-sonnet-5": None, "claude-fable-5": None,
    "claude-mythos-5": None, "claude-opus-5": None, "claude-opus-4-8": None, "claude-opus-4-7": None,
    "claude-mythos-preview": "2026-06-30", "claude-opus-4-6": None, "claude-sonnet-4-6": None,
    "claude-haiku-4-5": None, "claude-haiku-4-5-20251001": None,
    "claude-opus-4-5": "2027-01-22", "claude-opus-4-5-20251101": "2027-01-22",
    "claude-sonnet-4-5": "2026-11-30", "claude-sonnet-4-5-20250929": "2026-11-30",
}
# Earlier published ids that the current SDK no longer lists: real, but no longer offered.
RETIRED_MODEL_IDS = (
    "claude-opus-4-1", "claude-opus-4-1-20250805", "claude-opus-4", "claude-opus-4-0",
    "claude-opus-4-20250514", "claude-sonnet-4", "claude-sonnet-4-0", "claude-sonnet-4-20250514",
    "claude-3-7-sonnet-20250219", "claude-3-7-sonnet-latest", "claude-3-5-sonnet-20241022",
    "claude-3-5-sonnet-20240620", "claude-3-5-sonnet-latest", "claude-3-5-haiku-20241022",
    "claude-3-5-haiku-latest", "claude-3-opus-20240229", "claude-3-sonnet-20240229",
    "claude-3-haiku-20240307",
)
# Claude Code's alias table for the first-party API (CLI 2.1.332 model catalog).
ALIAS_TARGETS = {
    "sonnet": "claude-sonnet-5-5", "opus": "claude-opus-5-5", "haiku": "claude-haiku-5-5",
    "fable": "claude-fable-5-2",
}

# The documented palette (palette updated in 2.1.140).
COLORS = ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan")

PERMISSION_MODES = ("default", "acceptEdits", "auto", "dontAsk", "bypassPermissions", "plan", "manual")
EFFORTS = ("low", "medium", "high", "xhigh", "max")
MEMORY_SCOPES = ("user", "project", "local")
ISOLATIONS = ("worktree",)

# Built-in tools (tools reference table, 44 names).
TOOLS = (
    "Agent", "Artifact", "AskUserQuestion", "Bash", "CronCreate", "CronDelete", "CronList", "Edit",
    "EndConversation", "EnterPlanMode", "EnterWorktree", "ExitPlanMode", "ExitWorktree", "Glob",
    "Grep", "ListAgents", "ListMcpResourcesTool", "LSP", "Monitor", "NotebookEdit", "PowerShell",
    "PushNotification", "Read", "ReadMcpResourceTool", "RemoteTrigger", "ReportFindings",
    "ScheduleWakeup", "SendMessage", "SendUserFile", "ShareOnboardingGuide", "Skill", "TaskCreate",
    "TaskGet", "TaskList", "TaskOutput", "TaskStop", "TaskUpdate", "TodoWrite", "ToolSearch",
    "WaitForMcpServers", "WebFetch", "WebSearch", "Workflow", "Write",
)
# Still accepted: the old name of Agent.
TOOL_ALIASES = {"Task": "Agent"}

# Retired names -> successor (None: no direct successor).
LEGACY_TOOLS: dict[str, str | None] = {
    "MultiEdit": "Edit",
    "LS": "Glob",
    "NotebookRead": "Read",
    "BashOutput": "TaskOutput",
    "AgentOutputTool": "TaskOutput",
    "KillShell": "TaskStop",
    "KillBash": "TaskStop",
    "MCPSearch": "ToolSearch",
    "TeamCreate": None,
    "TeamDelete": None,
}

# Never given to a subagent, even when listed.
SUBAGENT_UNAVAILABLE_TOOLS = (
    "AskUserQuestion", "EndConversation", "EnterPlanMode", "ExitPlanMode", "ScheduleWakeup",
    "TaskOutput", "WaitForMcpServers", "Workflow",
)

# Tools whose permission-rule specifier ``Tool(...)`` means something (everything but Agent/Task
# ignores it in ``tools``).
SPECIFIER_TOOLS_HONOURED = ("Agent", "Task")

HOOK_EVENTS = (
    "SessionStart", "Setup", "UserPromptSubmit", "UserPromptExpansion", "PreToolUse",
    "PermissionRequest", "PermissionDenied", "PostToolUse", "PostToolUseFailure", "PostToolBatch",
    "Notification", "MessageDisplay", "SubagentStart", "SubagentStop", "TaskCreated",
    "TaskCompleted", "Stop", "StopFailure", "TeammateIdle", "InstructionsLoaded", "ConfigChange",
    "CwdChanged", "DirectoryAdded", "FileChanged", "WorktreeCreate", "WorktreeRemove", "PreCompact",
    "PostCompact", "Elicitation", "ElicitationResult", "SessionEnd",
)
HOOK_TYPES = ("command", "http", "mcp_tool", "prompt", "agent")
MCP_SERVER_TYPES = ("stdio", "http", "sse", "ws")

BUILTIN_AGENTS = ("general-purpose", "Explore", "Plan", "statusline-setup", "claude")

# Documentation files Claude Code passes over in an agents folder.
DOC_FILE_STEMS = ("readme", "changelog", "contributing", "license", "code_of_conduct", "security")

# Claude Code warns when all agent descriptions together pass about this many tokens.
DESCRIPTION_BUDGET_TOKENS = 15_000
