"""Hand the agent to a local ``claude`` CLI for full Claude Code tool behaviour.

Runs ``claude -p --agents <json> --agent NAME --output-format stream-json ...`` in the
working directory, feeds the question on stdin and turns the CLI's stream-json lines into
the same events as the other providers. Claude Code runs (and permission-checks) its own
tools, so the runtime's tool loop is not used.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Mapping
from typing import Any, Optional

from ..base import (EXIT_API, EXIT_CONNECTION, EXIT_USAGE, Events, Provider, RunError, RunSpec, ToolCall, ToolResult,
                    TurnResult, Usage)

# The keys Claude Code accepts in an ``--agents`` definition besides description and prompt.
AGENT_KEYS = ("tools", "disallowedTools", "permissionMode", "mcpServers", "hooks", "maxTurns", "skills",
              "initialPrompt", "memory", "effort", "background", "isolation")


class ClaudeCodeProvider(Provider):
    name = "claude-code"
    runs_tools_itself = True

    def __init__(self, *, env: Mapping[str, str], binary: Optional[str] = None, no_tools: bool = False,
                 keep_session: bool = False, timeout: float = 600.0):
        self.env = env
        self.binary = binary or env.get("AGENTLINT_CLAUDE_BIN") or shutil.which("claude")
        self.no_tools = no_tools
        self.keep_session = keep_session  # chat: resume the CLI's session on later turns
        self.timeout = timeout
        self.session_id: Optional[str] = None
        self._process: Optional[subprocess.Popen[str]] = None

    def endpoint(self) -> str:
        return self.binary or "claude (not on PATH)"

    def definition(self, spec: RunSpec) -> dict[str, Any]:
        agent: dict[str, Any] = {
            "description": spec.agent_fields.get("description") or f"{spec.name} (run by agentlint)",
            "prompt": spec.system_prompt,
        }
        for key in AGENT_KEYS:
            if key in spec.agent_fields:
                agent[key] = spec.agent_fields[key]
        for key in ("tools", "disallowedTools", "skills"):  # the JSON form takes lists only
            if isinstance(agent.get(key), str):
                agent[key] = [item.strip() for item in agent[key].split(",") if item.strip()]
        agent["model"] = spec.model
        agent["maxTurns"] = spec.max_turns
        if self.no_tools:
            agent["tools"] = []
        return agent

    def command(self, spec: RunSpec) -> list[str]:
        argv = [self.binary or "claude", "-p",
                "--agents", json.dumps({spec.name: self.definition(spec)}, ensure_ascii=False),
                "--agent", spec.name, "--output-format", "stream-json", "--verbose",
                "--include-partial-messages"]
        if self.session_id:
            argv += ["--resume", self.session_id]
        elif not self.keep_session:
            argv.append("--no-session-persistence")
        return argv

    def preview(self, spec: RunSpec, messages: list) -> dict[str, Any]:
        return {
            "provider": self.name,
            "command": self.command(spec),
            "cwd": str(spec.cwd),
            "stdin": messages[-1]["content"] if messages else "",
            "credentials": "the claude CLI's own login or ANTHROPIC_API_KEY",
        }

    def prepare(self) -> None:
        if not self.binary or not os.access(self.binary, os.X_OK):
            raise RunError(
                "the claude-code provider needs the Claude Code CLI: install it so that `claude` is on PATH "
                "(or set AGENTLINT_CLAUDE_BIN)", EXIT_USAGE
            )

    def turn(self, spec: RunSpec, messages: list, events: Events) -> TurnResult:
        self.prepare()
        prompt = messages[-1]["content"]
        try:
            self._process = subprocess.Popen(
                self.command(spec), cwd=spec.cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
            )
        except OSError as exc:
            raise RunError(f"cannot start {self.binary}: {exc.strerror or exc}", EXIT_USAGE) from None
        process = self._process
        watchdog = threading.Timer(self.timeout, process.kill)  # a hung CLI must not hang the run
        watchdog.start()
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(prompt)
            process.stdin.close()
            result = _Reader(events).consume(process.stdout)
            process.wait()
            stderr = process.stderr.read() if process.stderr else ""
        finally:
            timed_out = not watchdog.is_alive() and process.returncode is not None and process.returncode < 0
            watchdog.cancel()
            self.close()
        if result is None and timed_out:
            raise RunError(f"claude gave no result within {self.timeout:g} s (--timeout)", EXIT_CONNECTION)
        if result is None:
            last = (stderr.strip().splitlines() or [f"exit status {process.returncode}"])[-1]
            raise RunError(f"claude ended without a result: {last}", EXIT_API)
        self.session_id = result.get("session_id") or self.session_id
        if result.get("is_error") or result.get("subtype") not in ("success", "error_max_turns"):
            detail = " ".join(str(result.get("result") or result.get("subtype") or "unknown error").split())
            detail = detail if len(detail) <= 300 else detail[:299] + "…"
            raise RunError(f"claude reported an error: {detail}", EXIT_API)
        raw = result.get("usage") or {}
        inputs = ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
        usage = Usage(sum(int(raw.get(k) or 0) for k in inputs), int(raw.get("output_tokens") or 0))
        text = result.get("result") or ""
        stop = "max_turns" if result.get("subtype") == "error_max_turns" else "end_turn"
        return TurnResult(text, [], stop, usage, {"role": "assistant", "content": text},
                          turns=int(result.get("num_turns") or 1))

    def tool_results_messages(self, results: list[tuple[ToolCall, ToolResult]]) -> list:
        return []  # Claude Code runs its own tools

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()


class _Reader:
    """Turns stream-json lines into events; returns the final ``result`` object."""

    def __init__(self, events: Events):
        self.events = events
        self.calls: dict[str, ToolCall] = {}

    def consume(self, lines) -> Optional[dict[str, Any]]:
        result = None
        for line in lines:
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(item, dict) or item.get("parent_tool_use_id"):
                continue  # nested subagent traffic is not this agent's output
            kind = item.get("type")
            if kind == "stream_event":
                event = item.get("event") or {}
                delta = event.get("delta") or {}
                if event.get("type") == "content_block_delta" and delta.get("type") == "text_delta":
                    self.events.text(delta.get("text", ""))
            elif kind == "assistant":
                for block in _content(item):
                    if block.get("type") == "tool_use":
                        call = ToolCall(block.get("id", ""), block.get("name", ""), block.get("input") or {})
                        self.calls[call.id] = call
                        self.events.tool_call(call)
            elif kind == "user":
                for block in _content(item):
                    if block.get("type") == "tool_result" and block.get("tool_use_id") in self.calls:
                        self.events.tool_result(self.calls[block["tool_use_id"]],
                                                ToolResult(_text(block.get("content")), bool(block.get("is_error"))))
            elif kind == "result":
                result = item
        return result


def _content(item: dict[str, Any]) -> list[dict[str, Any]]:
    content = (item.get("message") or {}).get("content")
    return [b for b in content if isinstance(b, dict)] if isinstance(content, list) else []


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(b.get("text", "") for b in content if isinstance(b, dict))
    return ""
