"""Fixtures for the runtime tests: a clean environment, a loopback fake server, a project.

Nothing here reaches the internet: proxies are unset, credentials come only from the test,
every base URL points at 127.0.0.1, and the Anthropic SDK gets an empty config dir so it
cannot pick up a profile from the developer's home.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.append(str(Path(__file__).resolve().parents[1]))  # makes `fakes` importable

from fakes.llm_server import FakeLLMServer  # noqa: E402
from fakes.project import AGENTS, SECRET  # noqa: E402


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path_factory):
    for key in list(os.environ):
        upper = key.upper()
        if upper.endswith("_PROXY") or upper.startswith(("ANTHROPIC_", "OPENAI_", "CLAUDE_", "AGENTLINT_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("ANTHROPIC_CONFIG_DIR", str(tmp_path_factory.mktemp("anthropic-config")))
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))  # no user agents or profiles


@pytest.fixture
def fake():
    with FakeLLMServer() as server:
        yield server


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A repository with agents and files, as the current directory; a secret lies outside it."""
    (tmp_path / "secret.txt").write_text(SECRET + "\n")
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    agents = root / ".claude" / "agents"
    agents.mkdir(parents=True)
    for name, text in AGENTS.items():
        (agents / f"{name}.md").write_text(text)
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text("def main():\n    return 'hello'\n")
    (root / "docs").mkdir()
    (root / "docs" / "guide.md").write_text("# Guide\n\nRun the app.\n")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def anthropic_env(monkeypatch, fake):
    pytest.importorskip("anthropic")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-SECRET-KEY-0001")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    return fake


@pytest.fixture
def openai_env(monkeypatch, fake):
    pytest.importorskip("openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-test-SECRET-KEY-0002")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url + "/v1")
    return fake


@pytest.fixture
def run_cli(project):
    """Invoke ``agentlint run`` in-process; returns click's Result (stdout and stderr apart)."""
    from agentlint.runtime.command import run_command

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(run_command, ["--timeout", "5", "--retries", "1", *args],
                                  input=input, catch_exceptions=False)

    return invoke

