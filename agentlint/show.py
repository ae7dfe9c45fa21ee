"""``agentlint show`` and ``agentlint list``: agents as Claude Code loads them.

``show`` takes files, folders and agent names (resolved as Claude Code would, see
``agentlint.discovery``) and prints each definition with the values Claude Code loads: the
description with its ``\\n`` turned into newlines, the tools as resolved (``disallowedTools``
subtracted, ``memory`` adding ``Write`` and ``Edit``; ``null`` when unrestricted).  A file Claude
Code skips is shown with ``loaded: false`` and the error codes that say why (``SKIP_CODES``,
found by linting the file).  The other fields are shown as written; the prompt (the body) with
its line endings normalised to LF.  ``--format agents-json`` prints the ``claude --agents`` form.

``list`` prints every agent found from a directory: id, scope, model, tools, path, and which file
shadows which.
"""

from __future__ import annotations

import functools
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import click

from . import discovery
from .diagnostics import Severity
from .discovery import AgentNotFound, FoundAgent
from .vocab import FIELDS

# Error-level codes that mean "Claude Code will not load this file" (spec/rules.md), plus AL015:
# a file that cannot be read is not loaded either.
SKIP_CODES = ("AL001", "AL002", "AL003", "AL005", "AL007", "AL012", "AL015", "AL101", "AL102", "AL201", "AL202")

# Fields of the ``claude --agents`` JSON besides description/prompt/tools (research/spec.md §1.9).
AGENTS_JSON_FIELDS = (
    "disallowedTools", "model", "permissionMode", "mcpServers", "hooks", "maxTurns", "skills",
    "initialPrompt", "memory", "effort", "background", "isolation",
)
# The other frontmatter fields shown, as written (after name, description, tools, disallowedTools, model).
OTHER_FIELDS = tuple(f for f in FIELDS if f not in ("name", "description", "tools", "disallowedTools", "model"))

EXIT_OK, EXIT_NOT_FOUND = 0, 2
MAX_JSON_NODES = 10_000
MAX_JSON_DEPTH = 50


@dataclass
class Shown:
    """One file as ``show`` reports it."""

    found: FoundAgent
    display: str
    codes: list[str]


# ---- values as JSON ----------------------------------------------------------------------------


def jsonable(value: Any, budget: Optional[list[int]] = None, depth: int = 0, stack: Optional[set[int]] = None) -> Any:
    """A JSON-safe copy of a YAML value: cycles cut, size and depth bounded, NaN/inf as strings."""
    budget = budget if budget is not None else [MAX_JSON_NODES]
    stack = stack if stack is not None else set()
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_JSON_DEPTH:
        return "…"
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return value
    if isinstance(value, (list, tuple, dict)):
        if id(value) in stack:
            return "…"  # a recursive YAML alias
        stack.add(id(value))
        try:
            if isinstance(value, dict):
                out: Any = {}
                for k, v in value.items():
                    if budget[0] < 0:
                        break
                    out[k if isinstance(k, str) else json.dumps(jsonable(k, budget, depth + 1, stack))] = jsonable(v, budget, depth + 1, stack)
                return out
            items = []
            for v in value:
                if budget[0] < 0:
                    break
                items.append(jsonable(v, budget, depth + 1, stack))
            return items
        finally:
            stack.discard(id(value))
    return str(value)


def _field_values(found: FoundAgent) -> dict[str, Any]:
    """The frontmatter values as written, JSON-safe; alias bombs are not expanded."""
    agent = found.agent
    fm = agent.fm
    if fm is None or not fm.loads:
        return {}
    out: dict[str, Any] = {}
    for key, value in fm.values.items():
        entry = fm.entry(key)
        if entry is not None and entry.huge:
            out[key] = "… (a YAML alias structure of more than 100,000 nodes)"
            continue
        out[key] = jsonable(value)
    return out


def prompt_text(body: str) -> str:
    """The body as the system prompt: line endings normalised to LF (a CRLF file's prompt reads
    the same to the model, and converting the file must not change what ``show`` prints)."""
    return body.replace("\r\n", "\n")


