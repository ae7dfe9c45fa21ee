"""The engine: files in, sorted diagnostics out.

For each file: read and load it (``load``), run every enabled file rule, and settle its
diagnostics (per-file ignores, inline suppressions, severity overrides, source lines, masked
credentials: ``settle``, in a pool worker when there is one).  Then run the project rules
(AL7xx) across all files of the run, settle their diagnostics the same way, and report unused
suppressions (AL901: ``finish``).
One file never stops the others: a rule that raises becomes an internal-error diagnostic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from . import secrets, suppress
from .config import Config
from .diagnostics import Diagnostic, Severity, Span
from .document import from_bytes, read_document
from .load import LoadedAgent, analyse
from .rules import ALL_RULES, applies
from .rules.base import FileContext, Finding, ProjectRule, Rule


@dataclass
class FileResult:
    path: str
    ctx: FileContext
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The file's inline suppressions, once :func:`settle` has applied them (None before).
    sups: Optional[list] = None

    @property
    def agent(self) -> LoadedAgent:
        return self.ctx.agent


def display_path(path: str) -> str:
    if path and not os.path.isabs(path):
        rel = os.path.normpath(path)  # what relpath gives for a relative path, without getcwd
        return path if rel.startswith("..") else rel
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _active(config: Config) -> tuple[list[Rule], list[ProjectRule]]:
    file_rules: list[Rule] = []
    project_rules: list[ProjectRule] = []
    for cls in ALL_RULES:
        if cls.code == "AL901":
            continue  # produced by the engine itself
        if not config.enabled(cls.code, cls.name):
            continue
        rule = cls()
        (project_rules if isinstance(rule, ProjectRule) else file_rules).append(rule)  # type: ignore[arg-type]
    return file_rules, project_rules


def _internal_error(ctx: FileContext, rule: Rule, exc: BaseException) -> Diagnostic:
    return Diagnostic(
        path=ctx.path,
        code="AL000",
        name="internal-error",
        severity=Severity.ERROR,
        message=f"rule {rule.code} failed on this file: {type(exc).__name__}: {exc}",
        span=Span(1, 1, 1, 2),
    )


def check_context(ctx: FileContext, rules: Sequence[Rule]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    fmt = ctx.format
    for rule in rules:
        if fmt != "claude" and not applies(type(rule), fmt):
            continue  # a Claude Code rule on another tool's agent file
        try:
            for finding in rule.check(ctx):
                out.append(ctx.diagnostic(rule, finding))
        except RecursionError as exc:
            out.append(_internal_error(ctx, rule, exc))
        except Exception as exc:  # a bug in one rule must not stop the run
            out.append(_internal_error(ctx, rule, exc))
    return out


def prepare_facts(ctx: FileContext, rules: Sequence[ProjectRule]) -> None:
    """The project rules' per-file facts (``ProjectRule.prepare``), into ``ctx.facts``.  A rule
    that fails here computes what it needs itself later."""
    for rule in rules:
        try:
            fact = rule.prepare(ctx)
        except Exception:
            continue
        if fact is not None:
            ctx.facts[rule.code] = fact


def lint_one(ctx: FileContext, file_rules: Sequence[Rule], project_rules: Sequence[ProjectRule], config: Config) -> "FileResult":
    """One file's share of a run: its rules, its settled diagnostics and its facts."""
    res = settle(FileResult(ctx.path, ctx, check_context(ctx, file_rules)), config)
    if project_rules:
        prepare_facts(ctx, project_rules)
    return res


def make_context(path: str, config: Config, display: Optional[str] = None) -> FileContext:
    agent = analyse(read_document(path))
    return FileContext(agent, config, display or display_path(path))


def _settled(res: FileResult, diags: list[Diagnostic], config: Config, suppressible: bool = True) -> list[Diagnostic]:
    """``diags`` of ``res`` with per-file ignores and inline suppressions applied, severity
    overrides set, source lines filled in and credentials masked."""
    ctx = res.ctx
    if suppressible:
        diags = [d for d in diags if not config.ignored_for(ctx.agent.path, d.code, d.name)]
        diags = suppress.apply(diags, res.sups or [])
    for d in diags:
        override = config.severity.get(d.code)
        if override is not None:
            d.severity = override
        if d.source_line is None:
            d.source_line = ctx.doc.line_text(d.span.line) if not ctx.doc.too_large else ""
    secrets.scrub(diags, ctx.doc)  # no credential in the file reaches any output (AL605)
    return diags


