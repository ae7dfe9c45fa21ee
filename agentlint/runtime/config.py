"""The ``run`` table of the project configuration: model aliases per provider.

It lives in the same file as the rest of the configuration (``.agentlint.toml``, or
``[tool.agentlint]`` in ``pyproject.toml``; the caller finds that file)::

    [tool.agentlint.run.aliases.openai]
    sonnet = "qwen3-coder"
    default = "qwen3-coder"     # for agents with no model, or ``model: inherit``
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class ConfigError(Exception):
    pass


def run_section(config_file: Optional[Path]) -> dict[str, Any]:
    """The ``run`` table of a configuration file (empty when there is none)."""
    if config_file is None:
        return {}
    try:
        data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {config_file}: {exc}") from None
    if Path(config_file).name == "pyproject.toml":
        data = data.get("tool", {}).get("agentlint", {})
    section = data.get("run", {}) if isinstance(data, dict) else {}
    if not isinstance(section, dict):
        raise ConfigError(f"{config_file}: `run` must be a table")
    return section


def provider_aliases(section: dict[str, Any], provider: str, origin: Optional[Path] = None) -> dict[str, str]:
    aliases = section.get("aliases", {}).get(provider, {}) if isinstance(section.get("aliases", {}), dict) else None
    if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
        raise ConfigError(f"{origin or 'configuration'}: run.aliases.{provider} must map alias names to model ids")
    return dict(aliases)