# ---- which files ---------------------------------------------------------------------------------


def collect(targets: Sequence[str], cwd: Path, home: Optional[Path] = None) -> tuple[list[str], list[AgentNotFound]]:
    """Files for ``show``: files as given, folders searched recursively, names resolved."""
    from .files import walk_markdown

    files: list[str] = []
    missing: list[AgentNotFound] = []
    here = os.path.abspath(str(cwd)) == os.getcwd()
    for t in targets:
        p = Path(os.path.expanduser(t))
        full = p if p.is_absolute() else cwd / p
        given = str(p) if p.is_absolute() or here else str(full)  # keep relative paths relative
        try:
            is_dir = bool(t.strip()) and full.is_dir()
            is_file = bool(t.strip()) and not is_dir and os.path.lexists(full)
        except (OSError, ValueError):
            is_dir = is_file = False
        if is_dir:
            files.extend(walk_markdown(given))
        elif is_file:
            files.append(given)
        else:
            try:
                files.append(str(discovery.resolve_agent(t, cwd, home)))
            except AgentNotFound as exc:
                missing.append(exc)
    unique = list(dict.fromkeys(os.path.normpath(f) for f in files))
    return unique, missing


def inspect_files(files: Sequence[str], home: Optional[Path] = None) -> list[Shown]:
    """Load and lint each file once; place it (scope, plugin id) as discovery does.

    The codes come from the rules alone: configuration and inline suppressions may silence a
    diagnostic in ``check``, but they do not make Claude Code load the file."""
    from .config import Config
    from .engine import check_context, make_context
    from .rules import ALL_RULES

    config = Config()
    rules = [cls() for cls in ALL_RULES if cls.code in SKIP_CODES]
    placer = discovery.Placer(home)
    shown: list[Shown] = []
    for path in files:
        ctx = make_context(path, config)
        agent = ctx.agent
        try:
            placement = placer.place(agent.path)
        except (OSError, ValueError):
            placement = discovery.Placement("local", Path(os.path.dirname(os.path.abspath(agent.path))), anchored=False)
        found = discovery.make_found(agent.path, placement, agent)
        codes: list[str] = []
        for d in sorted(check_context(ctx, rules), key=lambda d: d.sort_key()):
            if d.code in SKIP_CODES and d.severity == Severity.ERROR and d.code not in codes:  # not AL000
                codes.append(d.code)
        shown.append(Shown(found, ctx.path, codes))
    return shown


# ---- show ------------------------------------------------------------------------------------------


def to_json(item: Shown) -> dict[str, Any]:
    fa = item.found
    agent = fa.agent
    values = _field_values(fa)
    loaded = fa.loaded
    obj: dict[str, Any] = {
        "path": item.display,
        "id": fa.id,
        "name": fa.name if loaded else (agent.name if agent.name is not None else jsonable(values.get("name"))),
        "scope": fa.scope,
        "plugin": fa.plugin,
        "loaded": loaded,
        "skip_reason": fa.skip_reason,
        "codes": item.codes,
        "description": fa.description if loaded else None,
        "tools": list(fa.tools) if loaded and fa.tools is not None else None,
        "disallowedTools": list(agent.disallowed_tools) if loaded else [],
        "model": fa.model if loaded else None,
    }
    if fa.fallback:
        obj["fallback"] = f"a plugin agent whose file Claude Code cannot fully read ({fa.fallback}) loads under its file name"
    for key in OTHER_FIELDS:
        obj[key] = values.get(key)
    obj["ignoredKeys"] = [k for k in values if k not in FIELDS]
    obj["prompt"] = prompt_text(agent.body) if loaded else None
    return obj


