"""`agentlint run` behaviour common to every provider: validation, dry run, output modes, chat."""

from __future__ import annotations

import json
import sys

from click.testing import CliRunner

from agentlint.runtime import command
from agentlint.runtime.command import models_command
from fakes.llm_server import TEXT
from fakes.project import assert_one_line_error

KEY = "sk-ant-test-SECRET-KEY-0001"


def test_invalid_agent_is_refused_and_nothing_is_sent(run_cli, anthropic_env):
    result = run_cli("broken", "hi")
    assert result.exit_code == 1
    assert "AL002" in result.stderr  # the diagnostics are printed
    assert_one_line_error(result, "refusing to run", "--no-validate", "nothing was sent")
    assert anthropic_env.requests == []


def test_no_validate_runs_a_file_claude_code_would_skip(run_cli, fake):
    result = run_cli("broken", "hi", "--no-validate", "--provider", "echo")
    assert result.exit_code == 0, result.stderr
    assert "[echo] agent: broken" in result.stdout


def test_lint_warnings_are_one_line(run_cli, project, anthropic_env):
    (project / ".claude" / "agents" / "crlf.md").write_bytes(
        b"---\r\nname: crlf\r\ndescription: Uses CRLF line endings.\r\n---\r\nBody.\r\n")
    result = run_cli("crlf", "hi")
    assert result.exit_code == 0, result.stderr
    [line] = [x for x in result.stderr.splitlines() if "lint warning" in x]
    assert line.startswith("warning: ") and "AL007" in line  # CRLF line endings; other rules may add more


def test_unknown_agent_is_a_usage_error(run_cli):
    result = run_cli("reviewr", "hi")
    assert result.exit_code == 2
    assert_one_line_error(result, "no agent named 'reviewr'; did you mean reviewer?")


def test_dry_run_prints_the_request_redacted_and_sends_nothing(run_cli, anthropic_env):
    result = run_cli("reviewer", "Is this OK?", "--dry-run")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# dry run: nothing was sent\n")
    assert f"url:         POST {anthropic_env.url}/v1/messages" in out
    assert "credentials: ANTHROPIC_API_KEY=*** (redacted)" in out
    assert "model:       claude-sonnet-5-5" in out
    assert "declares Bash, Edit" in out
    body = json.loads(out[out.index("body:\n") + len("body:\n"):])
    assert body["system"].startswith("You are a meticulous code reviewer.")
    assert body["messages"] == [{"role": "user", "content": "Is this OK?"}]
    assert KEY not in out + result.stderr
    assert anthropic_env.requests == []


