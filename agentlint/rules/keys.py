"""AL5xx: keys and structure.

Unknown keys (AL501) and plugin-ignored keys (AL505) are checked here; wrong types and shapes
(AL502-AL504) come from the JSON Schema validation in :mod:`agentlint.schema_check`.
"""

from __future__ import annotations

import functools
import json
import os
import re
from typing import Any, Iterator, Optional

from .. import schema_check, vocab
from ..diagnostics import Severity
from .base import FileContext, Finding, Rule, did_you_mean


def _schema_findings(ctx: FileContext, code: str) -> Iterator[Finding]:
    for issue in schema_check.issues_for(ctx, code):
        yield Finding(issue.start, issue.end, issue.message, severity=issue.severity)


# What happens when the key meant is missing because a near miss was written instead.
_NEAR_MISS_EFFECTS = {
    "tools": "Claude Code ignores it and grants every tool",
    "disallowedTools": "Claude Code ignores it and denies nothing",
    "permissionMode": "Claude Code ignores it and the agent runs in the session's permission mode",
    "maxTurns": "Claude Code ignores it and sets no turn limit",
    "mcpServers": "Claude Code ignores it and connects none of these servers",
    "skills": "Claude Code ignores it and preloads no skills",
    "hooks": "Claude Code ignores it and runs none of these hooks",
    "model": "Claude Code ignores it and the agent runs on the inherited model",
    "description": "Claude Code finds no description and skips the agent",
    "name": "Claude Code finds no name and skips the file",
    "initialPrompt": "Claude Code ignores it and submits no first turn",
}


_SEPARATORS = re.compile(r"[\s_-]+")
_FIELD_SET = frozenset(vocab.FIELDS)


def _norm(key: str) -> str:
    return _SEPARATORS.sub("", key).lower()


_FIELDS_BY_NORM = {_norm(f): f for f in vocab.FIELDS}


def intended_key(key: str) -> Optional[str]:
    """The agent field a near-miss key stands for (`allowed-tools` -> `tools`), or None."""
    if key in vocab.FIELDS:
        return None
    if key in vocab.KEY_NEAR_MISSES:
        return vocab.KEY_NEAR_MISSES[key]
    return _FIELDS_BY_NORM.get(_norm(key))


def _show(key: str) -> str:
    key = key.replace("\n", "\\n")
    return key if len(key) <= 40 else key[:39] + "…"


