"""`--provider claude-code`: hands the agent to a `claude` CLI.

A scripted stand-in for the CLI checks the command line, stdin and the stream-json parsing
everywhere; the real Claude Code CLI runs against the loopback server when one is found
(on PATH, or named by AGENTLINT_CLAUDE_BIN), and that test is skipped otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys

import pytest

from fakes.llm_server import TEXT
from fakes.project import assert_one_line_error

REAL_CLAUDE = os.environ.get("AGENTLINT_CLAUDE_BIN") or shutil.which("claude")  # read before env is cleaned

SCRIPT = r'''#!{python}
import json, sys
record = {{"argv": sys.argv[1:], "stdin": sys.stdin.read()}}
with open({log!r}, "w") as handle:
    json.dump(record, handle)
def emit(obj):
    print(json.dumps(obj), flush=True)
emit({{"type": "system", "subtype": "init", "session_id": "sess-1"}})
for text in ("Checking ", "files."):
    emit({{"type": "stream_event", "event": {{"type": "content_block_delta", "index": 0,
          "delta": {{"type": "text_delta", "text": text}}}}}})
emit({{"type": "assistant", "message": {{"content": [{{"type": "tool_use", "id": "t1", "name": "Bash",
      "input": {{"command": "ls"}}}}]}}}})
emit({{"type": "user", "message": {{"content": [{{"type": "tool_result", "tool_use_id": "t1",
      "content": "app.py"}}]}}}})
emit({{"type": "result", "subtype": {subtype!r}, "is_error": {is_error}, "result": {result!r},
      "num_turns": 2, "session_id": "sess-1", "usage": {{"input_tokens": 10, "output_tokens": 5}}}})
'''


def fake_claude(tmp_path, monkeypatch, *, subtype="success", is_error=False, result="Checking files."):
    log = tmp_path / "claude-call.json"
    script = tmp_path / "claude"
    script.write_text(SCRIPT.format(python=sys.executable, log=str(log), subtype=subtype,
                                    is_error=is_error, result=result))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("AGENTLINT_CLAUDE_BIN", str(script))
    return log


def test_hands_the_agent_to_the_cli_and_streams_its_events(run_cli, tmp_path, monkeypatch):
    log = fake_claude(tmp_path, monkeypatch)
    result = run_cli("reviewer", "Review src/app.py", "--provider", "claude-code")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Checking files.\n"
    assert "[tool] Bash command=ls" in result.stderr and "[tool] Bash -> 1 line" in result.stderr
    assert "done: 2 turns, 10 tokens in, 5 out" in result.stderr
    assert "declares Bash" not in result.stderr  # Claude Code runs every tool itself

    call = json.loads(log.read_text())
    argv = call["argv"]
    assert call["stdin"] == "Review src/app.py"
    assert argv[argv.index("--agent") + 1] == "reviewer"
    assert argv[argv.index("--output-format") + 1] == "stream-json"
    assert "--no-session-persistence" in argv
    agent = json.loads(argv[argv.index("--agents") + 1])["reviewer"]
    assert agent["prompt"].startswith("You are a meticulous code reviewer.")
    assert agent["tools"] == ["Read", "Grep", "Glob", "Bash", "Edit"]
    assert agent["model"] == "claude-sonnet-5-5"
    assert agent["description"] == "Reviews code changes for bugs and style."


def test_an_error_result_is_one_line(run_cli, tmp_path, monkeypatch):
    fake_claude(tmp_path, monkeypatch, subtype="error_during_execution", is_error=True,
                result="API Error: 401\n Invalid API key")
    result = run_cli("reviewer", "hi", "--provider", "claude-code")
    assert result.exit_code == 4
    assert_one_line_error(result, "claude reported an error: API Error: 401 Invalid API key")


def test_a_hung_cli_is_killed_after_the_timeout(run_cli, tmp_path, monkeypatch):
    script = tmp_path / "claude"
    script.write_text(f"#!{sys.executable}\nimport time\nprint('{{}}', flush=True)\ntime.sleep(60)\n")
    script.chmod(0o755)
    monkeypatch.setenv("AGENTLINT_CLAUDE_BIN", str(script))
    result = run_cli("reviewer", "hi", "--provider", "claude-code", "--timeout", "1")
    assert result.exit_code == 3
    assert_one_line_error(result, "claude gave no result within 1 s")


def test_missing_cli_is_a_clear_error(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTLINT_CLAUDE_BIN", str(tmp_path / "no-such-claude"))
    result = run_cli("reviewer", "hi", "--provider", "claude-code")
    assert result.exit_code == 2
    assert_one_line_error(result, "needs the Claude Code CLI")


def test_dry_run_shows_the_command(run_cli, tmp_path, monkeypatch):
    log = fake_claude(tmp_path, monkeypatch)
    result = run_cli("reviewer", "hi", "--provider", "claude-code", "--dry-run")
    assert result.exit_code == 0
    assert "command:     " in result.stdout and "--agent reviewer" in result.stdout
    assert not log.exists()  # nothing was run


@pytest.mark.skipif(not REAL_CLAUDE, reason="no claude CLI on PATH (or AGENTLINT_CLAUDE_BIN)")
def test_real_claude_code_cli_against_the_loopback_server(run_cli, fake, tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTLINT_CLAUDE_BIN", REAL_CLAUDE)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # keep the CLI's state out of the real home
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-claude-code")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    for name in ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_AUTOUPDATER", "DISABLE_TELEMETRY",
                 "DISABLE_ERROR_REPORTING"):
        monkeypatch.setenv(name, "1")
    text = run_cli("reviewer", "hi", "--provider", "claude-code", "--timeout", "60")
    assert text.exit_code == 0, text.stderr
    assert text.stdout == TEXT + "\n"

    app = os.path.join(os.getcwd(), "src", "app.py")
    fake.tool_name, fake.tool_input = "Read", {"file_path": app}
    tool = run_cli("reviewer", "read it", "--provider", "claude-code", "--model", "fake-tool", "--timeout", "60")
    assert tool.exit_code == 0, tool.stderr
    assert "Tool result (ok): " in tool.stdout and "return 'hello'" in tool.stdout  # Claude Code's own Read
    assert "[tool] Read file_path=" in tool.stderr and "tools: Read, Grep, Glob, Bash, Edit" in tool.stderr
    bodies = fake.bodies("/v1/messages")
    assert all(b["model"] in ("claude-sonnet-5-5", "fake-tool") for b in bodies)
    system_text = json.dumps(bodies[0]["system"])
    assert "You are a meticulous code reviewer." in system_text
