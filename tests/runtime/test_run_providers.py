"""Provider details that the loopback scenarios do not reach: error wording, odd streams."""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace

import pytest

from agentlint.runtime.base import EXIT_API, EXIT_CONNECTION, RunSpec, ToolCall, ToolResult, Usage
from agentlint.runtime.errors import map_sdk_error
from agentlint.runtime.output import Output, Redactor
from agentlint.runtime.providers.claude_code import _Reader
from agentlint.runtime.providers.openai_chat import OpenAIProvider, _index


def status_error(sdk, cls_name: str, status: int, kind: str, message: str):
    httpx2 = pytest.importorskip("httpx2")
    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/messages")
    body = {"type": "error", "error": {"type": kind, "message": message}}
    response = httpx2.Response(status, request=request, json=body)
    return getattr(sdk, cls_name)(json.dumps(body), response=response, body=body)


@pytest.mark.parametrize("module", ["anthropic", "openai"])
@pytest.mark.parametrize("cls_name, status, kind, expected", [
    ("PermissionDeniedError", 403, "permission_error", "permission denied (403): nope"),
    ("NotFoundError", 404, "not_found_error", "not found (404): nope; check --model and the base URL"),
    ("InternalServerError", 500, "api_error", "server error (500) after 2 retries: nope"),
    ("BadRequestError", 400, "invalid_request_error", "request rejected (400 invalid_request_error): nope"),
])
def test_status_errors_become_one_line(module, cls_name, status, kind, expected):
    sdk = pytest.importorskip(module)
    error = map_sdk_error(status_error(sdk, cls_name, status, kind, "nope"), sdk,
                          endpoint="http://127.0.0.1:9", key_env="KEY", retries=2)
    assert error.message == expected and error.exit_code == EXIT_API


def test_connection_and_timeout_errors_map_to_exit_3():
    anthropic = pytest.importorskip("anthropic")
    httpx2 = pytest.importorskip("httpx2")
    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/messages")
    for exc, text in ((anthropic.APIConnectionError(request=request), "cannot connect to http://127.0.0.1:9"),
                      (anthropic.APITimeoutError(request), "timed out waiting for http://127.0.0.1:9")):
        error = map_sdk_error(exc, anthropic, endpoint="http://127.0.0.1:9", key_env="KEY", retries=0)
        assert error.exit_code == EXIT_CONNECTION and error.message.startswith(text)


def fragment(index=None, id=None, name=None, arguments=None):
    return SimpleNamespace(index=index, id=id, function=SimpleNamespace(name=name, arguments=arguments))


def test_tool_call_fragments_without_index_are_grouped_by_id():
    calls: dict = {}
    for frag in (fragment(id="a", name="Read", arguments='{"file_'), fragment(arguments='path": "x"}'),
                 fragment(id="b", name="Glob", arguments='{"pattern": "*"}')):
        slot = calls.setdefault(_index(frag, calls), {"id": "", "name": "", "arguments": ""})
        slot["id"] = frag.id or slot["id"]
        slot["name"] += frag.function.name or ""
        slot["arguments"] += frag.function.arguments or ""
    assert calls == {0: {"id": "a", "name": "Read", "arguments": '{"file_path": "x"}'},
                     1: {"id": "b", "name": "Glob", "arguments": '{"pattern": "*"}'}}


def test_openai_bad_tool_arguments_become_a_recoverable_input_error():
    provider = OpenAIProvider(env={})
    turn = provider._turn_result("", [{"id": "", "name": "Read", "arguments": '{"file_path": '}], "tool_calls", Usage())
    [call] = turn.tool_calls
    assert call.id == "call_0" and call.input == {} and "not valid JSON" in call.input_error
    assert turn.assistant_message["tool_calls"][0]["id"] == "call_0"  # the reply can refer to it


def test_openai_request_sends_max_tokens_only_when_asked():
    spec = RunSpec(name="a", system_prompt="", model="m", tools=(), max_tokens=100)
    assert "max_tokens" not in OpenAIProvider(env={}).request(spec, [])
    body = OpenAIProvider(env={}, max_tokens_given=True).request(spec, [])
    assert body["max_tokens"] == 100 and body["messages"] == [] and "tools" not in body


class Recorder:
    def __init__(self):
        self.seen: list = []

    def text(self, delta):
        self.seen.append(("text", delta))

    def tool_call(self, call: ToolCall):
        self.seen.append(("call", call.name))

    def tool_result(self, call: ToolCall, result: ToolResult):
        self.seen.append(("result", call.name, result.is_error))


def test_claude_code_reader_skips_nested_subagent_traffic_and_bad_lines():
    lines = [
        "not json\n",
        json.dumps({"type": "stream_event", "parent_tool_use_id": "t0",
                    "event": {"type": "content_block_delta", "delta": {"type": "text_delta", "text": "nested"}}}),
        json.dumps({"type": "stream_event",
                    "event": {"type": "content_block_delta", "delta": {"type": "text_delta", "text": "top"}}}),
        json.dumps({"type": "assistant", "message": {"content": [
            {"type": "tool_use", "id": "t1", "name": "Grep", "input": {"pattern": "x"}}]}}),
        json.dumps({"type": "user", "message": {"content": [
            {"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "no"}],
             "is_error": True}]}}),
        json.dumps({"type": "result", "subtype": "success", "result": "top"}),
    ]
    recorder = Recorder()
    result = _Reader(recorder).consume(lines)
    assert result["result"] == "top"
    assert recorder.seen == [("text", "top"), ("call", "Grep"), ("result", "Grep", True)]


def test_redactor_hides_every_configured_secret(capsys):
    env = {"ANTHROPIC_API_KEY": "sk-ant-abcdef", "OPENAI_API_KEY": "sk-oa-123456",
           "ANTHROPIC_CUSTOM_HEADERS": "X-Gateway-Key: gw-secret-77"}
    redact = Redactor(env)
    assert redact("a sk-ant-abcdef b sk-oa-123456 c gw-secret-77") == "a *** b *** c ***"
    Output(sys.stdout, sys.stderr, redact).warning("key sk-oa-123456 rejected")
    assert capsys.readouterr().err == "warning: key *** rejected\n"
