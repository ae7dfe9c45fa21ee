"""Provider selection. Importing this package imports no SDK; each provider does, when used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Optional

from ..base import EXIT_USAGE, Provider, RunError

PROVIDERS = ("anthropic", "openai", "claude-code", "echo")


@dataclass
class ProviderOptions:
    base_url: Optional[str] = None
    retries: int = 2
    timeout: float = 600.0
    no_tools: bool = False
    max_tokens_given: bool = False
    interactive: bool = False


def choose_provider(explicit: Optional[str], env: Mapping[str, str], *, dry_run: bool) -> str:
    """``--provider`` > Anthropic credentials > OpenAI settings; nothing → a clear error."""
    if explicit:
        return explicit
    if env.get("ANTHROPIC_API_KEY") or env.get("ANTHROPIC_AUTH_TOKEN"):
        return "anthropic"
    if env.get("OPENAI_API_KEY") or env.get("OPENAI_BASE_URL"):
        return "openai"
    if dry_run:
        return "anthropic"
    raise RunError(
        "no provider configured: set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), or OPENAI_API_KEY / "
        "OPENAI_BASE_URL, or pick one with --provider; --dry-run shows the request without sending it",
        EXIT_USAGE,
    )


def make_provider(name: str, env: Mapping[str, str], options: ProviderOptions) -> Provider:
    if name == "anthropic":
        from .anthropic_messages import AnthropicProvider

        return AnthropicProvider(env=env, base_url=options.base_url, max_retries=options.retries,
                                 timeout=options.timeout)
    if name == "openai":
        from .openai_chat import OpenAIProvider

        return OpenAIProvider(env=env, base_url=options.base_url, max_retries=options.retries,
                              timeout=options.timeout, max_tokens_given=options.max_tokens_given)
    if name == "claude-code":
        from .claude_code import ClaudeCodeProvider

        return ClaudeCodeProvider(env=env, no_tools=options.no_tools, keep_session=options.interactive,
                                  timeout=options.timeout)
    if name == "echo":
        from .echo import EchoProvider

        return EchoProvider()
    raise RunError(f"unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}", EXIT_USAGE)
