"""``--format sarif``: a SARIF 2.1.0 log, as GitHub code scanning and other SARIF viewers read it.

One run.  ``tool.driver.rules`` lists every rule (id, name, short and full description, the
rule's docs as help text and Markdown, the docs address, the default level); each result
points at its rule by ``ruleId`` and ``ruleIndex`` and carries the level it was reported at.
Locations are relative to ``%SRCROOT%`` (the current folder, given in ``originalUriBaseIds``),
so uploaded results land on the repository's files.  Columns count Unicode code points
(``columnKind``), as agentlint's columns do.

A diagnostic with a known fix carries it as a SARIF ``fix``: text edits become text-region
replacements (line and column, which SARIF defines without regard to a byte-order mark),
removing a BOM is a binary replacement of the first three bytes, and converting CRLF to LF
is one deletion per carriage return.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import IO, Optional, Sequence
from urllib.parse import quote

from .. import __version__
from ._util import HOME_URL, clean, docs_section, docs_url, posix_path, rule_class

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"
# A CRLF file gives one deletion per line; past this many the fix is left out of the log.
MAX_EOL_REPLACEMENTS = 2000

_FAMILIES = {
    "file": "file",
    "name": "name",
    "description": "description",
    "settings": "settings",
    "tools": "tools",
    "keys": "keys",
    "body": "body",
    "project": "project",
    "meta": "suppressions",
}


def artifact_location(path: str) -> dict:
    """A relative URI under ``%SRCROOT%`` for a path below the current folder, else a file URI."""
    if os.path.isabs(path) or os.path.normpath(path).startswith(os.pardir):
        try:
            return {"uri": Path(os.path.abspath(path)).as_uri()}
        except ValueError:
            pass
    rel = posix_path(os.path.normpath(path)) if path else path
    return {"uri": quote(os.fsencode(rel), safe="/"), "uriBaseId": SRCROOT}


def _text_help(docs: str) -> str:
    """The Markdown docs as plain text: section headings lose their ``#`` marks (not code)."""
    out = []
    fenced = False
    for line in docs.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            line = re.sub(r"^#{1,6}\s+", "", line)
        out.append(line)
    return "\n".join(out)


def rule_descriptor(code: str, name: str) -> dict:
    cls = rule_class(code)
    if cls is None:  # a code the engine makes itself (AL000 internal error)
        summary = name.replace("-", " ")
        return {
            "id": code,
            "name": name,
            "shortDescription": {"text": summary},
            "helpUri": docs_url(code),
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["agentlint"]},
        }
    docs = cls.docs()
    what = docs_section(docs, "What it does") or cls.summary
    family = _FAMILIES.get(cls.__module__.rsplit(".", 1)[-1], "other")
    return {
        "id": cls.code,
        "name": cls.name,
        "shortDescription": {"text": cls.summary},
        "fullDescription": {"text": what},
        "help": {"text": _text_help(docs), "markdown": docs},
        "helpUri": docs_url(cls.code),
        "defaultConfiguration": {"level": LEVELS[cls.severity.value]},
        "properties": {"tags": ["agentlint", family], "fixable": bool(cls.fixable)},
    }


def region(span) -> dict:
    end_line = max(span.end_line, span.line)
    end_col = span.end_column
    if end_line == span.line:
        end_col = max(end_col, span.column)
    return {"startLine": span.line, "startColumn": span.column, "endLine": end_line, "endColumn": max(1, end_col)}


def _result_region(d) -> dict:
    reg = region(d.span)
    src = d.source_line
    if src and reg["startLine"] == reg["endLine"] and reg["endColumn"] > reg["startColumn"] and len(src) <= 400:
        text = src[reg["startColumn"] - 1 : reg["endColumn"] - 1]
        if text:
            reg["snippet"] = {"text": text}
    return reg


def _text_region(doc, start: int, end: int) -> dict:
    l1, c1 = doc.line_col(start)
    l2, c2 = doc.line_col(max(start, end))
    return {"startLine": l1, "startColumn": c1, "endLine": l2, "endColumn": c2}


def _replacements(edit, doc) -> Optional[list]:
    if edit.kind == "text":
        rep: dict = {"deletedRegion": _text_region(doc, edit.start, edit.end)}
        if edit.content:
            rep["insertedContent"] = {"text": edit.content}
        return [rep]
    if edit.kind == "bom":
        return [{"deletedRegion": {"byteOffset": 0, "byteLength": 3}}] if doc.bom else None
    if edit.kind == "eol":
        reps = []
        for m in re.finditer("\r\n", doc.text):
            if len(reps) >= MAX_EOL_REPLACEMENTS:
                return None
            line, col = doc.line_col(m.start())
            reps.append({"deletedRegion": {"startLine": line, "startColumn": col, "endLine": line, "endColumn": col + 1}})
        return reps or None
    return None


def sarif_fix(fix, ctx, location: dict) -> Optional[dict]:
    """The SARIF form of a :class:`Fix`, or None when it cannot be stated exactly."""
    if fix is None or ctx is None:
        return None
    doc = ctx.doc
    if doc is None or doc.too_large or doc.read_error:
        return None
    replacements: list = []
    for edit in fix.edits:
        reps = _replacements(edit, doc)
        if reps is None:
            return None
        replacements.extend(reps)
    if not replacements:
        return None
    description = fix.message if fix.safe else f"{fix.message} (unsafe: review the change)"
    return {
        "description": {"text": description},
        "artifactChanges": [{"artifactLocation": dict(location), "replacements": replacements}],
        "properties": {"applicability": "safe" if fix.safe else "unsafe"},
    }


def build(results: Sequence) -> dict:
    from ..rules import ALL_RULES

    rules = [rule_descriptor(cls.code, cls.name) for cls in ALL_RULES]
    index = {r["id"]: i for i, r in enumerate(rules)}
    out = []
    failed = False
    for r in results:
        ctx = getattr(r, "ctx", None)
        for d in r.diagnostics:
            if d.code not in index:
                index[d.code] = len(rules)
                rules.append(rule_descriptor(d.code, d.name))
            if d.code == "AL000":
                failed = True
            loc = artifact_location(d.path)
            res = {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": LEVELS.get(d.severity.value, "warning"),
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {"artifactLocation": loc, "region": _result_region(d)}}],
            }
            fix = sarif_fix(d.fix, ctx, loc)
            if fix is not None:
                res["fixes"] = [fix]
            out.append(res)
    try:
        root = Path.cwd().as_uri() + "/"
    except (OSError, ValueError):
        root = None
    run: dict = {
        "tool": {
            "driver": {
                "name": "agentlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOME_URL,
                "rules": rules,
            }
        },
        "invocations": [{"executionSuccessful": not failed}],
        "columnKind": "unicodeCodePoints",
        "results": out,
    }
    if root:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(results: Sequence, stream: IO[str], options) -> None:
    stream.write(clean(json.dumps(build(results), indent=2, ensure_ascii=False)))
    stream.write("\n")