def test_dry_run_works_without_credentials_or_sdk(run_cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "anthropic", None)  # the extra is not installed
    result = run_cli("reviewer", "hi", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["sent"] is False and info["request"]["url"] == "https://api.anthropic.com/v1/messages"
    assert info["request"]["credentials"] == "none in the environment"


def test_no_credentials_is_a_clear_error(run_cli):
    result = run_cli("reviewer", "hi")
    assert result.exit_code == 2
    assert_one_line_error(result, "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "--dry-run")


def test_missing_extra_is_one_line_with_the_install_command(run_cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "anthropic", None)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    result = run_cli("reviewer", "hi")
    assert result.exit_code == 2
    assert_one_line_error(result, 'pip install "agentlint[run]"')


def test_piped_stdin_is_appended_as_context(run_cli, anthropic_env):
    result = run_cli("reviewer", "review this", input="diff --git a/x b/x\n+bug\n")
    assert result.exit_code == 0, result.stderr
    content = anthropic_env.requests[0]["body"]["messages"][0]["content"]
    assert content == 'review this\n\n<context source="stdin">\ndiff --git a/x b/x\n+bug\n</context>'


def test_piped_stdin_alone_is_the_question(run_cli, anthropic_env):
    assert run_cli("reviewer", input="What does src/app.py do?\n").exit_code == 0
    assert anthropic_env.requests[0]["body"]["messages"][0]["content"] == "What does src/app.py do?\n"


def test_quiet_prints_the_answer_only(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--quiet")
    assert result.exit_code == 0
    assert result.stdout == TEXT + "\n" and result.stderr == ""


def test_json_events_for_a_tool_loop(run_cli, anthropic_env):
    anthropic_env.tool_input = {"pattern": "docs/*.md"}
    result = run_cli("reviewer", "hi", "--json", "--model", "fake-tool")
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["warning", "start"] and kinds[-1] == "end"
    assert kinds.count("usage") == 2
    call = next(e for e in events if e["type"] == "tool_call")
    assert call == {"type": "tool_call", "id": "toolu_fake_1", "name": "Glob", "input": {"pattern": "docs/*.md"}}
    tool_result = next(e for e in events if e["type"] == "tool_result")
    assert tool_result["is_error"] is False and tool_result["content"] == "Found 1 files\ndocs/guide.md"
    text = "".join(e["text"] for e in events if e["type"] == "text")
    assert text == "Let me look.Tool result (ok): Found 1 files\ndocs/guide.md"
    assert events[-1]["turns"] == 2 and events[-1]["usage"] == {"input_tokens": 84, "output_tokens": 42}


def test_json_error_event(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--json", "--model", "fake-midstream")
    assert result.exit_code == 4
    last = json.loads(result.stdout.splitlines()[-1])
    assert last == {"type": "error", "message": "the stream failed mid-way: overloaded_error: Overloaded",
                    "exit_code": 4}


def test_no_tools_offers_none(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--no-tools")
    assert result.exit_code == 0
    assert "tools" not in anthropic_env.requests[0]["body"]
    assert "tools: none" in result.stderr


def test_agent_tools_limit_what_is_offered(run_cli, project, anthropic_env):
    (project / ".claude" / "agents" / "grepper.md").write_text(
        "---\nname: grepper\ndescription: Searches.\ntools: Grep\n---\nYou search.\n")
    assert run_cli("grepper", "hi").exit_code == 0
    assert [t["name"] for t in anthropic_env.requests[0]["body"]["tools"]] == ["Grep"]


def test_interactive_chat_keeps_the_conversation(run_cli, anthropic_env, monkeypatch):
    monkeypatch.setattr(command, "_stdin_is_tty", lambda: True)
    result = run_cli("reviewer", input="first question\nsecond question\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (TEXT + "\n") * 2
    first, second = anthropic_env.bodies("/v1/messages")
    assert [m["role"] for m in second["messages"]] == ["user", "assistant", "user"]
    assert second["messages"][0]["content"] == "first question"
    assert second["messages"][1]["content"] == [{"type": "text", "text": TEXT}]
    assert second["messages"][2]["content"] == "second question"


def test_echo_provider_is_offline_and_deterministic(run_cli):
    first = run_cli("reviewer", "What is this?", "--provider", "echo")
    second = run_cli("reviewer", "What is this?", "--provider", "echo")
    assert first.exit_code == 0 and first.stdout == second.stdout
    assert first.stdout.splitlines()[:3] == [
        "[echo] agent: reviewer", "[echo] model: claude-sonnet-5-5", "[echo] tools: Read, Glob, Grep"]
    assert "What is this?" in first.stdout


def test_models_command_prints_the_effective_table(project, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_DEFAULT_OPUS_MODEL", "claude-opus-4-8")
    result = CliRunner().invoke(models_command, [])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["sonnet", "claude-sonnet-5-5", "Claude", "Code", "2.1.332"]
    assert lines[1].split() == ["opus", "claude-opus-4-8", "ANTHROPIC_DEFAULT_OPUS_MODEL"]
    assert lines[-1].split()[:2] == ["inherit", "claude-sonnet-5-5"]
    (project / "pyproject.toml").write_text('[tool.agentlint.run.aliases.openai]\nsonnet = "qwen3-coder"\n')
    data = json.loads(CliRunner().invoke(models_command, ["--provider", "openai", "--json"]).stdout)
    rows = {row["alias"]: row["model"] for row in data["aliases"]}
    assert rows["sonnet"] == "qwen3-coder" and rows["opus"] is None
