"""The Anthropic Messages API through the official ``anthropic`` SDK (streaming, tool use).

Honours ``ANTHROPIC_BASE_URL``, so it also reaches gateways and the local servers that
speak the Messages API (Ollama, llama.cpp, LM Studio). Never sends temperature, top_p or
top_k: the current API version rejects them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ..base import EXIT_USAGE, Events, Provider, RunError, RunSpec, ToolCall, ToolResult, TurnResult, Usage
from ..errors import import_sdk, map_sdk_error, map_transport_error, stream_ended_early
from ..tool_schemas import SCHEMAS

DEFAULT_BASE_URL = "https://api.anthropic.com"
KEY_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")


class AnthropicProvider(Provider):
    name = "anthropic"

    def __init__(self, *, env: Mapping[str, str], base_url: Optional[str] = None,
                 max_retries: int = 2, timeout: float = 600.0):
        self.env = env
        self.base_url = (base_url or env.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.max_retries = max_retries
        self.timeout = timeout
        self._client: Any = None
        self._sdk: Any = None

    def endpoint(self) -> str:
        return f"{self.base_url}/v1/messages"

    def request(self, spec: RunSpec, messages: list) -> dict[str, Any]:
        body: dict[str, Any] = {"model": spec.model, "max_tokens": spec.max_tokens}
        if spec.system_prompt.strip():
            body["system"] = spec.system_prompt
        body["messages"] = messages
        if spec.tools:
            body["tools"] = [
                {"name": s.name, "description": s.description, "input_schema": s.input_schema}
                for s in (SCHEMAS[name] for name in spec.tools)
            ]
        return body

    def preview(self, spec: RunSpec, messages: list) -> dict[str, Any]:
        present = [name for name in KEY_ENV if self.env.get(name)]
        return {
            "provider": self.name,
            "method": "POST",
            "url": self.endpoint(),
            "credentials": f"{present[0]}=*** (redacted)" if present else "none in the environment",
            "body": {**self.request(spec, messages), "stream": True},
        }

    def prepare(self) -> None:
        """Import the SDK and build the client; fail early and clearly without credentials."""
        sdk = import_sdk("anthropic")
        credentials: dict[str, str] = {}
        if self.env.get("ANTHROPIC_API_KEY"):
            credentials["api_key"] = self.env["ANTHROPIC_API_KEY"]
        elif self.env.get("ANTHROPIC_AUTH_TOKEN"):
            credentials["auth_token"] = self.env["ANTHROPIC_AUTH_TOKEN"]
        try:  # with no key in the environment the SDK may still find a profile on disk
            client = sdk.Anthropic(base_url=self.base_url, max_retries=self.max_retries, timeout=self.timeout,
                                   **credentials)
        except sdk.AnthropicError as exc:
            raise RunError(f"anthropic credentials: {exc}", EXIT_USAGE) from None
        if client.api_key is None and client.auth_token is None and getattr(client, "credentials", None) is None:
            raise RunError(
                "no Anthropic credentials: set ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN "
                "(or use --dry-run to see the request without sending it)",
                EXIT_USAGE,
            )
        self._sdk, self._client = sdk, client

    def turn(self, spec: RunSpec, messages: list, events: Events) -> TurnResult:
        if self._client is None:
            self.prepare()
        sdk = self._sdk
        finished = False
        try:
            with self._client.messages.stream(**self.request(spec, messages)) as stream:
                for event in stream:
                    if event.type == "text":
                        events.text(event.text)
                    elif event.type == "message_stop":
                        finished = True
                if not finished:
                    raise stream_ended_early(self.base_url)
                final = stream.get_final_message()
        except sdk.AnthropicError as exc:
            raise map_sdk_error(exc, sdk, endpoint=self.base_url, key_env=" or ".join(KEY_ENV),
                                retries=self.max_retries) from None
        except Exception as exc:
            mapped = map_transport_error(exc, self.base_url)
            if mapped is None:
                raise
            raise mapped from None
        return self._turn_result(final)

    def _turn_result(self, final: Any) -> TurnResult:
        blocks = [_block_param(block) for block in final.content]
        blocks = [b for b in blocks if not (b.get("type") == "text" and not b["text"])]  # API rejects empty text
        calls = [
            ToolCall(b["id"], b["name"], b["input"] if isinstance(b["input"], dict) else {},
                     None if isinstance(b["input"], dict) else "tool input was not a JSON object")
            for b in blocks if b.get("type") == "tool_use"
        ]
        text = "".join(b["text"] for b in blocks if b.get("type") == "text")
        u = final.usage
        usage = Usage(
            (u.input_tokens or 0) + (getattr(u, "cache_creation_input_tokens", 0) or 0)
            + (getattr(u, "cache_read_input_tokens", 0) or 0),
            u.output_tokens or 0,
        )
        message = {"role": "assistant", "content": blocks} if blocks else None
        return TurnResult(text, calls, final.stop_reason or "end_turn", usage, message)

    def tool_results_messages(self, results: list[tuple[ToolCall, ToolResult]]) -> list:
        content = []
        for call, result in results:
            block: dict[str, Any] = {"type": "tool_result", "tool_use_id": call.id, "content": result.content}
            if result.is_error:
                block["is_error"] = True
            content.append(block)
        return [{"role": "user", "content": content}]


def _block_param(block: Any) -> dict[str, Any]:
    """A response content block as it must be sent back in the next request."""
    kind = block.type
    if kind == "text":
        return {"type": "text", "text": block.text}
    if kind == "tool_use":
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.input}
    if kind == "thinking":
        return {"type": "thinking", "thinking": block.thinking, "signature": block.signature}
    if kind == "redacted_thinking":
        return {"type": "redacted_thinking", "data": block.data}
    return block.model_dump(exclude_none=True)