def to_agents_json(items: Iterable[Shown], warn=None) -> dict[str, Any]:
    """The ``claude --agents`` JSON: ``{name: {description, prompt, tools, model, …}}``.

    Only agents Claude Code loads; fields with values Claude Code would reject are left out."""
    from .model import AgentDefinition

    out: dict[str, Any] = {}
    for item in items:
        fa = item.found
        if not fa.loaded or not fa.name:
            if warn:
                warn(f"{item.display}: left out, Claude Code does not load it ({fa.skip_reason})")
            continue
        if fa.name in out:
            if warn:
                warn(f"{item.display}: left out, an agent named {fa.name!r} is already in the output")
            continue
        values = {k: v for k, v in _field_values(fa).items() if k in AGENTS_JSON_FIELDS}
        values.pop("disallowedTools", None)
        values.pop("model", None)
        try:
            valid = AgentDefinition.from_fields({"name": "x", "description": "x", **values}).model_dump(exclude_none=True)
        except (ValueError, TypeError, RecursionError):  # keep only the core fields
            valid = {}
        entry: dict[str, Any] = {"description": fa.description, "prompt": prompt_text(fa.agent.body).strip()}
        if fa.tools is not None:
            entry["tools"] = list(fa.tools)
        if fa.agent.disallowed_tools:
            entry["disallowedTools"] = list(fa.agent.disallowed_tools)
        if fa.model:
            entry["model"] = fa.model
        for key in AGENTS_JSON_FIELDS:
            if key in valid and key not in entry and key in values:
                entry[key] = values[key]  # as written (and JSON-safe), now known to be valid
        out[fa.name] = entry
    return out


def _indent(text: str, width: int) -> str:
    pad = " " * width
    lines = text.split("\n")
    return "\n".join([lines[0]] + [pad + line if line else "" for line in lines[1:]])


def _row(lines: list[str], width: int, label: str, value: str) -> None:
    lines.append(f"  {label:<{width - 2}}" + _indent(value, width))


