"""The runtime's vocabulary: the run spec, one provider interface, turns, errors, exit codes.

Nothing here imports a provider SDK. Each provider keeps the conversation in its own
wire format (no lossy translation between protocols); only the events are normalised.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Protocol

EXIT_OK = 0
EXIT_INVALID_AGENT = 1
EXIT_USAGE = 2
EXIT_CONNECTION = 3
EXIT_API = 4
EXIT_INTERRUPTED = 130

SAFE_TOOLS = ("Read", "Glob", "Grep")
DEFAULT_MAX_TURNS = 10
DEFAULT_MAX_TOKENS = 8192


class RunError(Exception):
    """A failure reported as one line and an exit code, never a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_API):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@dataclass
class RunSpec:
    name: str
    system_prompt: str
    model: str  # the resolved model id sent to the provider
    tools: tuple[str, ...] = SAFE_TOOLS  # the tools offered to the model
    max_turns: int = DEFAULT_MAX_TURNS
    question: str = ""
    context: Optional[str] = None  # piped stdin, appended to the question
    max_tokens: int = DEFAULT_MAX_TOKENS
    model_label: str = ""  # how the model was chosen, for status lines
    cwd: Path = field(default_factory=Path.cwd)
    agent_fields: dict[str, Any] = field(default_factory=dict)  # frontmatter, for claude-code

    def user_content(self, question: Optional[str] = None) -> str:
        text = self.question if question is None else question
        if self.context:
            block = f'<context source="stdin">\n{self.context.rstrip()}\n</context>'
            return f"{text}\n\n{block}" if text.strip() else block
        return text


@dataclass
class ToolCall:
    id: str
    name: str
    input: dict[str, Any]
    input_error: Optional[str] = None  # arguments that were not a JSON object


@dataclass
class ToolResult:
    content: str
    is_error: bool = False


@dataclass
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0

    def add(self, other: "Usage") -> None:
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens


@dataclass
class TurnResult:
    text: str
    tool_calls: list[ToolCall]
    stop_reason: str  # normalised to Anthropic's names: end_turn, tool_use, max_tokens, ...
    usage: Usage
    assistant_message: Any  # provider-native, appended to the conversation verbatim; None if empty
    turns: int = 1  # model calls this turn took (claude-code runs several itself)


class Events(Protocol):
    """Where a provider reports what happens while a turn streams."""

    def text(self, delta: str) -> None: ...

    def tool_call(self, call: ToolCall) -> None: ...

    def tool_result(self, call: ToolCall, result: ToolResult) -> None: ...


class Provider(ABC):
    name: str = ""
    runs_tools_itself = False  # claude-code runs its own tool loop

    @abstractmethod
    def endpoint(self) -> str:
        """Where requests go, for status lines and the dry run (no credentials)."""

    @abstractmethod
    def preview(self, spec: RunSpec, messages: list) -> dict[str, Any]:
        """The exact request the next turn would send, credentials redacted."""

    def prepare(self) -> None:
        """Import the SDK, build the client and check credentials: fail before any output."""

    @abstractmethod
    def turn(self, spec: RunSpec, messages: list, events: Events) -> TurnResult:
        """Send the conversation, stream the reply through ``events``, return the turn."""

    def user_message(self, text: str) -> Any:
        return {"role": "user", "content": text}

    @abstractmethod
    def tool_results_messages(self, results: list[tuple[ToolCall, ToolResult]]) -> list:
        """The messages that carry the results of one turn's tool calls back to the model."""

    def close(self) -> None:
        """Release clients or processes."""
