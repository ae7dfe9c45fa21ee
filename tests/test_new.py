"""`agentlint new NAME`: the written agent passes the real `agentlint check --strict`."""

from __future__ import annotations

import os
from pathlib import Path

import frontmatter
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint import scaffold, yamlsrc
from agentlint.cli import cli
from agentlint.document import from_bytes
from agentlint.load import analyse, load_agent
from agentlint.rules import get as get_rule


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, env={"NO_COLOR": "1"})


def strict_check(folder: Path) -> None:
    result = run("check", "--strict", "--isolated", str(folder))
    assert result.exit_code == 0, result.output


def test_new_from_flags_passes_check_strict(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "code-reviewer", "--isolated", "--description", "Use this agent when a change is ready for review: it checks correctness, tests and style.",
                 "--tools", "Read, Grep, Glob", "--model", "sonnet", "--color", "blue")
    assert result.exit_code == 0, result.output
    path = tmp_path / ".claude" / "agents" / "code-reviewer.md"
    assert f"Created {os.path.join('.claude', 'agents', 'code-reviewer.md')}" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "---\nname: code-reviewer\n"
        'description: "Use this agent when a change is ready for review: it checks correctness, tests and style."\n'
        "tools: Read, Grep, Glob\nmodel: sonnet\ncolor: blue\n---\n\nYou are Code Reviewer, a specialist subagent."
    )
    assert "You work read-only" in text  # no tool that writes
    strict_check(tmp_path / ".claude" / "agents")
    agent = load_agent(str(path))
    assert agent.loaded and agent.tools == ["Read", "Grep", "Glob"] and agent.model == "sonnet"
    assert agent.fm.strict_error is None
    assert frontmatter.loads(text).metadata["description"] == agent.description


def test_new_with_only_a_description(tmp_path):
    folder = tmp_path / "agents"
    result = run("new", "test-runner", "--isolated", "--dir", str(folder), "--description", "Runs the test suite. Use this agent after every code change.")
    assert result.exit_code == 0, result.output
    text = (folder / "test-runner.md").read_text(encoding="utf-8")
    assert "tools:" not in text and "model:" not in text and "color:" not in text
    assert "read-only" not in text
    strict_check(folder)


@pytest.mark.parametrize(
    "description",
    [
        "Use this agent when: reviewing code",
        "Use it for C# projects #1 and issue #42 too",
        'Say "hello" and \'bye\' — then stop.',
        "Use this agent when reviewing --- or not",
        "Use this agent when reviewing code.\nIt checks style, tests and docs.",
        "Use this agent when reviewing code.\n\n  Indented line: with a colon.\nLast line.",
        "yes",
        "0o17",
        "Use this agent for [draft] reviews {always} & *carefully*: ok",
        "  Use this agent when reviewing code (leading and trailing spaces)  ",
        "Use this agent when reviewing code.\tTabs\there.",
        "Use this agent when reviewing código, 代码 and コード 🚀.",
    ],
)
def test_descriptions_round_trip(tmp_path, description):
    folder = tmp_path / "agents"
    result = run("new", "reviewer", "--isolated", "--dir", str(folder), "--description", description)
    assert result.exit_code == 0, result.output
    path = folder / "reviewer.md"
    agent = load_agent(str(path))
    assert agent.loaded and agent.description == description
    assert agent.fm.strict_error is None
    fm_text = agent.doc.frontmatter
    assert yaml.safe_load(fm_text)["description"] == description
    assert frontmatter.loads(path.read_text(encoding="utf-8")).metadata["description"] == description
    strict_check(folder)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_yaml_scalar_reads_back_exactly(value):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates cannot be written to a file at all
    text = f"name: x\ndescription: {scaffold.yaml_scalar(value)}\n"
    # strict YAML 1.2 (Claude Code), PyYAML 1.1 (python-frontmatter) and Claude Code's splitter agree
    fm = yamlsrc.parse(text)
    assert fm.strict_error is None, text
    assert fm.values["description"] == value
    assert yaml.safe_load(text)["description"] == value
    assert "---" not in text
    doc = from_bytes("a.md", f"---\n{text}---\nBody of the agent.\n".encode("utf-8"))
    assert analyse(doc).fields["description"] == value