def render_text(items: Sequence[Shown]) -> str:
    blocks = []
    label_w = 15
    for item in items:
        fa = item.found
        obj = to_json(item)
        title = obj["id"] or obj["name"] or os.path.basename(item.display)
        lines = [f"{title}  {item.display}  ({fa.scope}{', plugin ' + fa.plugin if fa.plugin else ''})"]
        row = functools.partial(_row, lines, label_w)

        if not fa.loaded:
            codes = f" [{', '.join(item.codes)}]" if item.codes else ""
            row("not loaded", f"{fa.skip_reason}{codes}")
            blocks.append("\n".join(lines))
            continue
        if fa.fallback:
            row("note", "loads under its file name (a plugin agent Claude Code cannot fully read)")
        row("description", fa.description or "")
        row("tools", _tools_display(fa))
        row("model", fa.model or "inherit")
        for key in OTHER_FIELDS:
            value = obj.get(key)
            if value is not None:
                row(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        if obj["ignoredKeys"]:
            row("ignored keys", ", ".join(obj["ignoredKeys"]))
        body = fa.agent.body
        n_lines = body.count("\n") + (1 if body and not body.endswith("\n") else 0)
        row("prompt", f"{n_lines} line{'s' if n_lines != 1 else ''}, {len(body):,} characters")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _tools_display(fa: FoundAgent) -> str:
    if fa.tools is None:
        denied = fa.agent.disallowed_tools if fa.loaded else []
        return "All tools except " + ", ".join(denied) if denied else "All tools"
    return ", ".join(fa.tools) if fa.tools else "(none)"


def show_command(targets: Sequence[str], fmt: str, cwd: Optional[Path] = None, home: Optional[Path] = None) -> int:
    cwd = cwd or Path.cwd()
    files, missing = collect(targets, cwd, home)
    for exc in missing:
        hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else "; `agentlint list` shows the agents found"
        click.echo(f"agentlint: no agent file or agent named {exc.name!r}{hint}", err=True)
    items = inspect_files(files, home)
    if fmt == "json":
        click.echo(json.dumps([to_json(i) for i in items], indent=2, ensure_ascii=False))
    elif fmt == "agents-json":
        data = to_agents_json(items, warn=lambda m: click.echo(f"agentlint: {m}", err=True))
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif items:
        click.echo(render_text(items))
    return EXIT_NOT_FOUND if missing else EXIT_OK


# ---- list ------------------------------------------------------------------------------------------


def _display(path: Path, cwd: Path, home: Optional[Path]) -> str:
    p = os.path.abspath(str(path))
    c = os.path.abspath(str(cwd))
    if p == c or p.startswith(c.rstrip(os.sep) + os.sep):
        return os.path.relpath(p, c)
    h = os.path.abspath(str(home)) if home is not None else os.path.expanduser("~")
    if h not in ("", os.sep) and p.startswith(h.rstrip(os.sep) + os.sep):
        return "~" + os.sep + os.path.relpath(p, h)
    return p


def list_json(found: Sequence[FoundAgent], cwd: Path, home: Optional[Path] = None) -> list[dict[str, Any]]:
    out = []
    for fa in found:
        out.append({
            "id": fa.id,
            "name": fa.name,
            "scope": fa.scope,
            "scope_root": _display(fa.scope_root, cwd, home),
            "plugin": fa.plugin,
            "path": _display(fa.path, cwd, home),
            "loaded": fa.loaded,
            "skip_reason": fa.skip_reason,
            "active": fa.active,
            "shadowed_by": _display(fa.shadowed_by, cwd, home) if fa.shadowed_by else None,
            "duplicate_of": _display(fa.duplicate_of, cwd, home) if fa.duplicate_of else None,
            "description": fa.description if fa.loaded else None,
            "model": fa.model if fa.loaded else None,
            "tools": list(fa.tools) if fa.loaded and fa.tools is not None else None,
            "disallowedTools": list(fa.agent.disallowed_tools) if fa.loaded else [],
        })
    return out


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_list(found: Sequence[FoundAgent], cwd: Path, home: Optional[Path] = None) -> str:
    if not found:
        return "no agent files found (looked in .claude/agents up to the repository root, ~/.claude/agents, plugins and agents/)"
    rows = [("NAME", "SCOPE", "MODEL", "TOOLS", "PATH", "NOTE")]
    for fa in found:
        if fa.loaded:
            notes = []
            if fa.duplicate_of is not None:
                notes.append(f"duplicate of {_display(fa.duplicate_of, cwd, home)}: Claude Code loads only one")
            if fa.shadowed_by is not None and fa.shadowed_by != fa.duplicate_of:
                notes.append(f"shadowed by {_display(fa.shadowed_by, cwd, home)}")
            if fa.fallback:
                notes.append("loads under its file name")
            note = "; ".join(notes)
            rows.append((fa.id or "", fa.scope, fa.model or "inherit", _clip(_tools_display(fa), 40), _display(fa.path, cwd, home), note))
        else:
            raw = fa.agent.fields.get("name") if isinstance(fa.agent.fields, dict) else None
            name = raw if isinstance(raw, str) and raw else "-"
            rows.append((_clip(name, 40), fa.scope, "", "", _display(fa.path, cwd, home), f"skipped: {fa.skip_reason}"))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for r in rows:
        cells = [r[i].ljust(widths[i]) for i in range(5)] + [r[5]]
        lines.append("  ".join(cells).rstrip())
    loaded = sum(1 for fa in found if fa.loaded)
    active = sum(1 for fa in found if fa.active)
    lines.append("")
    lines.append(f"{len(found)} file{'s' if len(found) != 1 else ''}: {loaded} loaded, {active} in use, {len(found) - loaded} skipped")
    return "\n".join(lines)


def list_command(path: Optional[str], fmt: str, home: Optional[Path] = None) -> int:
    cwd = Path(path).resolve() if path else Path.cwd()
    found = discovery.find_agents(cwd, home)
    base = Path.cwd()
    if fmt == "json":
        click.echo(json.dumps(list_json(found, base, home), indent=2, ensure_ascii=False))
    else:
        click.echo(render_list(found, base, home))
    return EXIT_OK
