"""Applying fixes: ``agentlint check --fix``, ``--diff`` and ``--unsafe-fixes``.

The fix model follows ruff: each diagnostic may carry a :class:`~agentlint.diagnostics.Fix`,
a list of edits that is applied whole or not at all, marked safe or unsafe.  ``--fix`` applies
the safe ones; ``--unsafe-fixes`` adds the others.

One pass collects the fixes of a file's diagnostics, drops every fix that overlaps one kept
before it (the next pass picks it up), applies the text edits back to front, then the
file-level ones (``eol``: CRLF becomes LF everywhere; ``bom``: the byte-order mark goes).  The
file is linted again and fixed again until no applicable fix remains, at most
:data:`MAX_PASSES` times.

The guard: a safe fix must never change what Claude Code loads.  After every pass the new bytes
are loaded again (:func:`agentlint.load.analyse`) and compared with the original: the verdict
and skip reason, name, description, tools (as listed, duplicates and order included), the
disallowed tools, model, every frontmatter value and the body.  Values are compared as Claude
Code reads them: ``description`` after its ``\\n`` replacement, ``tools`` and
``disallowedTools`` as the tool lists they resolve to, and the body with CRLF read as LF
(that conversion is AL007's whole purpose).  When a pass changes anything, its fixes are
retried one by one; the ones that still change the load are refused, reported, and never
written.  An unsafe fix may change the values it edits (and what derives from them), never
anything else, and never makes a loaded agent unloadable; with ``--unsafe-fixes`` every fix is
held to that rule, so a fix marked safe that changes what it edits is applied too.

Files that cannot be written back exactly are never touched: unreadable files, files over
1 MiB and files that are not valid UTF-8 (their undecodable bytes would be lost).
"""

from __future__ import annotations

import difflib
import math
import os
import stat
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence

from .diagnostics import Diagnostic, Edit, Fix
from .document import ReadError, from_bytes, read_bytes
from .load import LoadedAgent, analyse, split_tools

MAX_PASSES = 10
BOM = "\ufeff"

# What an unsafe fix that edits one of these keys is allowed to change besides the key itself.
_DERIVED = {
    "name": ("name",),
    "description": ("description",),
    "tools": ("tools", "tools_display", "disallowed_tools"),
    "disallowedTools": ("tools", "tools_display", "disallowed_tools"),
    "memory": ("tools", "tools_display"),
    "model": ("model",),
}
_AGENT_ATTRS = ("name", "description", "tools", "tools_display", "disallowed_tools", "model")


# ---------------------------------------------------------------------------------------------
# Applying edits
# ---------------------------------------------------------------------------------------------


def _valid(fix: Fix, length: int) -> bool:
    """A fix whose edits stay inside the text, are known kinds and do not overlap each other."""
    texts = []
    for e in fix.edits:
        if e.kind not in ("text", "bom", "eol"):
            return False
        if e.kind == "text":
            if not (0 <= e.start <= e.end <= length) or not isinstance(e.content, str):
                return False
            texts.append(e)
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if _overlap(a, b):
                return False
    return bool(fix.edits)


def _overlap(a: Edit, b: Edit) -> bool:
    """Two text edits conflict when their ranges intersect, when one inserts strictly inside
    the other, or when both start at the same offset (their order would be ambiguous)."""
    if a.start == b.start:
        return True
    return not (a.end <= b.start or b.end <= a.start)


def _apply(text: str, bom: bool, fixes: Sequence[Fix]) -> tuple[str, list[int]]:
    """Apply ``fixes`` in order of priority, skipping any that overlaps one kept before it.

    Returns the new file text (with a leading U+FEFF when the BOM stays) and the indexes of the
    fixes applied.
    """
    kept: list[Edit] = []
    applied: list[int] = []
    eol = drop_bom = False
    for i, fix in enumerate(fixes):
        if not _valid(fix, len(text)):
            continue
        edits = [e for e in fix.edits if e.kind == "text"]
        if any(_overlap(e, k) for e in edits for k in kept):
            continue
        kept.extend(edits)
        applied.append(i)
        eol = eol or any(e.kind == "eol" for e in fix.edits)
        drop_bom = drop_bom or any(e.kind == "bom" for e in fix.edits)
    out = text
    for e in sorted(kept, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: e.start] + e.content + out[e.end :]
    if eol:
        out = out.replace("\r\n", "\n")
    if bom and not drop_bom:
        out = BOM + out
    return out, applied


