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
    "skill": "skills",
    "hook": "hooks",
    "mcp": "mcpServers",
    "mcp_server": "mcpServers",
    "mcpServer": "mcpServers",
    "permissions-mode": "permissionMode",
    "maxturn": "maxTurns",
    "initialprompt": "initialPrompt",
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
DOC_FILE_STEMS = ("readme", "changelog", "contributing", "license")

# Claude Code warns when all agent descriptions together pass about this many tokens.
DESCRIPTION_BUDGET_TOKENS = 15_000

# ---- name and description (AL1xx, AL2xx) -------------------------------------------------------

# The documented shape of a `name`: lowercase letters and digits in hyphen-separated words.
NAME_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
NAME_MAX_LENGTH = 64
# File names that say nothing about the agent (`<agent-name>/agent.md`): its folder is its name.
GENERIC_AGENT_FILE_STEMS = ("agent", "index")

# Description length limits (AL203 defaults; `[rules.AL203]` max-length / max-length-with-examples).
DESCRIPTION_MAX_LENGTH = 1024
DESCRIPTION_MAX_LENGTH_WITH_EXAMPLES = 5000

# Phrases that tell Claude *when* to delegate (AL204), as case-insensitive regular expressions.
# Generous on purpose: any of them is enough.
TRIGGER_PATTERNS = (
    r"\buse[ds]?\s+(?:this|the|me|it|them|when|whenever|for|after|before|during|proactively|immediately|if|on|to|in|as|once|while|with)\b",
    r"\busing\s+(?:this|the)\s+(?:agent|subagent)\b",
    r"\bproactive(?:ly)?\b",
    r"\b(?:must|should|can|may)\s+be\s+(?:used|invoked|called|delegated|triggered|spawned)\b",
    r"\binvok(?:e|es|ed|ing)\b",
    r"\btrigger(?:s|ed|ing)?\b",
    r"\bactivat(?:e|es|ed|ing)\s+(?:for|when|on|if|after|before|whenever|during)\b",
    r"\bcall(?:s|ed)?\s+(?:this|it|me|when|for|after|before|whenever|on)\b",
    r"\bdelegat(?:e|es|ed|ing|ion)\b",
    r"\bspawned\s+(?:by|when|for|after|from)\b",
    r"\bwhen(?:ever)?\b",
    r"\b(?:ideal|best|perfect|great|recommended|good|useful|helpful|suited|designed|intended|meant)\s+(?:for|when|to)\b",
    r"\bif\s+(?:you|the\s+user|a\s+user|users|asked|needed)\b",
    r"<example\b",
    r"\bexamples?\s*:",
)

# Inside an `<example>` block (AL211-AL214), case-insensitive regular expressions.
EXAMPLE_USER_PATTERNS = (r"\b(?:user|human)\s*:", r"<(?:user|human)[\w-]*>")
EXAMPLE_ASSISTANT_PATTERNS = (r"\b(?:assistant|claude|agent|ai)\s*:", r"<(?:assistant|response)[\w-]*>")
EXAMPLE_CONTEXT_PATTERNS = (r"\bcontext\s*:", r"<context>")
EXAMPLE_COMMENTARY_PATTERNS = (r"<commentary\b",)
# Speaker labels that are not the user's turn when an example names its user (`Daisy: "…"`).
EXAMPLE_NON_USER_SPEAKERS = (
    "assistant", "claude", "agent", "ai", "context", "commentary", "example", "examples", "note",
    "notes", "output", "result", "response", "reason", "why", "task", "outcome",
)

# Lines of a multi-line description that Claude Code's quoting repair turns into stray keys
# (AL207), written at column 0 after `description:`: the speakers of an example (any text after
# them is an utterance) and labels (text only when followed by prose or nothing, since
# `context: fork` or `examples: [...]` may be real custom keys).
DESCRIPTION_SPEAKER_KEYS = ("user", "assistant", "human", "claude", "ai")
DESCRIPTION_TURN_KEYS = DESCRIPTION_SPEAKER_KEYS + (
    "context", "example", "examples", "commentary", "note", "notes", "response", "output", "input",
    "result",
)

# ---- tools and disallowedTools (AL4xx) --------------------------------------------------------

# MCP tool references: `mcp__<server>`, `mcp__<server>__<tool>`, `mcp__<server>__*`.  Claude Code
# turns every other character of a server or tool name into `_`, so only these can ever match.
MCP_NAME_CHARS = r"[A-Za-z0-9_-]"