class UnknownKey(Rule):
    """## What it does
    Reports frontmatter keys that are not Claude Code agent fields (`name`, `description`,
    `tools`, `disallowedTools`, `model`, `permissionMode`, `maxTurns`, `skills`, `mcpServers`,
    `hooks`, `memory`, `background`, `effort`, `isolation`, `color`, `initialPrompt`).

    A known near miss of a field (`allowed-tools`, `allowedTools`, `disallowed-tools`,
    `permission-mode`, `max_turns`, `mcp-servers`, `descripton`, a different case or
    separator) is an **error**: Claude Code ignores it, so the setting silently does not
    apply (`allowed-tools` grants every tool). Other unknown keys are warnings, naming the
    tool they belong to where that is clear (OpenCode's `mode`, Copilot's `handoffs`).

    Keys you keep on purpose as metadata for other tools (`category`, `emoji`, ...) can be
    allowed in the configuration:
    ```toml
    [tool.agentlint.rules.AL501]
    extra-keys = ["category", "emoji"]
    ```

    ## Why is this bad?
    Claude Code ignores keys it does not know, without a word. A misspelt field means the
    restriction or setting the author wrote is not there.

    ## Example
    ```yaml
    allowed-tools: Read, Grep
    ```
    Use instead:
    ```yaml
    tools: Read, Grep
    ```

    ## Fix
    Unsafe: a near miss is renamed to the field it stands for (this changes what the agent
    may do: that is the point).
    """

    code = "AL501"
    name = "unknown-key"
    severity = Severity.WARNING
    summary = "a key Claude Code ignores (an error for near misses of real fields, like `allowed-tools`)"
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        fm = ctx.fm
        if fm is None or fm.root_kind != "mapping":
            return
        unknown = [e for e in fm.entries if e.key not in _FIELD_SET]
        if not unknown:
            return
        allowed = ctx.config.option(self.code, "extra-keys", [])
        allowed = {k for k in allowed if isinstance(k, str)} if isinstance(allowed, list) else set()
        from .description import description_continuation

        stray = {id(x) for x in description_continuation(fm)}  # description lines made keys: AL207
        for e in unknown:
            key = e.key
            if key in allowed or id(e) in stray:
                continue
            intended = intended_key(key)
            if intended is not None:
                yield self._near_miss(ctx, e, intended)
            else:
                yield Finding(e.key_start, e.key_end, self._unknown_message(key))

    def _near_miss(self, ctx: FileContext, e: Any, intended: str) -> Finding:
        key = _show(e.key)
        other = ctx.entry(intended)
        origin = vocab.FOREIGN_KEYS.get(e.key)
        spelling = f" (a key of {origin[0]} files)" if origin else ""
        if other is not None:
            line = ctx.doc.line_col(other.key_start)[0]
            return Finding(
                e.key_start,
                e.key_end,
                f"`{key}`{spelling} is not an agent field and `{intended}` is already set on line {line}: Claude Code ignores this key; remove it",
                severity=Severity.WARNING,
            )
        if not schema_check.type_fits(intended, e.value):
            # `skill: true` is not a list of skills: probably not meant as the field.
            return Finding(
                e.key_start,
                e.key_end,
                f"`{key}`{spelling} is not a Claude Code agent field: Claude Code ignores it "
                f"(`{intended}` is the field, but it takes {schema_check.FIELD_SHAPES.get(intended, 'another type')})",
                severity=Severity.WARNING,
            )
        effect = _NEAR_MISS_EFFECTS.get(intended, "Claude Code ignores it")
        fix = ctx.fix(f"rename `{key}` to `{intended}`", e.key_start, e.key_end, intended, safe=False)
        return Finding(e.key_start, e.key_end, f"`{key}`{spelling} is not an agent field: {effect}; write `{intended}`", severity=Severity.ERROR, fix=fix)

    @staticmethod
    def _unknown_message(key: str) -> str:
        shown = _show(key)
        if key in vocab.FOREIGN_KEYS:
            fmt, instead = vocab.FOREIGN_KEYS[key]
            return f"`{shown}` is a key of {fmt} files, not a Claude Code agent field: Claude Code ignores it" + (f"; {instead}" if instead else "")
        if key in vocab.METADATA_KEY_HINTS:
            return f"`{shown}` is not a Claude Code agent field: Claude Code ignores it; {vocab.METADATA_KEY_HINTS[key]}"
        guess = did_you_mean(key, vocab.FIELDS, cutoff=0.8) if len(key) <= schema_check.MAX_SUGGEST_LENGTH else None
        if guess:
            return f"`{shown}` is not a Claude Code agent field (did you mean `{guess}`?): Claude Code ignores it"
        return (
            f"`{shown}` is not a Claude Code agent field: Claude Code ignores it (if it is metadata for another tool, "
            "add it to the `extra-keys` option of AL501: see `agentlint rule AL501`)"
        )


class WrongType(Rule):
    """## What it does
    Checks the type of `tools`, `disallowedTools` and `model` (and of any other field no other
    rule covers): `tools` is a comma-separated string or a list of names, `model` a string.

    ## Why is this bad?
    Claude Code ignores a value of the wrong type: a `tools` mapping (OpenCode's form) or a
    number grants every tool; a list of models (GitHub Copilot's form) falls back to the
    inherited model.

    ## Example
    ```yaml
    tools:
      read: true
      bash: false
    ```
    Use instead:
    ```yaml
    tools: Read
    ```
    """

    code = "AL502"
    name = "wrong-type"
    severity = Severity.ERROR
    summary = "a known key with a value of the wrong type"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        yield from _schema_findings(ctx, self.code)


class InvalidHooks(Rule):
    """## What it does
    Checks the shape of `hooks`: a map of hook events (`PreToolUse`, `PostToolUse`, `Stop`, ...)
    to lists of `{matcher?, hooks: [{type, ...}]}`, where each handler has a known `type`
    (`command`, `http`, `mcp_tool`, `prompt`, `agent`) and the field that type needs
    (`command`, `url`, `server` and `tool`, `prompt`).

    ## Why is this bad?
    Claude Code does not run a hook it cannot read: an event name with the wrong case, a
    handler written directly under the event, or a missing `command` silently disables the
    guard the author meant to add.

    ## Example
    ```yaml
    hooks:
      PreToolUse:
        - matcher: Bash
          type: command
          command: ./check.sh
    ```
    Use instead:
    ```yaml
    hooks:
      PreToolUse:
        - matcher: Bash
          hooks:
            - type: command
              command: ./check.sh
    ```
    """

    code = "AL503"
    name = "invalid-hooks"
    severity = Severity.ERROR
    summary = "`hooks` is not a map of known events to `[{matcher?, hooks: [{type, …}]}]`"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        yield from _schema_findings(ctx, self.code)


