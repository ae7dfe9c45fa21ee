"""Model resolution: --model > the agent's alias through the table > inherit/missing."""

from __future__ import annotations

import pytest

from agentlint.runtime.config import ConfigError, provider_aliases, run_section
from agentlint.runtime.models import ANTHROPIC_ALIASES, ModelError, alias_table, resolve_model


def resolve(agent_model, provider="anthropic", cli=None, env=None, config=None):
    return resolve_model(agent_model, provider=provider, cli_model=cli, env=env or {}, config_aliases=config)


def test_aliases_as_claude_code_2_1_332_maps_them():
    assert ANTHROPIC_ALIASES == {"sonnet": "claude-sonnet-5-5", "opus": "claude-opus-5-5",
                                 "haiku": "claude-haiku-5-5", "fable": "claude-fable-5-2"}
    assert resolve("sonnet").id == "claude-sonnet-5-5"
    assert resolve("Opus").id == "claude-opus-5-5"
    assert resolve("sonnet[1m]").id == "claude-sonnet-5-5"
    assert resolve("best").id == "claude-opus-5-5"


def test_claude_code_env_overrides_win_over_the_table():
    env = {"ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonnet-4-6"}
    resolved = resolve("sonnet", env=env)
    assert resolved.id == "claude-sonnet-4-6" and "ANTHROPIC_DEFAULT_SONNET_MODEL" in resolved.source


def test_flag_beats_agent_and_full_ids_pass_through():
    assert resolve("opus", cli="haiku").id == "claude-haiku-5-5"
    assert resolve("opus", cli="claude-opus-4-8").id == "claude-opus-4-8"
    assert resolve("claude-opus-4-7").id == "claude-opus-4-7"


@pytest.mark.parametrize("value", [None, "", "inherit"])
def test_inherit_or_missing_uses_anthropic_model_then_sonnet(value):
    assert resolve(value).id == "claude-sonnet-5-5"
    assert resolve(value, env={"ANTHROPIC_MODEL": "opus"}).id == "claude-opus-5-5"
    assert resolve(value, env={"ANTHROPIC_MODEL": "claude-opus-4-8"}).id == "claude-opus-4-8"


def test_openai_aliases_come_from_config_or_the_flag():
    with pytest.raises(ModelError, match=r"no mapping for provider openai: pass --model"):
        resolve("sonnet", provider="openai")
    assert resolve("sonnet", provider="openai", cli="qwen3-coder").id == "qwen3-coder"
    config = {"sonnet": "qwen3-coder", "default": "llama3.2"}
    assert resolve("sonnet", provider="openai", config=config).id == "qwen3-coder"
    assert resolve("inherit", provider="openai", config=config).id == "llama3.2"
    assert resolve("gpt-5", provider="openai").id == "gpt-5"


def test_alias_table_reports_sources():
    table = alias_table("anthropic", {"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-haiku-4-5"})
    assert table["haiku"] == ("claude-haiku-4-5", "ANTHROPIC_DEFAULT_HAIKU_MODEL")
    assert table["opus"] == ("claude-opus-5-5", "Claude Code 2.1.332")
    assert alias_table("openai", {})["sonnet"] == (None, "unmapped")


def test_run_section_reads_pyproject_and_dot_agentlint(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.agentlint.run.aliases.openai]\nsonnet = "qwen3-coder"\n')
    assert provider_aliases(run_section(pyproject), "openai") == {"sonnet": "qwen3-coder"}
    own = tmp_path / ".agentlint.toml"
    own.write_text('[run.aliases.openai]\nopus = "llama3.3:70b"\n')
    assert provider_aliases(run_section(own), "openai") == {"opus": "llama3.3:70b"}
    assert run_section(None) == {}
    own.write_text('[run.aliases]\nopenai = "oops"\n')
    with pytest.raises(ConfigError, match="run.aliases.openai must map"):
        provider_aliases(run_section(own), "openai")
