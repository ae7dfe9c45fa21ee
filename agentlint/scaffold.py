"""``agentlint new NAME``: write a new agent file that passes ``agentlint check --strict``.

The frontmatter is written as strictly valid YAML that Claude Code reads to the same values:
each value goes through :func:`yaml_scalar`, which writes a plain scalar only when YAML 1.2
and Claude Code's frontmatter splitter both read it back unchanged, a literal block scalar
for clean multi-line text, and a double-quoted scalar otherwise (with no ``---`` anywhere,
since Claude Code ends the frontmatter at the first one, even inside a value).

Before anything is written the candidate is linted together with the agents already in the
folder (so a duplicate ``name`` is caught); with an error or a warning nothing is written.
After writing, the file on disk is linted again.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import Optional, Sequence

from .diagnostics import Diagnostic
from .load import split_tool_string

NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_NAME = 64


class ScaffoldError(Exception):
    """A usage problem: bad name, existing file, missing description."""


# ---------------------------------------------------------------------------------------------
# YAML scalars
# ---------------------------------------------------------------------------------------------

# Plain scalars we write: start with a letter or digit, then a conservative set of characters.
_PLAIN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.,;:()/'+*?!=<>&%@$~^`|\[\]{}-]*\Z")
# What the YAML 1.2 core schema would read as something other than a string.
_NON_STRING_RE = re.compile(
    r"(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)
# YAML 1.1 readers (PyYAML, python-frontmatter) also resolve these; quote them for portability.
_YAML11_RE = re.compile(
    r"(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?[0-9][0-9_]*"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|=)\Z"
)
_PRINTABLE_EXTRA = "\t"


def _printable(ch: str) -> bool:
    o = ord(ch)
    if ch in _PRINTABLE_EXTRA:
        return True
    if o < 0x20 or 0x7F <= o <= 0x9F or ch in "\u2028\u2029\ufeff" or 0xD800 <= o <= 0xDFFF:
        return False
    return o not in (0xFFFE, 0xFFFF)


def _plain_ok(value: str) -> bool:
    if not value or value != value.strip() or not _PLAIN_RE.match(value):
        return False
    if ": " in value or " #" in value or value.endswith(":") or "---" in value:
        return False
    if "\\n" in value:
        return False  # Claude Code would read a newline there; AL205
    if re.search(r"[\[\]{}*&!|>%@`]", value):
        # Claude Code's repair would also match such a line; keep plain only what needs no repair.
        return False
    return not _NON_STRING_RE.match(value) and not _YAML11_RE.match(value)


def _double_quoted(value: str) -> str:
    out = ['"']
    dashes = 0
    for ch in value:
        if ch == "-":
            if dashes == 2:
                out.append("\\x2d")  # never three dashes in a row: Claude Code would end the frontmatter
                dashes = 0
                continue
            dashes += 1
            out.append(ch)
            continue
        dashes = 0
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif not _printable(ch):
            o = ord(ch)
            out.append(f"\\x{o:02x}" if o <= 0xFF else (f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}"))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _block_ok(value: str) -> bool:
    if "\n" not in value or "---" in value or "\r" in value:
        return False
    if value.endswith("\n\n") or value.startswith((" ", "\n")):
        return False
    if any(not _printable(ch) for ch in value if ch != "\n"):
        return False
    if "\t" in value or "\\n" in value:
        return False
    lines = value.rstrip("\n").split("\n")
    return all(line == line.rstrip() for line in lines)


def yaml_scalar(value: str, indent: int = 2) -> str:
    """``value`` as a YAML scalar, to follow ``key: `` (block scalars span several lines)."""
    if _plain_ok(value):
        return value
    if _block_ok(value):
        chomp = "" if value.endswith("\n") else "-"
        pad = " " * indent
        lines = value.rstrip("\n").split("\n")
        return "|" + chomp + "\n" + "\n".join(pad + line if line else "" for line in lines)
    return _double_quoted(value)


# ---------------------------------------------------------------------------------------------
# The agent
# ---------------------------------------------------------------------------------------------


@dataclass
class Spec:
    name: str
    description: str
    tools: Optional[list[str]] = None
    model: Optional[str] = None
    color: Optional[str] = None


def check_name(name: str) -> None:
    from .vocab import BUILTIN_AGENTS

    if not NAME_RE.match(name):
        raise ScaffoldError(
            f"invalid agent name {name!r}: use lowercase letters, digits and single hyphens (like `code-reviewer`)"
        )
    if len(name) > MAX_NAME:
        raise ScaffoldError(f"the name has {len(name)} characters; the limit is {MAX_NAME}")
    if name in BUILTIN_AGENTS:
        raise ScaffoldError(f"`{name}` is a built-in agent's name: a project agent with it replaces the built-in one")


def parse_tools(value: Optional[str]) -> Optional[list[str]]:
    if value is None:
        return None
    items = split_tool_string(value)
    return items or None


def _title(name: str) -> str:
    return " ".join(part.capitalize() for part in name.split("-"))


_WRITE_TOOLS = {"Write", "Edit", "NotebookEdit", "MultiEdit", "Bash", "PowerShell"}


def body_text(spec: Spec) -> str:
    tools = spec.tools
    lines = [
        f"You are {_title(spec.name)}, a specialist subagent. You are called for the work described",
        "in your description; the caller sees only your final message, so make it complete.",
        "",
        "## When you are invoked",
        "1. Restate the task in one sentence and decide what \"done\" means for it.",
        "2. Gather the context you need before acting: read the relevant files and search the code.",
        "3. Work in small steps and check each one against the goal.",
        "4. Verify the result (run the tests, re-read the change) before you report.",
        "",
        "## How you report",
        "- Lead with the outcome: what you did or what you found.",
        "- Give file paths and line numbers for everything you refer to.",
        "- Say what you could not finish or verify, and why.",
    ]
    if tools is not None and not (_WRITE_TOOLS & {t.split("(", 1)[0] for t in tools}):
        lines += ["", "You work read-only: describe the changes you recommend instead of making them."]
    lines += ["", "Stay within this role. If the task needs something else, say so rather than guessing."]
    return "\n".join(lines) + "\n"


def render(spec: Spec) -> str:
    """The agent file's text."""
    out = ["---", f"name: {yaml_scalar(spec.name)}", f"description: {yaml_scalar(spec.description)}"]
    if spec.tools:
        out.append(f"tools: {yaml_scalar(', '.join(spec.tools))}")
    if spec.model:
        out.append(f"model: {yaml_scalar(spec.model)}")
    if spec.color:
        out.append(f"color: {yaml_scalar(spec.color)}")
    out += ["---", ""]
    return "\n".join(out) + "\n" + body_text(spec)