# GitHub Copilot (VS Code) tool and tool-set names that turn up in Claude agent files, mapped to
# the closest Claude Code tool (None: no counterpart).  Claude Code matches none of them.
COPILOT_TOOLS: dict[str, str | None] = {
    "codebase": "Grep", "search": "Grep", "textSearch": "Grep", "searchResults": "Grep",
    "usages": "Grep", "fileSearch": "Glob", "listDirectory": "Glob", "findTestFiles": "Glob",
    "read": "Read", "readFile": "Read", "viewImage": "Read",
    "edit": "Edit", "editFiles": "Edit", "createFile": "Write", "createDirectory": "Bash",
    "editNotebook": "NotebookEdit", "newJupyterNotebook": "NotebookEdit",
    "execute": "Bash", "runCommands": "Bash", "runInTerminal": "Bash", "terminalCommand": "Bash",
    "shell": "Bash", "runTests": "Bash", "runTasks": "Bash", "runTask": "Bash",
    "createAndRunTask": "Bash", "getTerminalOutput": "Bash", "awaitTerminal": "Bash",
    "killTerminal": "Bash", "getTaskOutput": "Bash",
    "fetch": "WebFetch", "web": "WebFetch", "web_fetch": "WebFetch", "githubRepo": "WebFetch",
    "web_search": "WebSearch",
    "todo": "TodoWrite", "todos": "TodoWrite",
    "agent": "Agent", "runSubagent": "Agent",
    "askQuestions": "AskUserQuestion",
    "problems": None, "changes": None, "testFailure": None, "openSimpleBrowser": None,
    "extensions": None, "installExtension": None, "new": None, "newWorkspace": None,
    "getProjectSetupInfo": None, "runCommand": None, "runVscodeCommand": None, "vscodeAPI": None,
    "terminalLastCommand": None, "terminalSelection": None, "vscode": None, "think": None,
    "runNotebooks": None, "runNotebookCell": None, "readCellOutput": None,
    "readNotebookCellOutput": None, "getNotebookSummary": None, "updateUserPreferences": None,
    "memory": None, "renderMermaidDiagram": None, "activePullRequest": None,
    "copilotCodingAgent": None, "browser": None, "configurePythonEnvironment": None,
    "getPythonEnvironmentInfo": None, "getPythonExecutableCommand": None,
    "installPythonPackage": None,
}
# Copilot's built-in tool sets, the first part of a `set/tool` reference (`edit/editFiles`).
COPILOT_TOOL_SETS = (
    "edit", "execute", "read", "search", "vscode", "web", "agent", "todo", "runCommands", "runTasks",
    "runNotebooks",
)

# ---- the body (AL6xx) ------------------------------------------------------------------------

BODY_MIN_CHARS = 20  # AL602
BODY_MAX_BYTES = 100_000  # AL604 default, `[rules.AL604] max-bytes`

# ---- settings and keys (AL3xx, AL5xx) ----------------------------------------------------------

# Permission modes that older docs listed and Claude Code no longer accepts (AL304).
LEGACY_PERMISSION_MODES = ("ignore",)

# Provider forms of a model id that Claude Code passes through (AL301): Bedrock inference
# profiles and model ids (`us.anthropic.claude-…-v1:0`), Bedrock ARNs, Vertex ids (`claude-…@date`).
BEDROCK_MODEL_PATTERN = r"^(?:(?:us|eu|apac|global|us-gov|jp|au|ca)\.)?anthropic\.(claude-[a-z0-9.-]+?)(?:-v\d+(?::\d+)?)?$"
BEDROCK_ARN_PATTERN = r"^arn:aws(?:-[a-z]+)*:bedrock:[a-z0-9-]*:\d*:(?:inference-profile|application-inference-profile|foundation-model|provisioned-model|custom-model)/\S+$"
VERTEX_MODEL_PATTERN = r"^(claude-[a-z0-9-]+)@\d{8}$"

# Names that are not palette colors, mapped to the palette color they are closest to (AL303).
COLOR_SYNONYMS = {
    "teal": "cyan", "turquoise": "cyan", "aqua": "cyan", "aquamarine": "cyan",
    "magenta": "pink", "fuchsia": "pink", "rose": "pink", "hotpink": "pink", "salmon": "pink",
    "violet": "purple", "indigo": "purple", "lavender": "purple", "lilac": "purple", "plum": "purple",
    "amber": "orange", "coral": "orange", "tangerine": "orange", "brown": "orange",
    "gold": "yellow", "golden": "yellow", "lemon": "yellow",
    "lime": "green", "emerald": "green", "mint": "green", "olive": "green", "jade": "green",
    "navy": "blue", "sky": "blue", "azure": "blue", "cobalt": "blue", "royal": "blue",
    "crimson": "red", "scarlet": "red", "maroon": "red", "ruby": "red", "burgundy": "red",
}
# Hue (degrees) of each palette color, to name the one nearest a hex color.
COLOR_HUES = {
    "red": 0, "orange": 30, "yellow": 55, "green": 140, "cyan": 187, "blue": 220, "purple": 270, "pink": 325,
}

