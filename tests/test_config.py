"""Configuration discovery, selection by prefix, per-file ignores, severity overrides."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from agentlint.cli import cli
from agentlint.config import Config, ConfigError, find_config_file, from_mapping, load_config
from agentlint.engine import lint_text

FENCE = "---\nname: reviewer\ndescription: Reviews code. Use after every change.\n--------\nYou review code carefully and report problems.\n"


def test_prefix_selection_longest_wins():
    cfg = from_mapping({"select": ["AL0"], "ignore": ["AL01"], "extend-select": ["AL011"]})
    assert cfg.enabled("AL001")
    assert not cfg.enabled("AL012")
    assert cfg.enabled("AL011")  # the longer, explicit prefix wins
    assert not cfg.enabled("AL101")


def test_rule_selected_by_name():
    cfg = from_mapping({"select": ["nonstandard-fence"]})
    assert cfg.enabled("AL011", "nonstandard-fence") and not cfg.enabled("AL001", "no-frontmatter")


def test_severity_override_and_per_file_ignores(tmp_path):
    cfg = from_mapping({"severity": {"al011": "error"}})
    (d,) = [d for d in lint_text(FENCE, "agents/r.md", cfg) if d.code == "AL011"]
    assert d.severity.value == "error"
    cfg = from_mapping({"per-file-ignores": {"legacy/*.md": ["AL01"]}})
    assert not [d for d in lint_text(FENCE, "legacy/r.md", cfg) if d.code == "AL011"]
    assert [d for d in lint_text(FENCE, "agents/r.md", cfg) if d.code == "AL011"]


@pytest.mark.parametrize(
    "data,words",
    [
        ({"selct": ["AL"]}, "unknown configuration key"),
        ({"severity": {"AL001": "fatal"}}, "error, warning or info"),
        ({"ignore": 3}, "list of rule codes"),
        ({"rules": {"AL203": 5}}, "table"),
    ],
)
def test_bad_config_is_a_clear_error(data, words):
    with pytest.raises(ConfigError, match=words):
        from_mapping(data)


def test_nearest_config_wins(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.agentlint]\nignore = ["AL011"]\n')
    sub = tmp_path / "team"
    (sub / "agents").mkdir(parents=True)
    assert find_config_file(sub / "agents") == tmp_path / "pyproject.toml"
    (sub / ".agentlint.toml").write_text('ignore = ["AL001"]\n')
    assert find_config_file(sub / "agents") == sub / ".agentlint.toml"
    assert load_config(start=sub / "agents").ignore == ["AL001"]


def test_pyproject_without_section_is_skipped(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config_file(tmp_path) is None
    assert load_config(start=tmp_path).select == Config().select


def test_cli_uses_config_and_reports_config_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    agent = tmp_path / "r.md"
    agent.write_text(FENCE)
    runner = CliRunner()
    res = runner.invoke(cli, ["check", "--format", "json", "--select", "AL011", str(agent)])
    assert [d["code"] for d in json.loads(res.output)] == ["AL011"]
    (tmp_path / ".agentlint.toml").write_text('ignore = ["AL011"]\n')
    res = runner.invoke(cli, ["check", "--format", "json", "--select", "AL011", str(agent)])
    assert json.loads(res.output) == []
    res = runner.invoke(cli, ["check", "--isolated", "--format", "json", "--select", "AL011", str(agent)])
    assert [d["code"] for d in json.loads(res.output)] == ["AL011"]
    (tmp_path / ".agentlint.toml").write_text("ignore = [\n")
    res = runner.invoke(cli, ["check", str(agent)])
    assert res.exit_code == 2 and "configuration error" in res.output and "Traceback" not in res.output
