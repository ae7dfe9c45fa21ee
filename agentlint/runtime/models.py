"""Model aliases: what an agent's ``model:`` value means on each provider.

The Anthropic table is data, as Claude Code 2.1.332 maps the aliases for the
first-party API. Aliases drift between Claude Code releases, so each one can be
overridden with Claude Code's own environment variable, and ``agentlint models``
prints the effective table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Optional

# As of Claude Code 2.1.332 (first-party API).
ANTHROPIC_ALIASES: dict[str, str] = {
    "sonnet": "claude-sonnet-5-5",
    "opus": "claude-opus-5-5",
    "haiku": "claude-haiku-5-5",
    "fable": "claude-fable-5-2",
}

# Main-session aliases that Claude Code also accepts; they resolve like these.
SYNONYMS: dict[str, str] = {"best": "opus", "opusplan": "opus"}

ENV_OVERRIDES: dict[str, str] = {
    alias: f"ANTHROPIC_DEFAULT_{alias.upper()}_MODEL" for alias in ANTHROPIC_ALIASES
}

DEFAULT_ALIAS = "sonnet"
INHERIT_VALUES = ("inherit", "")


class ModelError(Exception):
    """The model cannot be resolved for this provider (a usage error)."""


@dataclass(frozen=True)
class ResolvedModel:
    id: str
    requested: Optional[str]  # what the agent or flag asked for, e.g. "sonnet"
    source: str  # e.g. "--model", "agent model: sonnet", "ANTHROPIC_DEFAULT_SONNET_MODEL"

    def describe(self) -> str:
        if self.requested and self.requested != self.id:
            return f"{self.id} ({self.requested})"
        return self.id


def _canonical_alias(value: str) -> Optional[str]:
    """``sonnet``, ``Sonnet``, ``sonnet[1m]`` and ``best`` → the table's alias, else None."""
    key = value.strip().lower()
    if key.endswith("[1m]"):
        key = key[: -len("[1m]")]
    key = SYNONYMS.get(key, key)
    return key if key in ANTHROPIC_ALIASES else None


def alias_table(
    provider: str, env: Mapping[str, str], config_aliases: Optional[Mapping[str, str]] = None
) -> dict[str, tuple[Optional[str], str]]:
    """alias → (model id or None, where it comes from) for one provider."""
    table: dict[str, tuple[Optional[str], str]] = {}
    configured = {k.lower(): v for k, v in (config_aliases or {}).items()}
    for alias, default in ANTHROPIC_ALIASES.items():
        if alias in configured:
            table[alias] = (configured[alias], "config")
        elif provider == "openai":
            table[alias] = (None, "unmapped")
        elif env.get(ENV_OVERRIDES[alias]):
            table[alias] = (env[ENV_OVERRIDES[alias]], ENV_OVERRIDES[alias])
        else:
            table[alias] = (default, "Claude Code 2.1.332")
    for alias, target in configured.items():
        if alias not in table and alias != "default":
            table[alias] = (target, "config")
    return table


def default_request(
    provider: str, env: Mapping[str, str], config_aliases: Optional[Mapping[str, str]] = None
) -> tuple[str, str]:
    """What ``inherit`` or a missing ``model`` asks for, and why."""
    if config_aliases and config_aliases.get("default"):
        return config_aliases["default"], "config default"
    if provider != "openai" and env.get("ANTHROPIC_MODEL"):
        return env["ANTHROPIC_MODEL"], "ANTHROPIC_MODEL"
    return DEFAULT_ALIAS, "default"


def resolve_model(
    agent_model: Optional[str],
    *,
    provider: str,
    cli_model: Optional[str] = None,
    env: Mapping[str, str],
    config_aliases: Optional[Mapping[str, str]] = None,
) -> ResolvedModel:
    """``--model`` > the agent's ``model`` through the alias table > inherit/missing → default."""
    if cli_model:
        return _through_table(cli_model, "--model", provider, env, config_aliases)
    value = (agent_model or "").strip()
    if value.lower() in INHERIT_VALUES:
        requested, why = default_request(provider, env, config_aliases)
        label = "inherit" if value else "no model"
        return _through_table(requested, f"{label} -> {why}", provider, env, config_aliases)
    return _through_table(value, f"agent model: {value}", provider, env, config_aliases)


def _through_table(
    value: str,
    source: str,
    provider: str,
    env: Mapping[str, str],
    config_aliases: Optional[Mapping[str, str]],
) -> ResolvedModel:
    configured = {k.lower(): v for k, v in (config_aliases or {}).items()}
    if value.lower() in configured:
        return ResolvedModel(configured[value.lower()], value, f"{source} (config)")
    alias = _canonical_alias(value)
    if alias is None:
        return ResolvedModel(value, value, source)  # a full model id passes through
    model_id, origin = alias_table(provider, env, config_aliases)[alias]
    if model_id is None:
        raise ModelError(
            f"model alias '{value}' has no mapping for provider {provider}: pass --model "
            f"(e.g. --model qwen3-coder) or set {alias} = \"...\" under "
            f"[tool.agentlint.run.aliases.{provider}] in pyproject.toml"
        )
    return ResolvedModel(model_id, value, f"{source} ({origin})")
