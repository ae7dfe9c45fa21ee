"""OpenAI-compatible chat completions through the official ``openai`` SDK.

Reaches OpenAI, Ollama (``http://localhost:11434/v1``), vLLM, LM Studio, llama.cpp's
``llama-server`` and OpenRouter. Streams with ``stream_options.include_usage``; tool-call
fragments are joined per index; a stream that ends without a ``finish_reason`` is an error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Optional

from ..base import EXIT_USAGE, Events, Provider, RunError, RunSpec, ToolCall, ToolResult, TurnResult, Usage
from ..errors import import_sdk, map_sdk_error, map_transport_error, stream_ended_early
from ..tool_schemas import SCHEMAS

DEFAULT_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"  # local servers ignore the key, but the SDK requires one
STOP_REASONS = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use", "function_call": "tool_use"}


class OpenAIProvider(Provider):
    name = "openai"

    def __init__(self, *, env: Mapping[str, str], base_url: Optional[str] = None,
                 max_retries: int = 2, timeout: float = 600.0, max_tokens_given: bool = False):
        self.env = env
        self.base_url = (base_url or env.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.max_retries = max_retries
        self.timeout = timeout
        self.max_tokens_given = max_tokens_given  # servers differ on max_tokens; send it only when asked
        self._client: Any = None
        self._sdk: Any = None

    def endpoint(self) -> str:
        return f"{self.base_url}/chat/completions"

    def request(self, spec: RunSpec, messages: list) -> dict[str, Any]:
        system = [{"role": "system", "content": spec.system_prompt}] if spec.system_prompt.strip() else []
        body: dict[str, Any] = {"model": spec.model, "messages": system + messages}
        if self.max_tokens_given:
            body["max_tokens"] = spec.max_tokens
        if spec.tools:
            body["tools"] = [
                {"type": "function",
                 "function": {"name": s.name, "description": s.description, "parameters": s.input_schema}}
                for s in (SCHEMAS[name] for name in spec.tools)
            ]
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
        return body

    def preview(self, spec: RunSpec, messages: list) -> dict[str, Any]:
        key = self.env.get("OPENAI_API_KEY")
        return {
            "provider": self.name,
            "method": "POST",
            "url": self.endpoint(),
            "credentials": "OPENAI_API_KEY=*** (redacted)" if key else "none in the environment",
            "body": self.request(spec, messages),
        }

    def prepare(self) -> None:
        sdk = import_sdk("openai")
        key = self.env.get("OPENAI_API_KEY")
        if not key:
            if self.base_url == DEFAULT_BASE_URL:
                raise RunError(
                    "no OpenAI credentials: set OPENAI_API_KEY, or point OPENAI_BASE_URL / --base-url at a "
                    "local server (or use --dry-run to see the request without sending it)",
                    EXIT_USAGE,
                )
            key = PLACEHOLDER_KEY
        try:
            self._client = sdk.OpenAI(api_key=key, base_url=self.base_url,
                                      max_retries=self.max_retries, timeout=self.timeout)
        except sdk.OpenAIError as exc:
            raise RunError(f"openai client: {exc}", EXIT_USAGE) from None
        self._sdk = sdk

    def turn(self, spec: RunSpec, messages: list, events: Events) -> TurnResult:
        if self._client is None:
            self.prepare()
        sdk = self._sdk
        text: list[str] = []
        calls: dict[int, dict[str, str]] = {}
        finish: Optional[str] = None
        usage = Usage()
        try:
            stream = self._client.chat.completions.create(**self.request(spec, messages))
            with stream:
                for chunk in stream:
                    if chunk.usage is not None:
                        usage = Usage(chunk.usage.prompt_tokens or 0, chunk.usage.completion_tokens or 0)
                    for choice in chunk.choices or []:
                        delta = choice.delta
                        if delta is not None and delta.content:
                            text.append(delta.content)
                            events.text(delta.content)
                        for fragment in (delta.tool_calls if delta is not None else None) or []:
                            slot = calls.setdefault(_index(fragment, calls), {"id": "", "name": "", "arguments": ""})
                            slot["id"] = fragment.id or slot["id"]
                            if fragment.function is not None:
                                slot["name"] += fragment.function.name or ""
                                slot["arguments"] += fragment.function.arguments or ""
                        if choice.finish_reason:
                            finish = choice.finish_reason
        except sdk.OpenAIError as exc:
            raise map_sdk_error(exc, sdk, endpoint=self.base_url, key_env="OPENAI_API_KEY",
                                retries=self.max_retries) from None
        except Exception as exc:
            mapped = map_transport_error(exc, self.base_url)
            if mapped is None:
                raise
            raise mapped from None
        if finish is None:
            raise stream_ended_early(self.base_url)
        return self._turn_result("".join(text), [calls[i] for i in sorted(calls)], finish, usage)

    def _turn_result(self, text: str, raw_calls: list[dict[str, str]], finish: str, usage: Usage) -> TurnResult:
        calls: list[ToolCall] = []
        for n, raw in enumerate(raw_calls):
            call_id = raw["id"] or f"call_{n}"
            raw["id"] = call_id
            try:
                args = json.loads(raw["arguments"] or "{}")
                problem = None if isinstance(args, dict) else "arguments were not a JSON object"
            except json.JSONDecodeError as exc:
                args, problem = {}, f"arguments were not valid JSON ({exc.msg})"
            calls.append(ToolCall(call_id, raw["name"], args if isinstance(args, dict) else {}, problem))
        message: dict[str, Any] = {"role": "assistant", "content": text or None}
        if raw_calls:
            message["tool_calls"] = [
                {"id": c["id"], "type": "function",
                 "function": {"name": c["name"], "arguments": c["arguments"] or "{}"}}
                for c in raw_calls
            ]
        stop = "tool_use" if calls else STOP_REASONS.get(finish, finish)
        return TurnResult(text, calls, stop, usage, message)

    def tool_results_messages(self, results: list[tuple[ToolCall, ToolResult]]) -> list:
        return [
            {"role": "tool", "tool_call_id": call.id,
             "content": f"Error: {result.content}" if result.is_error else result.content}
            for call, result in results
        ]


def _index(fragment: Any, calls: dict[int, dict[str, str]]) -> int:
    """The call a tool-call fragment belongs to; some servers omit ``index``."""
    if fragment.index is not None:
        return fragment.index
    if fragment.id:
        known = [key for key, slot in calls.items() if slot["id"] == fragment.id]
        return known[0] if known else len(calls)  # a new call
    return max(calls, default=0)  # more arguments for the latest call