# ---------------------------------------------------------------------------------------------
# Checking and writing
# ---------------------------------------------------------------------------------------------


def lint_candidate(path: str, content: bytes, config) -> list[Diagnostic]:
    """Diagnostics for ``content`` as if written at ``path``, with the agents beside it."""
    from .document import from_bytes
    from .engine import lint_contexts, make_context
    from .files import walk_markdown
    from .load import analyse
    from .rules.base import FileContext

    folder = os.path.dirname(path) or "."
    target = os.path.normcase(os.path.abspath(path))
    others = []
    if os.path.isdir(folder):
        others = [p for p in walk_markdown(folder) if os.path.normcase(os.path.abspath(p)) != target]
    ctx = FileContext(analyse(from_bytes(path, content)), config, path)
    contexts = [ctx] + [make_context(p, config) for p in others]
    results = lint_contexts(contexts, config)
    return results[0].diagnostics


def blocking(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    """What makes ``agentlint check --strict`` fail: errors and warnings."""
    return [d for d in diags if d.severity.value in ("error", "warning")]


def write_new(path: str, content: bytes, force: bool) -> None:
    """Create ``path`` (never through a symlink); replace an existing file only with ``force``."""
    from .fixes import WriteError, write_atomic

    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    if os.path.lexists(path):
        if not force:
            raise ScaffoldError(f"{path} already exists (use --force to overwrite it)")
        if os.path.islink(path) or not os.path.isfile(path):
            raise ScaffoldError(f"{path} exists and is not a regular file: not overwriting it")
        try:
            write_atomic(path, content)
        except WriteError as exc:
            raise ScaffoldError(f"cannot write {path}: {exc}") from None
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists (use --force to overwrite it)") from None
    except OSError as exc:
        raise ScaffoldError(f"cannot create {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)


def stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def prompt_missing(spec_values: dict, interactive: bool) -> dict:
    """Ask for what the flags did not give (on a terminal); without one, only the description
    is required."""
    import click

    from .vocab import COLORS, MODEL_ALIASES

    values = dict(spec_values)
    if not interactive:
        if not values.get("description") or not values["description"].strip():
            raise ScaffoldError("a description is required: pass --description \"Use this agent when ...\" (no terminal to ask on)")
        return values

    def nonblank(text: str) -> str:
        if not text.strip():
            raise click.BadParameter("the description cannot be empty")
        return text

    if not values.get("description") or not values["description"].strip():
        values["description"] = click.prompt(
            "Description (when should Claude use this agent? e.g. \"Use this agent when ...\")",
            value_proc=nonblank,
        )
    if values.get("tools") is None:
        values["tools"] = click.prompt("Tools, comma-separated (empty: all tools)", default="", show_default=False)
    if values.get("model") is None:
        values["model"] = click.prompt(f"Model ({', '.join(MODEL_ALIASES)} or a model id; empty: inherit)", default="", show_default=False)
    if values.get("color") is None:
        values["color"] = click.prompt(
            f"Color ({', '.join(COLORS)}; empty: none)",
            default="",
            show_default=False,
            type=click.Choice(list(COLORS) + [""]),
            show_choices=False,
        )
    return values


def create(
    name: str,
    description: Optional[str],
    tools: Optional[str],
    model: Optional[str],
    color: Optional[str],
    folder: str,
    force: bool,
    config,
    interactive: bool,
) -> tuple[str, list[Diagnostic]]:
    """Validate, render, lint and write the agent.  Returns the path and the remaining (info)
    diagnostics; raises :class:`ScaffoldError` for usage problems and :class:`LintFailure`
    when the agent would not pass ``check --strict``."""
    check_name(name)
    path = os.path.join(folder, f"{name}.md")
    if os.path.lexists(path) and not force:
        raise ScaffoldError(f"{path} already exists (use --force to overwrite it)")
    values = prompt_missing({"description": description, "tools": tools, "model": model, "color": color}, interactive)
    for key, value in values.items():
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError:
            raise ScaffoldError(f"the {key} is not valid text (undecodable bytes in the argument)") from None
    spec = Spec(
        name=name,
        description=values["description"],
        tools=parse_tools(values.get("tools") or None),
        model=(values.get("model") or "").strip() or None,
        color=(values.get("color") or "").strip() or None,
    )
    content = render(spec).encode("utf-8")
    problems = blocking(lint_candidate(path, content, config))
    if problems:
        raise LintFailure(path, problems)
    write_new(path, content, force)
    from .engine import lint_files
    from .files import walk_markdown

    results = lint_files(walk_markdown(os.path.dirname(path) or "."), config)
    mine = [r for r in results if os.path.abspath(r.ctx.agent.path) == os.path.abspath(path)]
    diags = mine[0].diagnostics if mine else []
    after = blocking(diags)
    if after:  # only if the folder changed between the two checks
        raise LintFailure(path, after, written=True)
    return path, diags


class LintFailure(Exception):
    def __init__(self, path: str, diagnostics: list[Diagnostic], written: bool = False) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.written = written
        super().__init__(f"{path}: {len(diagnostics)} problem(s)")
