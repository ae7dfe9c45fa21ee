"""A loopback fake LLM server speaking the real Anthropic and OpenAI streaming protocols.

stdlib only: a ``ThreadingHTTPServer`` on 127.0.0.1 with an ephemeral port. It serves
``POST /v1/messages`` (Anthropic Messages SSE: named events) and
``POST /v1/chat/completions`` (OpenAI data-only SSE ending in ``[DONE]``), records every
request, and picks a scenario from the requested model name:

=====================  ==========================================================
model contains         behaviour
=====================  ==========================================================
``auth``               401 authentication error, ``x-should-retry: false``
``ratelimit``          429 on every attempt, ``retry-after-ms: 10``
``overloaded``         529 (Anthropic) / 503 (OpenAI), ``retry-after-ms: 10``; with
                       ``-once``, only on the first attempt, then text
``midstream``          some text, then an error inside the 200 stream
``truncated``          some text, then the connection closes (no stop / [DONE])
``slow``               some text, then waits for ``release`` (for Ctrl-C tests)
``tool``               turn 1 calls ``tool_name`` with ``tool_input``; turn 2 answers
                       with the tool result it received
anything else          streams ``TEXT`` in three deltas
=====================  ==========================================================
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional

TEXT_PARTS = ("Hello ", "from the ", "fake server.")
TEXT = "".join(TEXT_PARTS)


class FakeLLMServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.tool_name = "Glob"
        self.tool_input: dict[str, Any] = {"pattern": "**/*.md"}
        self.release = threading.Event()
        self.streaming = threading.Event()  # set once a `slow` stream has sent text
        self._attempts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeLLMServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "FakeLLMServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if r["path"] == path]

    def _attempt(self, key: str) -> int:
        with self._lock:
            self._attempts[key] = self._attempts.get(key, 0) + 1
            return self._attempts[key]


def _handler_for(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        fake = server

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            if self.path.split("?")[0] in ("/v1/models", "/models"):
                self._json(200, {"object": "list", "data": [{"id": "fake-text", "object": "model"}]})
            else:
                self._json(404, {"error": {"type": "not_found_error", "message": "no such route"}})

        def do_POST(self) -> None:
            path = self.path.split("?")[0]
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            self.fake.requests.append(
                {"path": path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
            )
            try:
                if path == "/v1/messages":
                    _Anthropic(self).respond(body)
                elif path in ("/v1/chat/completions", "/chat/completions"):
                    _OpenAI(self).respond(body)
                else:
                    self._json(404, {"error": {"type": "not_found_error", "message": f"no route {path}"}})
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client hung up (e.g. after an error event)

        # helpers -------------------------------------------------------------------------
        def _json(self, status: int, payload: dict[str, Any], headers: Optional[dict[str, str]] = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("request-id", "req_fake")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _start_stream(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("connection", "close")
            self.send_header("request-id", "req_fake")
            self.end_headers()

        def _send(self, chunk: str) -> None:
            self.wfile.write(chunk.encode())
            self.wfile.flush()

    return Handler


class _Protocol:
    def __init__(self, handler: Any):
        self.h = handler
        self.fake: FakeLLMServer = handler.fake

    def respond(self, body: dict[str, Any]) -> None:
        model = str(body.get("model", ""))
        if "auth" in model:
            return self.error(401, "authentication_error", "invalid x-api-key", {"x-should-retry": "false"})
        if "ratelimit" in model:
            return self.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit",
                              {"retry-after-ms": "10"})
        if "overloaded" in model and ("once" not in model or self.fake._attempt(self.key(model)) == 1):
            return self.overloaded()
        self.h._start_stream()
        if "midstream" in model:
            return self.stream_then_error(model)
        if "truncated" in model:
            return self.stream_then_close(model)
        if "slow" in model:
            return self.stream_slow(model)
        if "tool" in model:
            result = self.tool_result(body)
            if result is None:
                return self.stream_tool_call(model)
            content, is_error = result
            flag = "error" if is_error else "ok"
            return self.stream_text(model, ("Tool result ", f"({flag}): ", content[:2000]))
        return self.stream_text(model, TEXT_PARTS)

    def key(self, model: str) -> str:
        return f"{type(self).__name__}:{model}"


class _Anthropic(_Protocol):
    def event(self, name: str, data: dict[str, Any]) -> None:
        self.h._send(f"event: {name}\ndata: {json.dumps(data)}\n\n")

    def error(self, status: int, kind: str, message: str, headers: dict[str, str]) -> None:
        self.h._json(status, {"type": "error", "error": {"type": kind, "message": message},
                              "request_id": "req_fake"}, headers)

    def overloaded(self) -> None:
        self.error(529, "overloaded_error", "Overloaded", {"retry-after-ms": "10"})

    def message_start(self, model: str) -> None:
        self.event("message_start", {"type": "message_start", "message": {
            "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": 42, "output_tokens": 1}}})
        self.event("ping", {"type": "ping"})

    def text_block(self, index: int, parts: tuple[str, ...]) -> None:
        self.event("content_block_start", {"type": "content_block_start", "index": index,
                                           "content_block": {"type": "text", "text": ""}})
        for part in parts:
            self.event("content_block_delta", {"type": "content_block_delta", "index": index,
                                               "delta": {"type": "text_delta", "text": part}})
        self.event("content_block_stop", {"type": "content_block_stop", "index": index})

    def finish(self, stop_reason: str, output_tokens: int) -> None:
        self.event("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                                     "usage": {"output_tokens": output_tokens}})
        self.event("message_stop", {"type": "message_stop"})

    def stream_text(self, model: str, parts: tuple[str, ...]) -> None:
        self.message_start(model)
        self.text_block(0, parts)
        self.finish("end_turn", 12)

    def stream_tool_call(self, model: str) -> None:
        self.message_start(model)
        self.text_block(0, ("Let me look.",))
        self.event("content_block_start", {"type": "content_block_start", "index": 1, "content_block": {
            "type": "tool_use", "id": "toolu_fake_1", "name": self.fake.tool_name, "input": {}}})
        arguments = json.dumps(self.fake.tool_input)
        half = len(arguments) // 2
        for fragment in (arguments[:half], arguments[half:]):
            self.event("content_block_delta", {"type": "content_block_delta", "index": 1,
                                               "delta": {"type": "input_json_delta", "partial_json": fragment}})
        self.event("content_block_stop", {"type": "content_block_stop", "index": 1})
        self.finish("tool_use", 30)

    def tool_result(self, body: dict[str, Any]) -> Optional[tuple[str, bool]]:
        last = (body.get("messages") or [{}])[-1]
        content = last.get("content") if isinstance(last, dict) else None
        for block in content if isinstance(content, list) else []:
            if isinstance(block, dict) and block.get("type") == "tool_result":
                value = block.get("content")
                text = value if isinstance(value, str) else json.dumps(value)
                return text, bool(block.get("is_error"))
        return None

    def stream_then_error(self, model: str) -> None:
        self.message_start(model)
        self.event("content_block_start", {"type": "content_block_start", "index": 0,
                                           "content_block": {"type": "text", "text": ""}})
        self.event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                           "delta": {"type": "text_delta", "text": "Partial answer"}})
        self.event("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})

    def stream_then_close(self, model: str) -> None:
        self.message_start(model)
        self.event("content_block_start", {"type": "content_block_start", "index": 0,
                                           "content_block": {"type": "text", "text": ""}})
        self.event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                           "delta": {"type": "text_delta", "text": "Cut off"}})

    def stream_slow(self, model: str) -> None:
        self.message_start(model)
        self.event("content_block_start", {"type": "content_block_start", "index": 0,
                                           "content_block": {"type": "text", "text": ""}})
        self.event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                           "delta": {"type": "text_delta", "text": "Thinking slowly\n"}})
        self.fake.streaming.set()
        self.fake.release.wait(20)


class _OpenAI(_Protocol):
    def chunk(self, model: str, delta: dict[str, Any], finish: Optional[str] = None) -> None:
        self.data({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000,
                   "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

    def data(self, payload: Any) -> None:
        self.h._send(f"data: {json.dumps(payload) if not isinstance(payload, str) else payload}\n\n")

    def error(self, status: int, kind: str, message: str, headers: dict[str, str]) -> None:
        self.h._json(status, {"error": {"message": message, "type": kind, "param": None, "code": kind}}, headers)

    def overloaded(self) -> None:
        self.error(503, "server_error", "The server is overloaded", {"retry-after-ms": "10"})

    def done(self, model: str, finish: str, body_usage: bool = True) -> None:
        self.chunk(model, {}, finish)
        if body_usage:
            self.data({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000,
                       "model": model, "choices": [],
                       "usage": {"prompt_tokens": 42, "completion_tokens": 12, "total_tokens": 54}})
        self.data("[DONE]")

    def stream_text(self, model: str, parts: tuple[str, ...]) -> None:
        self.chunk(model, {"role": "assistant", "content": ""})
        for part in parts:
            self.chunk(model, {"content": part})
        self.done(model, "stop")

    def stream_tool_call(self, model: str) -> None:
        self.chunk(model, {"role": "assistant", "content": "Let me look."})
        self.chunk(model, {"tool_calls": [{"index": 0, "id": "call_fake_1", "type": "function",
                                           "function": {"name": self.fake.tool_name, "arguments": ""}}]})
        arguments = json.dumps(self.fake.tool_input)
        half = len(arguments) // 2
        for fragment in (arguments[:half], arguments[half:]):
            self.chunk(model, {"tool_calls": [{"index": 0, "function": {"arguments": fragment}}]})
        self.done(model, "tool_calls")

    def tool_result(self, body: dict[str, Any]) -> Optional[tuple[str, bool]]:
        last = (body.get("messages") or [{}])[-1]
        if isinstance(last, dict) and last.get("role") == "tool":
            content = str(last.get("content", ""))
            return content, content.startswith("Error:")
        return None

    def stream_then_error(self, model: str) -> None:
        self.chunk(model, {"role": "assistant", "content": "Partial answer"})
        self.data({"error": {"message": "The server had an error while processing your request.",
                             "type": "server_error"}})

    def stream_then_close(self, model: str) -> None:
        self.chunk(model, {"role": "assistant", "content": "Cut off"})

    def stream_slow(self, model: str) -> None:
        self.chunk(model, {"role": "assistant", "content": "Thinking slowly\n"})
        self.fake.streaming.set()
        self.fake.release.wait(20)


if __name__ == "__main__":  # run by hand: python tests/fakes/llm_server.py
    with FakeLLMServer() as fake:
        print(f"listening on {fake.url} (Ctrl-C stops)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