# Keys of other agent formats that turn up in Claude Code agent files (AL501): key -> (format,
# what Claude Code offers instead, or None).  Claude Code ignores all of them.
FOREIGN_KEYS: dict[str, tuple[str, str | None]] = {
    # OpenCode
    "mode": ("OpenCode", "every file in .claude/agents is a subagent"),
    "temperature": ("OpenCode", "there is no temperature setting"),
    "top_p": ("OpenCode", None),
    "variant": ("OpenCode", None),
    "prompt": ("OpenCode", "the system prompt is the Markdown after the frontmatter"),
    "permission": ("OpenCode", "use `tools`, `disallowedTools` or `permissionMode`"),
    "permissions": ("OpenCode", "use `tools`, `disallowedTools` or `permissionMode`"),
    "steps": ("OpenCode", "the turn limit is `maxTurns`"),
    "maxSteps": ("OpenCode", "the turn limit is `maxTurns`"),
    "disable": ("OpenCode", None),
    "hidden": ("OpenCode", None),
    "hidden_from_cycle": ("OpenCode", None),
    "options": ("OpenCode", None),
    "subagents": ("OpenCode", "restrict spawnable agents with `Agent(name, …)` in `tools`"),
    # GitHub Copilot / VS Code custom agents
    "target": ("GitHub Copilot", None),
    "infer": ("GitHub Copilot", None),
    "handoffs": ("GitHub Copilot", None),
    "agents": ("GitHub Copilot", "restrict spawnable agents with `Agent(name, …)` in `tools`"),
    "metadata": ("GitHub Copilot", None),
    "argument-hint": ("GitHub Copilot and SKILL.md", None),
    "user-invocable": ("GitHub Copilot and SKILL.md", None),
    "user-invokable": ("GitHub Copilot", None),
    "disable-model-invocation": ("GitHub Copilot and SKILL.md", None),
    "mcp-servers": ("GitHub Copilot", None),
    # Agent Skills (SKILL.md) and Claude Code skills
    "allowed-tools": ("SKILL.md", None),
    "when_to_use": ("SKILL.md", "put when to use the agent in `description`"),
    "license": ("SKILL.md", None),
    "compatibility": ("SKILL.md", None),
    "context": ("SKILL.md", None),
    "paths": ("SKILL.md", None),
    "arguments": ("SKILL.md", None),
    # Gemini CLI
    "kind": ("Gemini CLI", None),
    "max_turns": ("Gemini CLI", None),
    "timeout_mins": ("Gemini CLI", None),
    # Cursor
    "readonly": ("Cursor", "restrict `tools` (for example `Read, Grep, Glob`) instead"),
    "is_background": ("Cursor", "Claude Code's field is `background`"),
    # Codex
    "developer_instructions": ("Codex", "the system prompt is the Markdown after the frontmatter"),
    "model_reasoning_effort": ("Codex", "Claude Code's field is `effort`"),
    "sandbox_mode": ("Codex", None),
    "nickname_candidates": ("Codex", None),
    "mcp_servers": ("Codex", None),
}
# Keys people add for their own catalogues, with what Claude Code makes of them (AL501).
METADATA_KEY_HINTS: dict[str, str] = {
    "examples": "Claude never sees them: put `<example>` blocks in `description`",
    "example": "Claude never sees it: put `<example>` blocks in `description`",
    "instructions": "the system prompt is the Markdown after the frontmatter",
    "system_prompt": "the system prompt is the Markdown after the frontmatter",
    "systemPrompt": "the system prompt is the Markdown after the frontmatter",
    "max_iterations": "the turn limit is `maxTurns`",
    "maxIterations": "the turn limit is `maxTurns`",
    "enabled": "every agent file in the folder loads; to disable an agent, move its file out of the folder",
    "disabled": "every agent file in the folder loads; to disable an agent, move its file out of the folder",
    "timeout": "Claude Code has no per-agent timeout",
    "thinking": "reasoning depth is `effort`",
    "reasoning": "reasoning depth is `effort`",
    "reasoning_effort": "Claude Code's field is `effort`",
}