def test_plain_scalars_only_when_safe():
    assert scaffold.yaml_scalar("Read, Grep, Glob") == "Read, Grep, Glob"
    assert scaffold.yaml_scalar("sonnet") == "sonnet"
    for tricky in ("true", "null", "1.5", "on", "no", "2024-01-01", "a: b", "a #b", "-x", "x:", "*x", "'x'", "x\\ny"):
        assert scaffold.yaml_scalar(tricky).startswith('"'), tricky


def test_interactive_prompts(tmp_path, monkeypatch):
    monkeypatch.setattr(scaffold, "stdin_is_tty", lambda: True)
    folder = tmp_path / "agents"
    answers = "\n".join(["", "   ", "Use this agent when writing release notes from merged changes.", "Read, Grep, Bash", "haiku", "purple"]) + "\n"
    result = run("new", "release-notes", "--isolated", "--dir", str(folder), input=answers)
    assert result.exit_code == 0, result.output
    # an empty or blank answer is asked again
    assert result.output.count("Description (when should Claude use this agent?") == 3
    assert "the description cannot be empty" in result.output
    agent = load_agent(str(folder / "release-notes.md"))
    assert agent.description == "Use this agent when writing release notes from merged changes."
    assert agent.tools == ["Read", "Grep", "Bash"] and agent.model == "haiku" and agent.fields["color"] == "purple"
    assert "read-only" not in agent.body
    strict_check(folder)


def test_interactive_prompts_accept_empty_optional_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(scaffold, "stdin_is_tty", lambda: True)
    folder = tmp_path / "agents"
    result = run("new", "planner", "--isolated", "--dir", str(folder), "--description", "Plans work. Use this agent before a large change.", input="\n\n\n")
    assert result.exit_code == 0, result.output
    text = (folder / "planner.md").read_text(encoding="utf-8")
    assert "tools:" not in text and "model:" not in text and "color:" not in text
    # --no-input never prompts
    result = run("new", "other", "--isolated", "--no-input", "--dir", str(folder))
    assert result.exit_code == 2 and "a description is required" in result.output


def test_no_terminal_and_no_description_is_a_clear_error(tmp_path):
    result = run("new", "reviewer", "--isolated", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert "a description is required: pass --description" in result.output
    assert not (tmp_path / "reviewer.md").exists()


@pytest.mark.parametrize("name", ["Reviewer", "code_reviewer", "code reviewer", "-x", "x-", "a--b", "../evil", "a/b", "", "x" * 65, "general-purpose"])
def test_invalid_names_are_refused(tmp_path, name):
    result = run("new", name, "--isolated", "--dir", str(tmp_path), "--description", "Use this agent when testing names.")
    assert result.exit_code == 2, result.output
    assert os.listdir(tmp_path) == []


def test_refuses_to_overwrite_unless_forced(tmp_path):
    existing = tmp_path / "reviewer.md"
    existing.write_text("keep me")
    args = ["new", "reviewer", "--isolated", "--dir", str(tmp_path), "--description", "Use this agent when reviewing code changes."]
    result = run(*args)
    assert result.exit_code == 2 and "already exists" in result.output
    assert existing.read_text() == "keep me"
    result = run(*args, "--force")
    assert result.exit_code == 0, result.output
    assert load_agent(str(existing)).description == "Use this agent when reviewing code changes."
    strict_check(tmp_path)


def test_an_agent_that_would_not_pass_is_not_written(tmp_path):
    result = run("new", "reviewer", "--isolated", "--dir", str(tmp_path), "--description", "Use this agent when reviewing code.", "--color", "octarine")
    assert result.exit_code == 1, result.output
    assert "was not written" in result.output and "AL303" in result.output
    assert not (tmp_path / "reviewer.md").exists()


def test_a_duplicate_name_in_the_folder_is_caught(tmp_path):
    if get_rule("AL701") is None:
        pytest.skip("AL701 is not implemented yet")
    (tmp_path / "old.md").write_text("---\nname: reviewer\ndescription: Use this agent when reviewing code.\n---\nYou review code carefully and report problems.\n")
    result = run("new", "reviewer", "--isolated", "--dir", str(tmp_path), "--description", "Use this agent when reviewing pull requests.")
    assert result.exit_code == 1 and "AL701" in result.output
    assert not (tmp_path / "reviewer.md").exists()
