"""The command line: ``agentlint check``, ``rules``, ``rule``, ``schema`` and friends.

Exit codes: 0 clean (or only warnings/info), 1 errors (with ``--strict`` also warnings),
2 usage, configuration or internal error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import click

from . import __version__

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


def _split_codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _use_color(option: Optional[bool], stream) -> bool:
    if option is not None:
        return option
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def load_config_or_exit(config_path: Optional[str], isolated: bool, start: Optional[Path] = None):
    from .config import ConfigError, load_config

    try:
        try:
            return load_config(Path(config_path) if config_path else None, start=start, isolated=isolated)
        except (RuntimeError, OSError):
            if start is None:
                raise
            # `start` cannot be resolved (a symlink loop): look from the folder it sits in.
            return load_config(Path(config_path) if config_path else None, start=Path(os.path.abspath(start)).parent, isolated=isolated)
    except ConfigError as exc:
        click.echo(f"agentlint: configuration error: {exc}", err=True)
        sys.exit(EXIT_ERROR)


class LazyGroup(click.Group):
    """A group whose heavier commands are imported only when invoked (or listed in --help)."""

    lazy = {
        "run": "agentlint.runtime.command:run_command",
        "models": "agentlint.runtime.command:models_command",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        if name in self.lazy:
            import importlib

            module, attr = self.lazy[name].split(":")
            return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="agentlint")
def cli() -> None:
    """Validate, lint, fix and run Claude Code agent files (.claude/agents/*.md)."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif", "junit"]),
    default=None,
    help="Output format (default: text, or github when GITHUB_ACTIONS=true).",
)
@click.option("--select", multiple=True, help="Only these codes or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these codes or prefixes (comma-separated).")
@click.option("--extend-select", multiple=True, help="Add codes to the configured selection.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--exit-zero", is_flag=True, help="Always exit 0 unless agentlint itself fails.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--color/--no-color", default=None, help="Color the text output (default: on a terminal, unless NO_COLOR).")
@click.option("--no-source", is_flag=True, help="Do not show the source line under each diagnostic.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: apply the unsafe fixes too.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and change nothing (exit 1 if any).")
@click.option("--statistics", is_flag=True, help="Print only the number of diagnostics per code.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Processes for linting many files (default 0: automatic; 1: serial). The output is the same.")
def check(paths, fmt, select, ignore, extend_select, strict, exit_zero, config_path, isolated, color, no_source, fix, unsafe_fixes, diff, statistics, jobs) -> None:
    """Lint agent files and folders (default: .claude/agents and agents)."""
    from . import reporters
    from .engine import lint_files
    from .files import expand

    config = load_config_or_exit(config_path, isolated, Path(paths[0]) if paths else None)
    config.with_cli(_split_codes(select), _split_codes(ignore), _split_codes(extend_select))
    files, problems = expand(paths)
    results = lint_files(files, config, jobs=jobs or None)
    fix_run = None
    if fix or diff:
        from . import fixes

        fix_run = fixes.run_check(results, files, config, diff=diff, unsafe=unsafe_fixes)
        if diff:
            sys.exit(fixes.emit_diff(fix_run))
        results = fix_run.results
    if problems:
        from .engine import FileResult

        for p in problems:
            results.append(FileResult(p.path, None, [p]))  # type: ignore[arg-type]
    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    stream = sys.stdout  # (click.get_text_stream is deprecated from Click 8.5 and gone in 9)
    options = reporters.Options(color=_use_color(color, stream) and fmt == "text", show_source=not no_source)
    if statistics:
        from .reporters import statistics as stats

        stats.render(results, stream, options, fmt="json" if fmt == "json" else "text")
    else:
        reporters.get(fmt)(results, stream, options)
    stream.flush()
    if fix_run is not None:
        for note in fix_run.notes():
            click.echo(f"agentlint: {note}", err=True)
        click.echo(fix_run.summary(diff=False), err=fmt != "text")
        if fix_run.errors:
            sys.exit(EXIT_ERROR)
    diags = [d for r in results for d in r.diagnostics]
    if any(d.code == "AL000" for d in diags):
        sys.exit(EXIT_ERROR)
    if exit_zero:
        sys.exit(EXIT_OK)
    worst = {d.severity.value for d in diags}
    if "error" in worst or (strict and "warning" in worst):
        sys.exit(EXIT_VIOLATIONS)
    sys.exit(EXIT_OK)


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def rules_cmd(fmt: str) -> None:
    """List every rule: code, name, default severity, fixable, summary."""
    import json

    from .rules import ALL_RULES

    if fmt == "json":
        data = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "fixable": r.fixable, "summary": r.summary, "docs": r.docs()}
            for r in ALL_RULES
        ]
        click.echo(json.dumps(data, indent=2))
        return
    if fmt == "markdown":
        click.echo(rules_markdown())
        return
    for r in ALL_RULES:
        fix = "fix" if r.fixable else "   "
        click.echo(f"{r.code}  {r.severity.value:<7}  {fix}  {r.name:<32} {r.summary}")


def rules_markdown() -> str:
    from .rules import ALL_RULES

    lines = ["# agentlint rules", "", "Generated by `agentlint rules --format markdown`.", ""]
    lines += ["| code | name | severity | fixable | what |", "|---|---|---|---|---|"]
    for r in ALL_RULES:
        what = r.summary.replace("|", "\\|")
        lines.append(f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.severity.value} | {'yes' if r.fixable else ''} | {what} |")
    for r in ALL_RULES:
        lines += ["", f"## {r.code}", "", f"**{r.name}** ({r.severity.value}{', fixable' if r.fixable else ''}): {r.summary}", "", r.docs().replace("## ", "### ")]
    return "\n".join(lines) + "\n"


@cli.command("rule")
@click.argument("code")
def rule_cmd(code: str) -> None:
    """Explain one rule (by code or name): what, why, example, fix."""
    from .rules import get

    rule = get(code)
    if rule is None:
        click.echo(f"agentlint: no rule {code!r}; `agentlint rules` lists them", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"{rule.code} {rule.name} ({rule.severity.value}{', fixable' if rule.fixable else ''})")
    click.echo(f"{rule.summary}\n")
    click.echo(rule.docs())


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the agent frontmatter."""
    from .model import json_schema_text

    click.echo(json_schema_text(), nl=False)


@cli.command("list")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
def list_cmd(path, fmt) -> None:
    """List the agents Claude Code finds from PATH (default: here): name, scope, model, tools, path, shadowing."""
    from .show import list_command

    sys.exit(list_command(path, fmt))


@cli.command("show")
@click.argument("targets", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "agents-json"]), default="text", help="Output format; agents-json is the `claude --agents` form.")
def show_cmd(targets, fmt) -> None:
    """Show agents (files, folders or names) as Claude Code loads them."""
    from .show import show_command

    sys.exit(show_command(targets, fmt))


@cli.command("new")
@click.argument("name")
@click.option("--description", help="When Claude should use the agent (asked for on a terminal if missing).")
@click.option("--tools", help="Comma-separated tools (default: all tools).")
@click.option("--model", help="sonnet, opus, haiku, inherit or a model id (default: inherit).")
@click.option("--color", help="red, blue, green, yellow, purple, orange, pink or cyan.")
@click.option("--dir", "folder", default=os.path.join(".claude", "agents"), show_default=True, type=click.Path(file_okay=False), help="Folder to write NAME.md in.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--no-input", is_flag=True, help="Never prompt, even on a terminal.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
def new_cmd(name, description, tools, model, color, folder, force, no_input, config_path, isolated) -> None:
    """Write a new agent NAME.md that passes `agentlint check --strict`."""
    from . import scaffold

    config = load_config_or_exit(config_path, isolated, Path(folder))
    try:
        path, notes = scaffold.create(name, description, tools, model, color, folder, force, config, interactive=not no_input and scaffold.stdin_is_tty())
    except scaffold.ScaffoldError as exc:
        click.echo(f"agentlint: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except scaffold.LintFailure as exc:
        state = "was written but" if exc.written else "was not written:"
        click.echo(f"agentlint: {exc.path} {state} it would not pass `agentlint check --strict`:", err=True)
        for d in exc.diagnostics:
            click.echo(f"  {d.code} {d.message} [{d.severity.value}: {d.name}]", err=True)
        sys.exit(EXIT_VIOLATIONS)
    click.echo(f"Created {path}")
    for d in notes:
        click.echo(f"  note: {d.code} {d.message}")


def main(argv: Optional[list[str]] = None) -> None:
    try:
        cli.main(args=argv, prog_name="agentlint", standalone_mode=True)
    except BrokenPipeError:
        # `agentlint check | head -1`: the reader left; exit quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        click.echo("agentlint: interrupted", err=True)
        sys.exit(130)
