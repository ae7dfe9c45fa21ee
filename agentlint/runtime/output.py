"""What the user sees: streamed text on stdout, status on stderr, or one JSON event per line.

Every status line, warning and error goes through ``Redactor`` so a credential taken
from the environment can never be printed, even if an error message echoes it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional, TextIO

from .base import RunError, ToolCall, ToolResult, Usage

SECRET_ENV = (
    "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_IDENTITY_TOKEN",
    "ANTHROPIC_CUSTOM_HEADERS", "CLAUDE_CODE_OAUTH_TOKEN",
)


class Redactor:
    def __init__(self, env: Optional[Mapping[str, str]] = None):
        env = os.environ if env is None else env
        values = {env.get(name, "") for name in SECRET_ENV}
        # Custom headers are "Name: value" lines: redact each value too.
        for line in env.get("ANTHROPIC_CUSTOM_HEADERS", "").splitlines():
            values.add(line.partition(":")[2].strip())
        self.secrets = sorted((v for v in values if len(v) >= 4), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


@dataclass
class RunSummary:
    turns: int
    usage: Usage
    seconds: float
    stop_reason: str


def _preview(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Output:
    """Human output: the answer streams to stdout, status lines go to stderr."""

    def __init__(self, stdout: TextIO, stderr: TextIO, redact: Redactor, *, quiet: bool = False):
        self.out, self.err, self.redact, self.quiet = stdout, stderr, redact, quiet
        self._mid_line = False

    # status ---------------------------------------------------------------------------------
    def status(self, line: str) -> None:
        if not self.quiet:
            self._end_text_line()
            self.err.write(self.redact(line) + "\n")
            self.err.flush()

    def start(self, info: dict[str, Any]) -> None:
        tools = ", ".join(info["tools"]) or "none"
        self.status(
            f"agentlint run: {info['agent']} | {info['provider']} {info['endpoint']} | "
            f"model {info['model']} | tools: {tools}"
        )

    def warning(self, message: str) -> None:
        self.status(f"warning: {message}")

    def error(self, error: RunError) -> None:
        self._end_text_line()
        self.err.write(f"error: {self.redact(error.message)}\n")
        self.err.flush()

    def end(self, summary: RunSummary) -> None:
        self._end_text_line()
        note = " (stopped: max turns reached)" if summary.stop_reason == "max_turns" else ""
        self.status(
            f"done: {summary.turns} turn{'s' if summary.turns != 1 else ''}, "
            f"{summary.usage.input_tokens} tokens in, {summary.usage.output_tokens} out, "
            f"{summary.seconds:.1f}s{note}"
        )

    # streamed events ------------------------------------------------------------------------
    def text(self, delta: str) -> None:
        if delta:
            self.out.write(delta)
            self.out.flush()
            self._mid_line = not delta.endswith("\n")

    def tool_call(self, call: ToolCall) -> None:
        args = " ".join(f"{k}={_preview(v, 60)}" for k, v in call.input.items()) if isinstance(call.input, dict) else ""
        self.status(f"[tool] {call.name} {args}".rstrip())

    def tool_result(self, call: ToolCall, result: ToolResult) -> None:
        if result.is_error:
            self.status(f"[tool] {call.name} error: {_preview(result.content, 120)}")
        else:
            lines = result.content.count("\n") + 1
            self.status(f"[tool] {call.name} -> {lines} line{'s' if lines != 1 else ''}")

    def usage(self, turn: int, usage: Usage) -> None:
        """Per-turn usage; the human output only prints the total at the end."""

    def _end_text_line(self) -> None:
        if self._mid_line:
            self.out.write("\n")
            self.out.flush()
            self._mid_line = False

    def finish_answer(self) -> None:
        self._end_text_line()


class JsonOutput(Output):
    """One JSON object per line on stdout, for scripts. Errors also get one line on stderr."""

    def _emit(self, event: dict[str, Any]) -> None:
        self.out.write(self.redact(json.dumps(event, ensure_ascii=False)) + "\n")
        self.out.flush()

    def status(self, line: str) -> None:  # human status lines are replaced by events
        pass

    def start(self, info: dict[str, Any]) -> None:
        self._emit({"type": "start", **info})

    def warning(self, message: str) -> None:
        self._emit({"type": "warning", "message": message})

    def error(self, error: RunError) -> None:
        self._emit({"type": "error", "message": error.message, "exit_code": error.exit_code})
        super().error(error)

    def end(self, summary: RunSummary) -> None:
        self._emit({
            "type": "end", "stop_reason": summary.stop_reason, "turns": summary.turns,
            "usage": {"input_tokens": summary.usage.input_tokens, "output_tokens": summary.usage.output_tokens},
            "seconds": round(summary.seconds, 3),
        })

    def text(self, delta: str) -> None:
        if delta:
            self._emit({"type": "text", "text": delta})

    def tool_call(self, call: ToolCall) -> None:
        self._emit({"type": "tool_call", "id": call.id, "name": call.name, "input": call.input})

    def tool_result(self, call: ToolCall, result: ToolResult) -> None:
        self._emit({"type": "tool_result", "id": call.id, "name": call.name,
                    "is_error": result.is_error, "content": result.content})

    def usage(self, turn: int, usage: Usage) -> None:
        self._emit({"type": "usage", "turn": turn, "input_tokens": usage.input_tokens,
                    "output_tokens": usage.output_tokens})

    def finish_answer(self) -> None:
        pass

    def _end_text_line(self) -> None:
        pass