def apply_fixes(doc_text: str, bom: bool, fixes: Iterable[Fix]) -> str:
    """The file text after applying ``fixes`` (in priority order) to ``doc_text``.

    ``doc_text`` is the decoded text without its BOM (``Document.text``) and ``bom`` says
    whether the file had one; the result starts with U+FEFF when the BOM is kept, so that
    ``result.encode("utf-8")`` is exactly the new file.  Overlapping fixes after the first are
    left out; invalid ones (offsets outside the text, unknown kinds) are ignored.
    """
    return _apply(doc_text, bom, list(fixes))[0]


def select_fixes(diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> list[Diagnostic]:
    """The diagnostics whose fixes apply, in priority order: safe before unsafe, then by position."""
    chosen = [d for d in diagnostics if d.fix is not None and (d.fix.safe or unsafe)]
    chosen.sort(key=lambda d: (not d.fix.safe, d.sort_key()))  # type: ignore[union-attr]
    return chosen


# ---------------------------------------------------------------------------------------------
# The guard: what Claude Code loads, before and after
# ---------------------------------------------------------------------------------------------


def _field_view(key: str, value: Any) -> Any:
    """A frontmatter value as Claude Code reads it."""
    if key == "description" and isinstance(value, str):
        return ("description", value.replace("\\n", "\n"))
    if key in ("tools", "disallowedTools") and isinstance(value, (str, list)):
        return ("tool list", split_tools(value))
    return value


def load_view(agent: LoadedAgent) -> dict[str, Any]:
    """Everything Claude Code takes from a file, as comparable values."""
    return {
        "loaded": agent.loaded,
        "skip_reason": agent.skip_reason,
        "name": agent.name,
        "description": agent.description,
        "tools": agent.tools,
        "tools_display": agent.tools_display,
        "disallowed_tools": agent.disallowed_tools,
        "model": agent.model,
        "fields": {k: _field_view(k, v) for k, v in agent.fields.items()},
        "body": agent.body.replace("\r\n", "\n"),
    }


def _same(a: Any, b: Any, seen: Optional[set] = None) -> bool:
    """Deep equality that tells ``1``/``True``/``1.0`` apart, treats NaN as equal to NaN and
    terminates on shared and recursive structures (YAML anchors build both)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple, dict)):
        seen = set() if seen is None else seen
        pair = (id(a), id(b))
        if pair in seen:
            return True
        seen.add(pair)
        if len(a) != len(b):
            return False
        if isinstance(a, dict):
            if set(a) != set(b):
                return False
            return all(_same(a[k], b[k], seen) for k in a)
        return all(_same(x, y, seen) for x, y in zip(a, b))
    return bool(a == b)


def difference(before: dict[str, Any], after: dict[str, Any], allowed: Iterable[str] = ()) -> Optional[str]:
    """The first thing Claude Code would load differently, or None.

    ``allowed`` names frontmatter keys an (unsafe) fix may change, with what derives from them;
    a file that loaded must still load.
    """
    allowed = set(allowed)
    if before["loaded"] and not after["loaded"]:
        return f"the agent would no longer load ({after['skip_reason']})"
    exempt: set[str] = set()
    for key in allowed:
        exempt.update(_DERIVED.get(key, ()))
    if allowed and not before["loaded"]:
        exempt.update(("loaded", "skip_reason") + _AGENT_ATTRS)
    if not before["loaded"] and after["loaded"] and "loaded" not in exempt:
        return f"Claude Code skips this file today ({before['skip_reason']}) and would load it after the fix"
    for attr in ("loaded", "skip_reason") + _AGENT_ATTRS:
        if attr not in exempt and not _same(before[attr], after[attr]):
            return f"{attr.replace('_', ' ')} would change from {_short(before[attr])} to {_short(after[attr])}"
    bf, af = before["fields"], after["fields"]
    for key in list(bf) + [k for k in af if k not in bf]:
        if key in allowed:
            continue
        if key not in af:
            return f"the `{key}` key would disappear"
        if key not in bf:
            return f"a `{key}` key would appear"
        if not _same(bf[key], af[key]):
            return f"the value of `{key}` would change"
    if not _same(before["body"], after["body"]):
        return "the body (system prompt) would change"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _touched_keys(agent: LoadedAgent, fix: Fix) -> set[str]:
    """Frontmatter keys whose key or value an edit of ``fix`` touches."""
    keys: set[str] = set()
    if agent.fm is None:
        return keys
    for e in fix.edits:
        if e.kind != "text":
            continue
        for entry in agent.fm.entries:
            lo, hi = entry.key_start, max(entry.value_end, entry.key_end)
            if e.start <= hi and lo <= e.end:
                keys.add(entry.key)
    return keys


# ---------------------------------------------------------------------------------------------
# Fixing one file
# ---------------------------------------------------------------------------------------------


@dataclass
class Refusal:
    code: str
    message: str  # the fix's message
    reason: str  # what it would have changed


@dataclass
class FileFix:
    """The outcome of fixing one file (nothing is written here)."""

    path: str
    display: str
    original: bytes
    fixed: bytes
    applied: Counter = field(default_factory=Counter)  # code -> fixes applied
    refused: list[Refusal] = field(default_factory=list)
    not_fixable: Optional[str] = None  # why the file cannot be fixed at all
    passes: int = 0
    error: Optional[str] = None  # writing failed

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    @property
    def count(self) -> int:
        return sum(self.applied.values())


def _lint_bytes(path: str, display: str, raw: bytes, config) -> tuple[LoadedAgent, list[Diagnostic]]:
    from .engine import lint_contexts
    from .rules.base import FileContext

    agent = analyse(from_bytes(path, raw))
    ctx = FileContext(agent, config, display)
    return agent, lint_contexts([ctx], config)[0].diagnostics


def _fix_key(d: Diagnostic, text: str) -> tuple:
    """Identifies a fix across passes (offsets move, the text it replaces does not)."""
    assert d.fix is not None
    parts = tuple((e.kind, e.content, text[e.start : e.end] if e.kind == "text" else "") for e in d.fix.edits)
    return (d.code, d.fix.message, parts)


class _Step:
    """One pass of the fix loop: applies a set of fixes to the pass's text and judges the result."""

    def __init__(self, path: str, agent: LoadedAgent, before: dict[str, Any], allowed: set[str], unsafe: bool) -> None:
        self.path, self.agent, self.before, self.allowed, self.unsafe = path, agent, before, allowed, unsafe

    def attempt(self, ds: list[Diagnostic]) -> tuple[bytes, LoadedAgent, Optional[str], set[str]]:
        """The new bytes, what they load, what would change (None: nothing), and the keys
        unsafe fixes may change from now on."""
        doc = self.agent.doc
        text, _ = _apply(doc.text, doc.bom, [d.fix for d in ds])  # type: ignore[misc]
        data = text.encode("utf-8")
        new_agent = analyse(from_bytes(self.path, data))
        keys = set(self.allowed)
        for d in ds:
            # With --unsafe-fixes every fix is held to the unsafe rule: a fix marked safe
            # that still changes what it edits is applied like an unsafe one.
            if self.unsafe or not d.fix.safe:  # type: ignore[union-attr]
                keys |= _touched_keys(self.agent, d.fix)  # type: ignore[arg-type]
                keys |= set(new_agent.fields) - set(self.agent.fields)
        return data, new_agent, difference(self.before, load_view(new_agent), keys), keys


def fix_bytes(
    path: str,
    raw: bytes,
    config=None,
    unsafe: bool = False,
    display: Optional[str] = None,
    diagnostics: Optional[Sequence[Diagnostic]] = None,
) -> FileFix:
    """Fix one file's bytes, lint -> fix -> guard, until nothing applicable is left.

    ``diagnostics`` (optional) are those of a full run for the first pass, so that fixes of
    project-wide rules are included; later passes lint the file alone.
    """
    from .config import Config

    config = config or Config()
    display = display or path
    result = FileFix(path=path, display=display, original=raw, fixed=raw)
    doc = from_bytes(path, raw)
    if doc.too_large:
        result.not_fixable = "larger than 1 MiB"
        return result
    if doc.decode_error is not None:
        result.not_fixable = "not valid UTF-8 text: rewriting it would lose bytes"
        return result

    original = analyse(doc)
    before = load_view(original)
    current = raw
    allowed: set[str] = set()  # keys changed by accepted unsafe fixes
    refused_keys: set[tuple] = set()
    seen_texts = {raw}
    agent: LoadedAgent = original
    diags: Sequence[Diagnostic] = diagnostics if diagnostics is not None else _lint_bytes(path, display, raw, config)[1]

    for _ in range(MAX_PASSES):
        doc = agent.doc
        candidates = [d for d in select_fixes(diags, unsafe) if _fix_key(d, doc.text) not in refused_keys]
        if not candidates:
            break
        _, applied = _apply(doc.text, doc.bom, [d.fix for d in candidates])  # type: ignore[misc]
        if not applied:
            break
        chosen = [candidates[i] for i in applied]
        step = _Step(path, agent, before, allowed, unsafe)
        attempt = step.attempt

        data, new_agent, problem, keys = attempt(chosen)
        accepted = chosen
        if problem is not None:
            # Find the culprits: keep each fix that is harmless on top of those kept so far.
            accepted = []
            for d in chosen:
                _, _, why, _ = attempt(accepted + [d])
                if why is None:
                    accepted.append(d)
                else:
                    refused_keys.add(_fix_key(d, doc.text))
                    result.refused.append(Refusal(d.code, d.fix.message, why))  # type: ignore[union-attr]
            if not accepted:
                result.passes += 1
                continue  # the refused ones are excluded now; others may remain
            data, new_agent, problem, keys = attempt(accepted)
            if problem is not None:  # pragma: no cover - each was checked on top of the others
                break
        if data in seen_texts:
            break  # fixes that undo each other
        seen_texts.add(data)
        result.passes += 1
        allowed = keys
        for d in accepted:
            result.applied[d.code] += 1
        current = data
        agent = new_agent
        diags = _lint_bytes(path, display, current, config)[1]
    result.fixed = current
    return result


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class WriteError(Exception):
    pass


def write_atomic(path: str, data: bytes, expected: Optional[bytes] = None) -> None:
    """Replace the file at ``path`` (through symlinks) with ``data``, atomically.

    The new content goes to a temporary file in the same folder, gets the original mode (and
    owner, where permitted), and replaces the file with ``os.replace``.  With ``expected``,
    the file is first read again and left alone if it changed since it was linted.
    """
    target = os.path.realpath(path)
    try:
        st = os.stat(target)
    except OSError as exc:
        raise WriteError(exc.strerror or str(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise WriteError("not a regular file")
    if expected is not None:
        try:
            now, _ = read_bytes(target, limit=max(len(expected), 1) + 1)
        except ReadError as exc:
            raise WriteError(str(exc)) from None
        if now != expected:
            raise WriteError("the file changed on disk while it was being fixed")
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".agentlint-tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot create a temporary file in {folder}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown"):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass  # not permitted: the file becomes ours, as with any editor
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise WriteError(exc.strerror or str(exc)) from None


# ---------------------------------------------------------------------------------------------
# Diffs
# ---------------------------------------------------------------------------------------------


def _diff_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def _lines(text: str) -> list[str]:
    """Split after each LF only (``str.splitlines`` also splits on form feeds and U+2028)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    """A unified diff (``--- a/path`` / ``+++ b/path``) that ``git apply`` and ``patch -p1`` accept.

    Lines keep their endings (a CRLF -> LF change shows as changed lines) and a missing final
    newline is marked as in ``diff``.
    """
    name = _diff_path(path)
    a = _lines(before.decode("utf-8", errors="surrogateescape"))
    b = _lines(after.decode("utf-8", errors="surrogateescape"))
    out: list[str] = []
    for line in difflib.unified_diff(a, b, f"a/{name}", f"b/{name}", lineterm="\n"):
        if line.startswith(("---", "+++")) and not line.endswith("\n"):
            line += "\n"
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# ``agentlint check --fix`` / ``--diff``
# ---------------------------------------------------------------------------------------------


@dataclass
class FixRun:
    files: list[FileFix]
    results: list  # FileResult after fixing (re-linted), or the original results with --diff

    @property
    def fixes(self) -> int:
        return sum(f.count for f in self.files if f.changed and not f.error)

    @property
    def changed_files(self) -> list[FileFix]:
        return [f for f in self.files if f.changed and not f.error]

    @property
    def errors(self) -> list[FileFix]:
        return [f for f in self.files if f.error]

    def summary(self, diff: bool) -> str:
        n, m = self.fixes, len(self.changed_files)
        files = f"{m} file{'s' if m != 1 else ''}"
        issues = f"{n} fix{'es' if n != 1 else ''}"
        by_code: Counter = Counter()
        for f in self.changed_files:
            by_code.update(f.applied)
        detail = " (" + ", ".join(f"{code} {k}" for code, k in sorted(by_code.items())) + ")" if n else ""
        if diff:
            return f"Would apply {issues} in {files}{detail}." if n else "No fixes to apply."
        return f"Applied {issues} in {files}{detail}." if n else "No fixes applied."

    def notes(self) -> list[str]:
        """One line per refused fix, unfixable file with fixes, or write error."""
        lines = []
        for f in self.files:
            for r in f.refused:
                lines.append(f"{f.display}: {r.code} fix refused ({r.message}): {r.reason}; not applied")
            if f.error:
                lines.append(f"{f.display}: could not write the fixes: {f.error}")
        return lines


def fix_results(results: Sequence, config, unsafe: bool = False, write: bool = True) -> list[FileFix]:
    """Fix every file of a lint run that has an applicable fix; write the changed ones."""
    out: list[FileFix] = []
    done: set[str] = set()
    for res in results:
        ctx = getattr(res, "ctx", None)
        if ctx is None or not select_fixes(res.diagnostics, unsafe):
            continue
        doc = ctx.doc
        real = os.path.realpath(ctx.agent.path)
        if real in done:
            continue  # the same file reached through another path
        done.add(real)
        if doc.read_error:
            continue
        try:
            ff = fix_bytes(ctx.agent.path, doc.raw, config, unsafe=unsafe, display=res.path, diagnostics=res.diagnostics)
        except RecursionError as exc:  # pragma: no cover - depth is bounded by the parser
            ff = FileFix(ctx.agent.path, res.path, doc.raw, doc.raw, error=f"{type(exc).__name__}: {exc}")
        if write and ff.changed:
            try:
                write_atomic(ctx.agent.path, ff.fixed, expected=doc.raw)
            except WriteError as exc:
                ff.error = str(exc)
        out.append(ff)
    return out


def run_check(results: list, files: Sequence[str], config, *, diff: bool, unsafe: bool) -> FixRun:
    """The ``--fix``/``--diff`` step of ``agentlint check``.

    With ``diff`` nothing is written; otherwise changed files are written and linted again, so
    that the results report what remains (project rules included).
    """
    from .engine import lint_files

    fixed = fix_results(results, config, unsafe=unsafe, write=not diff)
    if not diff and any(f.changed and not f.error for f in fixed):
        results = lint_files(list(files), config)
    return FixRun(fixed, results)


def _redacted_diff(f: "FileFix") -> str:
    """The file's diff with any credential in it redacted (AL605): a secret never reaches output."""
    from . import secrets

    diff = unified_diff(f.display, f.original, f.fixed)
    before = f.original.decode("utf-8", errors="replace")
    after = f.fixed.decode("utf-8", errors="replace")
    found = secrets.find(before) + secrets.find(after)
    return secrets.redact_text(diff, found, before) if found else diff


def emit_diff(run: FixRun) -> int:
    """Print ``--diff`` output: the diffs on stdout (exact bytes), notes and a summary on
    stderr.  Returns the exit code: 1 when a file would change, else 0."""
    import sys

    import click

    sys.stdout.flush()  # (click.get_binary_stream is deprecated from Click 8.5 and gone in 9)
    out = sys.stdout.buffer
    for f in run.files:
        if f.changed:
            out.write(_redacted_diff(f).encode("utf-8", errors="surrogateescape"))
    out.flush()
    for note in run.notes():
        click.echo(f"agentlint: {note}", err=True)
    click.echo(run.summary(diff=True), err=True)
    return 1 if run.changed_files else 0
