"""`agentlint run` end to end through the real `anthropic` SDK against the loopback server."""

from __future__ import annotations

import json
import socket

import pytest

from fakes.llm_server import TEXT
from fakes.project import SECRET, assert_one_line_error

pytest.importorskip("anthropic")

KEY = "sk-ant-test-SECRET-KEY-0001"


def test_streams_text_and_sends_the_agent_as_system_prompt(run_cli, anthropic_env):
    result = run_cli("reviewer", "Is this code OK?")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == TEXT + "\n"
    assert "model claude-sonnet-5-5 (sonnet)" in result.stderr
    assert "done: 1 turn, 42 tokens in, 12 out" in result.stderr

    [request] = anthropic_env.requests
    assert request["path"] == "/v1/messages"
    body = request["body"]
    assert body["system"] == "You are a meticulous code reviewer. Point out bugs first, then style.\n"
    assert body["model"] == "claude-sonnet-5-5"
    assert body["messages"] == [{"role": "user", "content": "Is this code OK?"}]
    assert body["stream"] is True
    assert not {"temperature", "top_p", "top_k"} & set(body)
    assert [t["name"] for t in body["tools"]] == ["Read", "Glob", "Grep"]
    assert body["tools"][0]["input_schema"]["required"] == ["file_path"]
    assert KEY in (request["headers"].get("authorization", "") + request["headers"].get("x-api-key", ""))
    assert KEY not in result.stdout + result.stderr


def test_alias_override_from_claude_code_env_and_flag(run_cli, anthropic_env, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_DEFAULT_SONNET_MODEL", "claude-sonnet-4-6")
    assert run_cli("reviewer", "hi").exit_code == 0
    assert run_cli("reviewer", "hi", "--model", "opus").exit_code == 0
    monkeypatch.setenv("ANTHROPIC_MODEL", "haiku")
    assert run_cli("helper", "hi").exit_code == 0  # no model in the agent: ANTHROPIC_MODEL
    assert [b["model"] for b in anthropic_env.bodies("/v1/messages")] == [
        "claude-sonnet-4-6", "claude-opus-5-5", "claude-haiku-5-5"]


def test_two_turn_tool_loop(run_cli, anthropic_env):
    anthropic_env.tool_input = {"pattern": "**/*.py"}
    result = run_cli("reviewer", "Which Python files are there?", "--model", "fake-tool")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Let me look.\nTool result (ok): Found 1 files\nsrc/app.py\n"
    assert "[tool] Glob pattern=**/*.py" in result.stderr
    assert "done: 2 turns, 84 tokens in, 42 out" in result.stderr

    first, second = anthropic_env.bodies("/v1/messages")
    assert [m["role"] for m in second["messages"]] == ["user", "assistant", "user"]
    assistant = second["messages"][1]["content"]
    assert assistant == [
        {"type": "text", "text": "Let me look."},
        {"type": "tool_use", "id": "toolu_fake_1", "name": "Glob", "input": {"pattern": "**/*.py"}},
    ]
    [tool_result] = second["messages"][2]["content"]
    assert tool_result == {"type": "tool_result", "tool_use_id": "toolu_fake_1",
                           "content": "Found 1 files\nsrc/app.py"}


def test_path_outside_cwd_goes_back_as_a_tool_error(run_cli, anthropic_env):
    anthropic_env.tool_name, anthropic_env.tool_input = "Read", {"file_path": "../secret.txt"}
    result = run_cli("reviewer", "Read the secret", "--model", "fake-tool")
    assert result.exit_code == 0, result.stderr
    [tool_result] = anthropic_env.bodies("/v1/messages")[1]["messages"][2]["content"]
    assert tool_result["is_error"] is True
    assert "outside the working directory" in tool_result["content"]
    assert "Tool result (error): access denied" in result.stdout
    assert SECRET not in json.dumps(anthropic_env.requests) + result.stdout + result.stderr


def test_max_turns_bounds_the_loop(run_cli, anthropic_env):
    result = run_cli("limited", "look", "--model", "fake-tool")  # maxTurns: 1 in the agent
    assert result.exit_code == 0
    assert len(anthropic_env.requests) == 1
    assert "stopped after 1 turns" in result.stderr


def test_mid_stream_error_is_one_line_after_the_partial_text(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--model", "fake-midstream")
    assert result.exit_code == 4
    assert result.stdout == "Partial answer\n"
    assert_one_line_error(result, "the stream failed mid-way: overloaded_error: Overloaded")
    assert len(anthropic_env.requests) == 1  # never replayed after output


def test_stream_that_ends_early_is_an_error(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--model", "fake-truncated")
    assert result.exit_code == 3
    assert result.stdout == "Cut off\n"
    assert_one_line_error(result, "ended before the reply was complete")


def test_overload_before_output_is_retried(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--model", "fake-overloaded-once")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == TEXT + "\n"
    assert len(anthropic_env.requests) == 2


def test_persistent_overload_is_reported_after_retries(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--model", "fake-overloaded")
    assert result.exit_code == 4
    assert_one_line_error(result, "the API is overloaded (529) after 1 retry: Overloaded")
    assert len(anthropic_env.requests) == 2


def test_a_stalled_stream_times_out(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--model", "fake-slow", "--timeout", "0.5", "--retries", "0")
    assert result.exit_code == 3
    assert result.stdout == "Thinking slowly\n"
    assert_one_line_error(result, "timed out")


def test_rate_limit_is_retried_then_reported(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--model", "fake-ratelimit")
    assert result.exit_code == 4
    assert_one_line_error(result, "rate limited (429) after 1 retry")
    assert len(anthropic_env.requests) == 2 and result.stdout == ""


def test_authentication_failure_names_the_variables_not_the_key(run_cli, anthropic_env):
    result = run_cli("reviewer", "hi", "--model", "fake-auth")
    assert result.exit_code == 4
    assert_one_line_error(result, "authentication failed (401): check ANTHROPIC_API_KEY")
    assert len(anthropic_env.requests) == 1
    assert KEY not in result.stdout + result.stderr


def test_connection_refused(run_cli, monkeypatch):
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    result = run_cli("reviewer", "hi", "--base-url", f"http://127.0.0.1:{port}", "--retries", "0")
    assert result.exit_code == 3
    assert_one_line_error(result, f"cannot connect to http://127.0.0.1:{port}")


def test_auth_token_is_accepted_too(run_cli, fake, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "tok-SECRET-0003")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    result = run_cli("reviewer", "hi")
    assert result.exit_code == 0
    assert fake.requests[0]["headers"]["authorization"] == "Bearer tok-SECRET-0003"
