"""An offline, deterministic provider for demos and tests: it describes what it was given."""

from __future__ import annotations

from typing import Any

from ..base import Events, Provider, RunSpec, ToolCall, ToolResult, TurnResult, Usage


class EchoProvider(Provider):
    name = "echo"

    def endpoint(self) -> str:
        return "(offline)"

    def preview(self, spec: RunSpec, messages: list) -> dict[str, Any]:
        return {
            "provider": self.name,
            "url": self.endpoint(),
            "credentials": "none needed",
            "body": {"model": spec.model, "system": spec.system_prompt, "messages": messages,
                     "tools": list(spec.tools)},
        }

    def turn(self, spec: RunSpec, messages: list, events: Events) -> TurnResult:
        question = messages[-1]["content"] if messages else ""
        prompt_lines = len(spec.system_prompt.splitlines())
        lines = [
            f"[echo] agent: {spec.name}\n",
            f"[echo] model: {spec.model}\n",
            f"[echo] tools: {', '.join(spec.tools) or 'none'}\n",
            f"[echo] system prompt: {prompt_lines} lines, {len(spec.system_prompt)} characters\n",
            f"[echo] turn: {sum(1 for m in messages if m.get('role') == 'user')}\n",
            f"[echo] message:\n{question}\n",
        ]
        for line in lines:
            events.text(line)
        text = "".join(lines)
        usage = Usage(len(spec.system_prompt.split()) + len(question.split()), len(text.split()))
        return TurnResult(text, [], "end_turn", usage, {"role": "assistant", "content": text})

    def tool_results_messages(self, results: list[tuple[ToolCall, ToolResult]]) -> list:
        return [{"role": "user", "content": r.content} for _, r in results]
