"""Read, Glob and Grep: read-only tools confined to one directory (see ``workspace``).

Output is capped; binary files are refused; the regular-expression search runs in a child
process that is killed after a deadline, because Python's ``re`` can backtrack for ever on a
hostile pattern. Failures are returned as error results the model can read and recover from;
nothing here raises to the caller.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable, Optional

from .base import SAFE_TOOLS, ToolCall, ToolResult
from .tool_schemas import SCHEMAS, ToolSchema, offered_tools
from .workspace import WALK_TIMEOUT_S, ToolError, WalkLimit, Workspace, check_relative_pattern, glob_to_regex

__all__ = ["SCHEMAS", "ToolError", "ToolSchema", "Toolbox", "Workspace", "glob_to_regex", "offered_tools"]

MAX_RESULT_CHARS = 30_000
READ_DEFAULT_LINES = 2000
MAX_LINE_CHARS = 2000
READ_MAX_BYTES = 20 * 1024 * 1024  # bytes scanned by one Read
BINARY_SNIFF_BYTES = 8192
GLOB_MAX_RESULTS = 100
GREP_DEFAULT_HEAD_LIMIT = 250
GREP_MAX_FILE_BYTES = 2 * 1024 * 1024
GREP_TIMEOUT_S = 10.0
GREP_TYPES = {
    "py": ("*.py", "*.pyi"), "js": ("*.js", "*.mjs", "*.cjs", "*.jsx"), "ts": ("*.ts", "*.tsx"),
    "go": ("*.go",), "rust": ("*.rs",), "rs": ("*.rs",), "java": ("*.java",), "c": ("*.c", "*.h"),
    "cpp": ("*.cpp", "*.cc", "*.hpp", "*.hh", "*.h"), "rb": ("*.rb",), "ruby": ("*.rb",),
    "sh": ("*.sh", "*.bash"), "md": ("*.md", "*.markdown"), "json": ("*.json",),
    "yaml": ("*.yaml", "*.yml"), "toml": ("*.toml",), "html": ("*.html", "*.htm"), "css": ("*.css",),
    "sql": ("*.sql",), "php": ("*.php",), "kotlin": ("*.kt", "*.kts"), "swift": ("*.swift",),
}
_WORKER = Path(__file__).with_name("_grep_worker.py")


def _opt_int(args: dict[str, Any], key: str) -> Optional[int]:
    value = args.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise ToolError(f"{key} must be a non-negative integer")
    return int(value)


def _is_binary(head: bytes) -> bool:
    return b"\x00" in head


def _cap(text: str, note: str) -> str:
    if len(text) <= MAX_RESULT_CHARS:
        return text
    return text[:MAX_RESULT_CHARS].rsplit("\n", 1)[0] + f"\n[output truncated: {note}]"


def _read_lines(handle, max_chars: int) -> Iterator[tuple[str, bool]]:
    """Lines without their ending, each cut to ``max_chars``; never holds a huge line in memory."""
    while True:
        chunk = handle.readline(max_chars + 1)
        if not chunk:
            return
        if chunk.endswith("\n") or len(chunk) <= max_chars:
            yield chunk.rstrip("\r\n"), False
            continue
        while True:  # skip the rest of an over-long line
            rest = handle.readline(64 * 1024)
            if not rest or rest.endswith("\n"):
                break
        yield chunk[:max_chars], True


class Toolbox:
    """The tools offered for one run, bound to one workspace."""

    def __init__(self, workspace: Workspace, offered: list[str] | tuple[str, ...]):
        self.workspace = workspace
        self.offered = tuple(t for t in SAFE_TOOLS if t in offered)
        self._impl: dict[str, Callable[[dict[str, Any]], str]] = {
            "Read": self.read, "Glob": self.glob, "Grep": self.grep,
        }

    def schemas(self) -> list[ToolSchema]:
        return [SCHEMAS[name] for name in self.offered]

    def run(self, call: ToolCall) -> ToolResult:
        if call.name not in self.offered:
            offered = ", ".join(self.offered) or "none"
            return ToolResult(f"tool {call.name!r} is not available in this run (available: {offered})", True)
        if call.input_error:
            return ToolResult(f"invalid tool input: {call.input_error}", True)
        if not isinstance(call.input, dict):
            return ToolResult("invalid tool input: expected a JSON object", True)
        try:
            return ToolResult(self._impl[call.name](call.input))
        except ToolError as exc:
            return ToolResult(str(exc), True)
        except PermissionError:
            return ToolResult("permission denied", True)
        except OSError as exc:
            return ToolResult(f"{call.name} failed: {exc.strerror or exc}", True)

    # Read ---------------------------------------------------------------------------------
    def read(self, args: dict[str, Any]) -> str:
        raw = args.get("file_path")
        real = self.workspace.resolve(raw, "file_path")
        shown = self.workspace.display(real)
        if not os.path.exists(real):
            raise ToolError(f"file does not exist: {raw}")
        mode = os.stat(real).st_mode
        if stat.S_ISDIR(mode):
            raise ToolError(f"{shown} is a directory; use Glob to list its files")
        if not stat.S_ISREG(mode):
            raise ToolError(f"{shown} is not a regular file")
        offset = max(_opt_int(args, "offset") or 1, 1)
        limit = _opt_int(args, "limit") or READ_DEFAULT_LINES
        with open(real, "rb") as probe:
            if _is_binary(probe.read(BINARY_SNIFF_BYTES)):
                size = os.path.getsize(real)
                raise ToolError(f"{shown} is a binary file ({size} bytes); only text files can be read")
        out: list[str] = []
        used, number, stopped = 0, 0, ""
        with open(real, encoding="utf-8", errors="replace", newline="") as handle:
            for number, (line, cut) in enumerate(_read_lines(handle, MAX_LINE_CHARS), start=1):
                if handle.buffer.tell() > READ_MAX_BYTES:
                    stopped = f"stopped after {READ_MAX_BYTES // (1024 * 1024)} MB"
                    break
                if number < offset:
                    continue
                if len(out) >= limit:
                    stopped = f"more lines follow; continue with offset={number}"
                    break
                entry = f"{number:>6}\t{line}" + (" [line truncated]" if cut else "")
                if used + len(entry) + 1 > MAX_RESULT_CHARS:
                    stopped = f"output limit reached; continue with offset={number}"
                    break
                out.append(entry)
                used += len(entry) + 1
        if number == 0:
            return f"{shown} is empty"
        if not out:
            return f"{shown} has {number} lines; offset {offset} is past the end"
        return "\n".join(out) + (f"\n[{stopped}]" if stopped else "")

    # Glob ---------------------------------------------------------------------------------
    def glob(self, args: dict[str, Any]) -> str:
        pattern = check_relative_pattern(args.get("pattern"), "pattern")
        base = self._base_dir(args.get("path"))
        matcher = glob_to_regex(pattern)
        found: list[tuple[float, str]] = []
        partial = ""
        try:
            for real in self.workspace.walk_files(base, time.monotonic() + WALK_TIMEOUT_S):
                rel = os.path.relpath(real, base).replace(os.sep, "/")
                if matcher.fullmatch(rel):
                    found.append((os.path.getmtime(real), self.workspace.display(real)))
        except WalkLimit:
            partial = " (search stopped early: too many files or too slow; narrow path or pattern)"
        if not found:
            return f"No files found{partial}"
        found.sort(key=lambda item: (-item[0], item[1]))
        shown = [path for _, path in found[:GLOB_MAX_RESULTS]]
        header = f"Found {len(found)} files" + (
            f", showing the {GLOB_MAX_RESULTS} most recently modified" if len(found) > GLOB_MAX_RESULTS else ""
        )
        return _cap(header + partial + "\n" + "\n".join(shown), "too many paths")

    def _base_dir(self, raw: Any) -> str:
        if raw is None or raw == "":
            return self.workspace.root
        real = self.workspace.resolve(raw, "path")
        if not os.path.isdir(real):
            raise ToolError(f"path is not a directory: {raw}")
        return real

    # Grep ---------------------------------------------------------------------------------
    def grep(self, args: dict[str, Any]) -> str:
        pattern = args.get("pattern")
        if not isinstance(pattern, str) or not pattern:
            raise ToolError("pattern must be a non-empty string")
        flags = re.IGNORECASE if args.get("-i") else 0
        multiline = bool(args.get("multiline"))
        try:
            re.compile(pattern, flags | (re.DOTALL | re.MULTILINE if multiline else 0))
        except re.error as exc:
            raise ToolError(f"invalid regular expression: {exc}") from None
        mode = args.get("output_mode") or "files_with_matches"
        if mode not in ("content", "files_with_matches", "count"):
            raise ToolError("output_mode must be 'content', 'files_with_matches' or 'count'")
        files, skipped, partial = self._grep_files(args)
        context = _opt_int(args, "-C") or _opt_int(args, "context") or 0
        job = {
            "pattern": pattern,
            "ignore_case": bool(args.get("-i")),
            "multiline": multiline,
            "mode": mode,
            "before": _opt_int(args, "-B") or context,
            "after": _opt_int(args, "-A") or context,
            "line_numbers": args.get("-n", True) is not False,
            "max_line_chars": MAX_LINE_CHARS,
            "head_limit": _opt_int(args, "head_limit") or GREP_DEFAULT_HEAD_LIMIT,
            "offset": _opt_int(args, "offset") or 0,
            "files": [[real, self.workspace.display(real)] for real in files],
        }
        try:
            done = subprocess.run(
                [sys.executable, "-I", "-S", str(_WORKER)],
                input=json.dumps(job), capture_output=True, text=True, timeout=GREP_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            raise ToolError(
                f"search timed out after {GREP_TIMEOUT_S:g} s; simplify the regular expression "
                "or narrow path/glob"
            ) from None
        if done.returncode != 0:
            raise ToolError("search failed: " + (done.stderr.strip().splitlines() or ["unknown error"])[-1])
        result = json.loads(done.stdout)
        notes = [n for n in (partial, f"{skipped} large files skipped" if skipped else "") if n]
        if result.get("more"):
            notes.append("more results follow; raise head_limit or use offset")
        lines = result["lines"]
        text = "\n".join(lines) if lines else "No matches found"
        if mode == "files_with_matches" and lines:
            text = f"Found {result['total']}{'+' if result.get('more') else ''} files\n{text}"
        return _cap(text + ("\n[" + "; ".join(notes) + "]" if notes else ""), "narrow the search")

    def _grep_files(self, args: dict[str, Any]) -> tuple[list[str], int, str]:
        raw_path = args.get("path")
        if raw_path:
            real = self.workspace.resolve(raw_path, "path")
            if not os.path.exists(real):
                raise ToolError(f"path does not exist: {raw_path}")
            if os.path.isfile(real):
                return [real], 0, ""
            base = real
        else:
            base = self.workspace.root
        globs: list[re.Pattern[str]] = []
        if args.get("glob"):
            globs.append(glob_to_regex(check_relative_pattern(args["glob"], "glob")))
        if args.get("type"):
            kinds = GREP_TYPES.get(str(args["type"]).lower())
            if not kinds:
                raise ToolError(f"unknown file type {args['type']!r}; known: {', '.join(sorted(GREP_TYPES))}")
            globs.extend(glob_to_regex(k) for k in kinds)
        files: list[str] = []
        skipped, partial = 0, ""
        try:
            for real in self.workspace.walk_files(base, time.monotonic() + WALK_TIMEOUT_S):
                rel = os.path.relpath(real, base).replace(os.sep, "/")
                if globs and not any(g.fullmatch(rel) or g.fullmatch(os.path.basename(rel)) for g in globs):
                    continue
                if os.path.getsize(real) > GREP_MAX_FILE_BYTES:
                    skipped += 1
                    continue
                files.append(real)
        except WalkLimit:
            partial = "search stopped early: too many files or too slow; narrow path or glob"
        return files, skipped, partial