def settle(res: FileResult, config: Config) -> FileResult:
    """The file's own part of :func:`finish`, done where the file was linted (a pool worker
    does it too): its suppressions are found and applied to its diagnostics so far."""
    res.sups = suppress.find(res.ctx.doc)
    res.diagnostics = _settled(res, res.diagnostics, config)
    return res


def finish(results: Sequence[FileResult], config: Config, extra: Optional[dict[int, list[Diagnostic]]] = None) -> None:
    """After the project rules: their diagnostics (``extra``, by result index) settled like the
    others, unused suppressions reported (AL901), each file's diagnostics sorted.  Settles the
    results :func:`settle` has not seen."""
    al901 = config.enabled("AL901", "unused-suppression")
    for i, res in enumerate(results):
        if res.sups is None:
            settle(res, config)
        diags = res.diagnostics
        more = extra.get(i) if extra else None
        if more:
            diags.extend(_settled(res, more, config))
        sups = res.sups
        if al901 and sups and not config.ignored_for(res.ctx.agent.path, "AL901", "unused-suppression"):
            from .rules.meta import UnusedSuppression

            rule = UnusedSuppression()
            unused = []
            for s, what in suppress.unused(sups):
                if s.codes is not None and not any(config.enabled(c) for c in s.codes):
                    continue
                unused.append(res.ctx.diagnostic(rule, Finding(s.start, s.end, what)))
            diags.extend(_settled(res, unused, config, suppressible=False))
        diags.sort(key=Diagnostic.sort_key)


def run_project_rules(results: Sequence[FileResult], rules: Sequence[ProjectRule]) -> dict[int, list[Diagnostic]]:
    """The project rules' diagnostics, by index of the result they belong to."""
    out: dict[int, list[Diagnostic]] = {}
    if not rules or not results:
        return out
    index = {id(r.ctx): i for i, r in enumerate(results)}
    contexts = [r.ctx for r in results]
    run: dict = {}  # what the project rules of this run share
    for rule in rules:
        for ctx, finding in rule.check_project(contexts, run):
            out.setdefault(index[id(ctx)], []).append(ctx.diagnostic(rule, finding))
    return out


def lint_contexts(contexts: Iterable[FileContext], config: Config) -> list[FileResult]:
    file_rules, project_rules = _active(config)
    results = [lint_one(ctx, file_rules, project_rules, config) for ctx in contexts]
    finish(results, config, run_project_rules(results, project_rules))
    return results


def lint_files(paths: Sequence[str], config: Optional[Config] = None, jobs: Optional[int] = None) -> list[FileResult]:
    """Lint files in order.  ``jobs``: processes for the per-file phase (None: automatic,
    several only for many files on several CPUs; 1: serial).  The result is the same either way."""
    config = config or Config()
    from .parallel import gc_batches, lint_parallel, plan_jobs

    with gc_batches() as tick:
        workers = plan_jobs(len(paths), jobs)
        if workers > 1:
            results = lint_parallel(paths, config, workers, tick)
            if results is not None:
                return results
        return lint_contexts((tick(make_context(p, config)) for p in paths), config)


def lint_paths(paths: Sequence[str], config: Optional[Config] = None) -> list[Diagnostic]:
    """Lint files and folders (expanded as ``agentlint check`` does); all diagnostics, sorted."""
    from .files import expand

    files, problems = expand([str(p) for p in paths])
    results = lint_files(files, config)
    diags = [d for r in results for d in r.diagnostics] + problems
    diags.sort(key=Diagnostic.sort_key)
    return diags


def lint_text(text: "str | bytes", path: str = "agent.md", config: Optional[Config] = None) -> list[Diagnostic]:
    """Lint one file's content without touching the disk (tests, editors, fuzzing)."""
    config = config or Config()
    raw = text.encode("utf-8") if isinstance(text, str) else text
    doc = from_bytes(path, raw)
    ctx = FileContext(analyse(doc), config, path)
    return lint_contexts([ctx], config)[0].diagnostics
