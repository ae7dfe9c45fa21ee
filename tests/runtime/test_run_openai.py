"""`agentlint run --provider openai` end to end through the real `openai` SDK (loopback only)."""

from __future__ import annotations

import json
import socket

import pytest

from fakes.llm_server import TEXT
from fakes.project import SECRET, assert_one_line_error

pytest.importorskip("openai")

KEY = "sk-openai-test-SECRET-KEY-0002"


def run_openai(run_cli, *args: str):
    return run_cli("--provider", "openai", *args)


def test_streams_text_with_system_prompt_and_model(run_cli, openai_env):
    result = run_openai(run_cli, "reviewer", "Is this OK?", "--model", "fake-text")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == TEXT + "\n"
    assert "done: 1 turn, 42 tokens in, 12 out" in result.stderr

    [request] = openai_env.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == f"Bearer {KEY}"
    body = request["body"]
    assert body["model"] == "fake-text"
    assert body["messages"] == [
        {"role": "system", "content": "You are a meticulous code reviewer. Point out bugs first, then style.\n"},
        {"role": "user", "content": "Is this OK?"},
    ]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert not {"temperature", "top_p", "top_k", "max_tokens"} & set(body)
    assert [t["function"]["name"] for t in body["tools"]] == ["Read", "Glob", "Grep"]
    assert KEY not in result.stdout + result.stderr


def test_alias_maps_through_config(run_cli, openai_env, project):
    (project / "pyproject.toml").write_text('[tool.agentlint.run.aliases.openai]\nsonnet = "qwen3-coder"\n')
    result = run_openai(run_cli, "reviewer", "hi")
    assert result.exit_code == 0, result.stderr
    assert openai_env.requests[0]["body"]["model"] == "qwen3-coder"
    assert "model qwen3-coder (sonnet)" in result.stderr


def test_unmapped_alias_is_a_usage_error_that_sends_nothing(run_cli, openai_env):
    result = run_openai(run_cli, "reviewer", "hi")
    assert result.exit_code == 2
    assert_one_line_error(result, "model alias 'sonnet' has no mapping for provider openai: pass --model")
    assert openai_env.requests == []


def test_two_turn_tool_loop(run_cli, openai_env):
    openai_env.tool_name, openai_env.tool_input = "Grep", {"pattern": "hello", "output_mode": "content"}
    result = run_openai(run_cli, "reviewer", "Where is hello?", "--model", "fake-tool")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Let me look.\nTool result (ok): src/app.py:2:    return 'hello'\n"
    assert "[tool] Grep pattern=hello output_mode=content" in result.stderr
    first, second = openai_env.bodies("/v1/chat/completions")
    assert [m["role"] for m in second["messages"]] == ["system", "user", "assistant", "tool"]
    assistant, tool = second["messages"][2:]
    assert assistant["tool_calls"] == [{"id": "call_fake_1", "type": "function", "function": {
        "name": "Grep", "arguments": json.dumps({"pattern": "hello", "output_mode": "content"})}}]
    assert tool == {"role": "tool", "tool_call_id": "call_fake_1", "content": "src/app.py:2:    return 'hello'"}


def test_path_outside_cwd_goes_back_as_a_tool_error(run_cli, openai_env):
    openai_env.tool_name, openai_env.tool_input = "Read", {"file_path": "../secret.txt"}
    result = run_openai(run_cli, "reviewer", "Read it", "--model", "fake-tool")
    assert result.exit_code == 0, result.stderr
    tool = openai_env.bodies("/v1/chat/completions")[1]["messages"][-1]
    assert tool["content"].startswith("Error: access denied: ../secret.txt is outside the working directory")
    assert SECRET not in json.dumps(openai_env.requests) + result.stdout


def test_mid_stream_error(run_cli, openai_env):
    result = run_openai(run_cli, "reviewer", "hi", "--model", "fake-midstream")
    assert result.exit_code == 4
    assert result.stdout == "Partial answer\n"
    assert_one_line_error(result, "the stream failed mid-way: server_error: The server had an error")


def test_stream_that_ends_early(run_cli, openai_env):
    result = run_openai(run_cli, "reviewer", "hi", "--model", "fake-truncated")
    assert result.exit_code == 3
    assert_one_line_error(result, "ended before the reply was complete")


def test_overloaded_once_is_retried(run_cli, openai_env):
    result = run_openai(run_cli, "reviewer", "hi", "--model", "fake-overloaded-once")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == TEXT + "\n" and len(openai_env.requests) == 2


def test_authentication_failure(run_cli, openai_env):
    result = run_openai(run_cli, "reviewer", "hi", "--model", "fake-auth")
    assert result.exit_code == 4
    assert_one_line_error(result, "authentication failed (401): check OPENAI_API_KEY")


def test_local_server_needs_no_key(run_cli, fake):
    """Ollama-style: --base-url to a local server, no OPENAI_API_KEY."""
    result = run_openai(run_cli, "helper", "hi", "--model", "llama3.2", "--base-url", fake.url + "/v1")
    assert result.exit_code == 0, result.stderr
    assert fake.requests[0]["body"]["model"] == "llama3.2"


def test_no_key_for_the_real_openai_url_is_a_clear_error(run_cli, fake):
    result = run_openai(run_cli, "helper", "hi", "--model", "gpt-5")
    assert result.exit_code == 2
    assert_one_line_error(result, "set OPENAI_API_KEY", "--dry-run")


def test_connection_refused(run_cli):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_openai(run_cli, "helper", "hi", "--model", "m", "--retries", "0",
                        "--base-url", f"http://127.0.0.1:{port}/v1")
    assert result.exit_code == 3
    assert_one_line_error(result, f"cannot connect to http://127.0.0.1:{port}/v1")