class InvalidMcpServersOrSkills(Rule):
    """## What it does
    Checks `mcpServers` (a list whose items are names of configured servers or
    `{name: config}` maps in the `.mcp.json` form) and `skills` (a list of skill names).

    ## Why is this bad?
    Claude Code connects no server and preloads no skill it cannot read. A `mcpServers`
    mapping (the form Gemini CLI and `.mcp.json` use) is not a list.

    ## Example
    ```yaml
    mcpServers:
      github:
        command: gh-mcp
    ```
    Use instead:
    ```yaml
    mcpServers:
      - github:
          command: gh-mcp
    ```
    """

    code = "AL504"
    name = "invalid-mcp-servers-or-skills"
    severity = Severity.ERROR
    summary = "`mcpServers` or `skills` of the wrong shape"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        yield from _schema_findings(ctx, self.code)


# ---- plugins ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _nearest_plugin(directory: str) -> Optional[str]:
    """The nearest folder at or above ``directory`` with ``.claude-plugin/plugin.json``."""
    if os.path.isfile(os.path.join(directory, ".claude-plugin", "plugin.json")):
        return directory
    parent = os.path.dirname(directory)
    if not parent or parent == directory:
        return None
    return _nearest_plugin(parent)


@functools.lru_cache(maxsize=1024)
def _plugin_agent_paths(root: str) -> tuple[str, ...]:
    """Where a plugin's agents are: the manifest's ``agents`` paths, which replace ``agents/``."""
    default = (os.path.join(root, "agents"),)
    try:
        with open(os.path.join(root, ".claude-plugin", "plugin.json"), encoding="utf-8") as fh:
            manifest = json.load(fh)
    except (OSError, ValueError):
        return default
    agents = manifest.get("agents") if isinstance(manifest, dict) else None
    if isinstance(agents, str):
        agents = [agents]
    if not isinstance(agents, list) or not agents or not all(isinstance(a, str) for a in agents):
        return default
    return tuple(os.path.normpath(os.path.join(root, a)) for a in agents)


def plugin_of(path: str) -> Optional[str]:
    """The root folder of the plugin that ships the agent file at ``path``, if any."""
    try:
        full = os.path.abspath(path)
    except (OSError, ValueError):
        return None
    root = _nearest_plugin(os.path.dirname(full))
    if root is None:
        return None
    for place in _plugin_agent_paths(root):
        if full == place or full.startswith(place.rstrip(os.sep) + os.sep):
            return root
    return None


_PLUGIN_ADVICE = {
    "hooks": "these hooks never run; put them in the plugin's hooks/hooks.json",
    "mcpServers": "these servers are not connected; declare them in the plugin's .mcp.json",
    "permissionMode": "the agent runs in the session's permission mode",
}


class PluginIgnoredKey(Rule):
    """## What it does
    Reports `hooks`, `mcpServers` and `permissionMode` in an agent shipped by a plugin: a file
    under a plugin's `agents/` folder (or the folders its `.claude-plugin/plugin.json` lists in
    `agents`).

    ## Why is this bad?
    Claude Code ignores these three fields in plugin agents, for security: the hooks do not
    run, the servers are not started, and the permission mode is not applied.

    ## Example
    ```yaml
    # my-plugin/agents/deployer.md
    permissionMode: bypassPermissions
    ```
    Use instead: remove the field; ship hooks in `hooks/hooks.json` and servers in `.mcp.json`
    at the plugin's root.
    """

    code = "AL505"
    name = "plugin-ignored-key"
    severity = Severity.WARNING
    summary = "`hooks`, `mcpServers` or `permissionMode` in a plugin's agent, where Claude Code ignores them"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        present = [k for k in vocab.PLUGIN_IGNORED_FIELDS if ctx.entry(k) is not None]
        if not present:
            return
        root = plugin_of(ctx.agent.path)
        if root is None:
            return
        plugin = os.path.basename(root.rstrip(os.sep)) or root
        for key in present:
            e = ctx.entry(key)
            yield Finding(
                e.key_start,
                e.key_end,
                f"Claude Code ignores `{key}` in an agent shipped by a plugin (`{plugin}`): {_PLUGIN_ADVICE.get(key, 'it has no effect')}",
            )
