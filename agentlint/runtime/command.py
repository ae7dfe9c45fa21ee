"""``agentlint run NAME [QUESTION]`` and ``agentlint models``.

Register them with ``cli.add_command(run_command)`` and ``cli.add_command(models_command)``.
The linter core is imported inside the commands, so ``agentlint check`` never imports the
runtime, and no provider SDK is imported unless that provider is used.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

import click

from .base import (DEFAULT_MAX_TOKENS, DEFAULT_MAX_TURNS, EXIT_API, EXIT_INTERRUPTED, EXIT_INVALID_AGENT,
                   EXIT_OK, EXIT_USAGE, RunError, RunSpec)
from .output import JsonOutput, Output, Redactor
from .providers import PROVIDERS, ProviderOptions, choose_provider, make_provider

STDIN_LIMIT = 1024 * 1024


def _stdin_is_tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _read_stdin(output: Output) -> Optional[str]:
    """Piped stdin, as context for the question (None on a terminal or when empty)."""
    if sys.stdin is None or _stdin_is_tty():
        return None
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(STDIN_LIMIT + 1) if stream is not None else sys.stdin.read(STDIN_LIMIT + 1).encode()
    if len(data) > STDIN_LIMIT:
        kb = STDIN_LIMIT // 1024
        output.warning(f"stdin is larger than {kb} KB; only the first {kb} KB are sent")
        data = data[:STDIN_LIMIT]
    text = data.decode("utf-8", errors="replace")
    return text if text.strip() else None


def _read_line() -> Optional[str]:
    sys.stderr.write("> ")
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:  # Ctrl-D
        sys.stderr.write("\n")
        return None
    return line.rstrip("\n")


# --- the linter core, behind one seam --------------------------------------------------------

def _resolve(name: str) -> Path:
    from agentlint.discovery import AgentNotFound, resolve_agent

    try:
        return Path(resolve_agent(name, Path.cwd()))
    except AgentNotFound as exc:
        close = list(getattr(exc, "suggestions", []) or [])
        hint = f"; did you mean {', '.join(close)}?" if close else "; `agentlint list` shows the agents found"
        raise RunError(f"no agent named '{getattr(exc, 'name', name)}'{hint}", EXIT_USAGE) from None


def _project_config(path: Path) -> tuple[Any, Optional[Path]]:
    from agentlint.config import ConfigError, load_config

    try:
        config = load_config(start=path)
    except ConfigError as exc:
        raise RunError(f"configuration error: {exc}", EXIT_USAGE) from None
    return config, Path(config.source) if getattr(config, "source", None) else None


def _validate(path: Path, config: Any, output: Output) -> None:
    """Refuse an agent with error-level diagnostics; sum up warnings in one line."""
    from agentlint.diagnostics import Severity
    from agentlint.engine import lint_paths

    diagnostics = lint_paths([str(path)], config)
    errors = [d for d in diagnostics if d.severity == Severity.ERROR]
    warnings = [d for d in diagnostics if d.severity == Severity.WARNING]
    if errors:
        for d in errors:
            click.echo(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}", err=True)
        raise RunError(
            f"refusing to run {path}: {len(errors)} error{'s' if len(errors) != 1 else ''} "
            "(fix them, or pass --no-validate to run it anyway); nothing was sent",
            EXIT_INVALID_AGENT,
        )
    if warnings:
        codes = ", ".join(dict.fromkeys(d.code for d in warnings))
        output.warning(f"{len(warnings)} lint warning{'s' if len(warnings) != 1 else ''} ({codes}); "
                       f"`agentlint check {path}` shows them")


# --- run -------------------------------------------------------------------------------------

@click.command("run")
@click.argument("name")
@click.argument("question", required=False)
@click.option("--provider", type=click.Choice(PROVIDERS),
              help="Where to run the agent (default: from the environment).")
@click.option("--model", help="Model id or alias, overriding the agent's model.")
@click.option("--base-url", help="Provider base URL (Ollama: http://localhost:11434/v1 with --provider openai).")
@click.option("--cwd", "cwd", type=click.Path(exists=True, file_okay=False), default=".",
              help="Directory the Read/Glob/Grep tools are confined to (default: the current one).")
@click.option("--max-turns", type=click.IntRange(min=1),
              help=f"Most model calls in one answer (default: maxTurns, else {DEFAULT_MAX_TURNS}).")
@click.option("--max-tokens", type=click.IntRange(min=1),
              help=f"Most output tokens per call (default {DEFAULT_MAX_TOKENS}).")
@click.option("--no-tools", is_flag=True, help="Offer no tools to the model.")
@click.option("--no-validate", is_flag=True, help="Run the agent even if it has lint errors.")
@click.option("--dry-run", is_flag=True, help="Print the request that would be sent; send nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Print the answer only.")
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line on stdout.")
@click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True,
              help="Retries on rate limits, overload and connection errors, before any output.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=600.0, show_default=True,
              help="Seconds to wait for the provider.")
@click.pass_context
def run_command(ctx: click.Context, **options: Any) -> None:
    """Run agent NAME on a model and stream its answer to QUESTION.

    Piped stdin is appended to the question as context
    (git diff | agentlint run code-reviewer "review this"). With no QUESTION on a
    terminal, starts a chat (Ctrl-D ends it).
    """
    redact = Redactor(os.environ)
    kind = JsonOutput if options["as_json"] else Output
    output = kind(sys.stdout, sys.stderr, redact, quiet=options["quiet"])
    providers: list = []  # filled by _run, closed here whatever happens
    try:
        code = _run(options, output, providers)
    except RunError as exc:
        output.error(exc)
        code = exc.exit_code
    except KeyboardInterrupt:
        output.error(RunError("interrupted", EXIT_INTERRUPTED))
        code = EXIT_INTERRUPTED
    except Exception as exc:  # never a traceback; AGENTLINT_DEBUG=1 shows it
        if os.environ.get("AGENTLINT_DEBUG"):
            raise
        message = f"unexpected error: {type(exc).__name__}: {exc} (AGENTLINT_DEBUG=1 shows the traceback)"
        output.error(RunError(message, EXIT_API))
        code = EXIT_API
    finally:
        for provider in providers:
            provider.close()
    ctx.exit(code)


def _run(options: dict[str, Any], output: Output, holder: list) -> int:
    from .dryrun import dry_run_request, render_dry_run
    from .loop import chat, run_exchange
    from .tools import Toolbox, Workspace

    env = dict(os.environ)
    path, agent, config_file = _checked_agent(options["name"], options["no_validate"], output)
    question, context, interactive = _question(options["question"], output)
    provider_name = choose_provider(options["provider"], env, dry_run=options["dry_run"])
    spec, warnings, model = _spec(agent, path, provider_name, question, context, options, env, config_file)
    provider = make_provider(provider_name, env, ProviderOptions(
        base_url=options["base_url"], retries=options["retries"], timeout=options["timeout"],
        no_tools=options["no_tools"], max_tokens_given=options["max_tokens"] is not None, interactive=interactive,
    ))
    holder.append(provider)

    if options["dry_run"]:
        if interactive:
            raise RunError("--dry-run needs a QUESTION (or text piped on stdin)", EXIT_USAGE)
        request = dry_run_request(provider, spec, [provider.user_message(spec.user_content())], warnings)
        click.echo(render_dry_run(request, output.redact, as_json=options["as_json"]))
        return EXIT_OK

    provider.prepare()
    for warning in warnings:
        output.warning(warning)
    shown_tools = list(spec.tools)
    if provider.runs_tools_itself and not options["no_tools"]:  # Claude Code offers the agent's own tools
        shown_tools = list(agent.tools) if agent.tools is not None else ["all (as Claude Code)"]
    output.start({"agent": spec.name, "provider": provider_name, "endpoint": provider.endpoint(),
                  "model": model.describe(), "tools": shown_tools, "max_turns": spec.max_turns,
                  "cwd": str(spec.cwd)})
    toolbox = Toolbox(Workspace(spec.cwd), spec.tools)
    if interactive:
        summary = chat(provider, spec, toolbox, output, _read_line)
    else:
        summary = run_exchange(provider, spec, toolbox, output, [])
    output.end(summary)
    return EXIT_OK


def _checked_agent(name: str, no_validate: bool, output: Output) -> tuple[Path, Any, Optional[Path]]:
    """Resolve NAME, lint it (unless --no-validate) and load it as Claude Code would."""
    from agentlint.load import load_agent

    path = _resolve(name)
    config, config_file = _project_config(path)
    if not no_validate:
        _validate(path, config, output)
    agent = load_agent(str(path))
    if not agent.loaded and not no_validate:
        reason = getattr(agent, "skip_reason", None) or "it is not a valid agent file"
        raise RunError(f"refusing to run {path}: Claude Code would not load it ({reason})", EXIT_INVALID_AGENT)
    return path, agent, config_file


def _question(question: Optional[str], output: Output) -> tuple[str, Optional[str], bool]:
    """(question, stdin context, interactive chat?)."""
    context = _read_stdin(output)
    if question is not None:
        return question, context, False
    if context is not None:
        return context, None, False  # piped text alone is the question
    if _stdin_is_tty():
        return "", None, True
    raise RunError("no question: pass QUESTION, pipe text on stdin, or run on a terminal to chat", EXIT_USAGE)


def _spec(agent: Any, path: Path, provider_name: str, question: str, context: Optional[str],
          options: dict[str, Any], env: dict[str, str], config_file: Optional[Path]) -> tuple[RunSpec, list[str], Any]:
    """The run spec, the warnings to show first, and the resolved model."""
    from .config import ConfigError, provider_aliases, run_section
    from .models import ModelError, resolve_model
    from .tools import offered_tools

    try:
        aliases = provider_aliases(run_section(config_file), provider_name, config_file)
        model = resolve_model(agent.model, provider=provider_name, cli_model=options["model"], env=env,
                              config_aliases=aliases)
    except (ConfigError, ModelError) as exc:
        raise RunError(str(exc), EXIT_USAGE) from None
    name = agent.name or path.stem
    warnings: list[str] = []
    tools, unsupported = offered_tools(agent.tools, getattr(agent, "disallowed_tools", None))
    if options["no_tools"]:
        tools = []
    if unsupported and provider_name != "claude-code":
        warnings.append(f"{name} declares {', '.join(unsupported)}: agentlint run only runs Read, Glob and Grep "
                        "(read-only); use --provider claude-code for full Claude Code tools")
    spec = RunSpec(
        name=name, system_prompt=agent.body, model=model.id, tools=tuple(tools),
        max_turns=options["max_turns"] or _positive_int(agent.fields.get("maxTurns")) or DEFAULT_MAX_TURNS,
        question=question, context=context, max_tokens=options["max_tokens"] or DEFAULT_MAX_TOKENS,
        model_label=model.source, cwd=Path(options["cwd"]).resolve(), agent_fields=dict(agent.fields),
    )
    return spec, warnings, model


def _positive_int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


# --- models ----------------------------------------------------------------------------------

@click.command("models")
@click.option("--provider", type=click.Choice(["anthropic", "openai"]), default="anthropic", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
def models_command(provider: str, as_json: bool) -> None:
    """Print the effective model alias table (aliases as Claude Code 2.1.332 maps them)."""
    from .config import ConfigError, provider_aliases, run_section
    from .models import ModelError, alias_table, default_request, resolve_model

    env = dict(os.environ)
    try:
        from agentlint.config import find_config_file

        config_file = find_config_file(Path.cwd())
        aliases = provider_aliases(run_section(config_file), provider, config_file)
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    rows = [{"alias": alias, "model": model, "source": source}
            for alias, (model, source) in alias_table(provider, env, aliases).items()]
    requested, why = default_request(provider, env, aliases)
    try:
        inherit = resolve_model(None, provider=provider, env=env, config_aliases=aliases).id
    except ModelError:
        inherit = None
    rows.append({"alias": "inherit", "model": inherit, "source": f"{why}: {requested}"})
    if as_json:
        click.echo(json.dumps({"provider": provider, "aliases": rows}, indent=2))
        return
    width = max(len(r["alias"]) for r in rows)
    model_width = max(len(r["model"] or "(unmapped)") for r in rows)
    for r in rows:
        click.echo(f"{r['alias']:<{width}}  {r['model'] or '(unmapped)':<{model_width}}  {r['source']}")
    if provider == "openai" and any(r["model"] is None for r in rows):
        click.echo("unmapped aliases need --model or [tool.agentlint.run.aliases.openai] in pyproject.toml", err=True)
