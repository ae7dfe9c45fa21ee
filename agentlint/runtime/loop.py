"""The agent loop: stream a turn, run the tools it asks for, send the results, repeat.

``max_turns`` bounds the number of model calls. The conversation list is kept by the
caller, so an interactive chat simply calls ``run_exchange`` again with the same list.
"""

from __future__ import annotations

import time
from typing import Callable, Optional

from .base import Provider, RunSpec, ToolResult, Usage
from .output import Output, RunSummary
from .tools import Toolbox


def run_exchange(provider: Provider, spec: RunSpec, toolbox: Toolbox, output: Output,
                 messages: list, question: Optional[str] = None) -> RunSummary:
    """One user message and every model turn and tool call that follow it."""
    started = time.monotonic()
    messages.append(provider.user_message(spec.user_content(question)))
    usage = Usage()
    turns = 0
    while True:
        turn = provider.turn(spec, messages, output)
        turns += turn.turns
        usage.add(turn.usage)
        output.usage(turns, turn.usage)
        if turn.assistant_message is not None:
            messages.append(turn.assistant_message)
        if turn.stop_reason == "max_tokens":
            output.warning(f"the reply was cut off at {spec.max_tokens} output tokens (--max-tokens)")
        if not turn.tool_calls or provider.runs_tools_itself:
            stop = turn.stop_reason
            break
        limit_reached = turns >= spec.max_turns
        results = []
        for call in turn.tool_calls:
            output.tool_call(call)
            if limit_reached:
                result = ToolResult(f"not run: the limit of {spec.max_turns} turns was reached", True)
            else:
                result = toolbox.run(call)
            output.tool_result(call, result)
            results.append((call, result))
        messages.extend(provider.tool_results_messages(results))
        if limit_reached:
            stop = "max_turns"
            break
    if stop == "max_turns":
        output.warning(f"stopped after {spec.max_turns} turns (maxTurns / --max-turns)")
    output.finish_answer()
    return RunSummary(turns, usage, time.monotonic() - started, stop)


def chat(provider: Provider, spec: RunSpec, toolbox: Toolbox, output: Output,
         read_line: Callable[[], Optional[str]]) -> RunSummary:
    """An interactive conversation: one exchange per line read, until ``read_line`` gives None."""
    messages: list = []
    total = RunSummary(0, Usage(), 0.0, "end_turn")
    while True:
        line = read_line()
        if line is None:
            return total
        if not line.strip():
            continue
        summary = run_exchange(provider, spec, toolbox, output, messages, question=line)
        total.turns += summary.turns
        total.usage.add(summary.usage)
        total.seconds += summary.seconds
        total.stop_reason = summary.stop_reason
