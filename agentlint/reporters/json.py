"""``--format json``: a JSON array, one object per diagnostic (ruff's shape).

The text is exactly ``json.dumps(objects, indent=2, ensure_ascii=False)``.  With an indent,
the standard library encodes in pure Python, a tenth of a second for a few thousand
diagnostics; a diagnostic's object has a fixed shape, so each one is written with a template
instead, its strings escaped by the same (C) function ``json`` uses.  Anything of another
shape goes through ``json.dumps`` (tests/test_reporters.py compares both on random input).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # what json.dumps uses for str with ensure_ascii=False
from typing import IO, Any, Optional, Sequence

_STRINGS = ("path", "code", "name", "severity", "message")
_INTS = ("line", "column", "end_line", "end_column")
_KEYS = (*_STRINGS, *_INTS, "fix", "url")
_FIX_KEYS = ("message", "applicability", "edits")
_EDIT_KEYS = ("start", "end", "content", "kind")


def render(results: Sequence, stream: IO[str], options) -> None:
    out = [d.to_json() for r in results for d in r.diagnostics]
    # One write: json.dump writes token by token, which is slow through a text wrapper.
    stream.write(dumps(out) + "\n")


def dumps(objects: list[dict[str, Any]]) -> str:
    """``json.dumps(objects, indent=2, ensure_ascii=False)`` for a list of diagnostic objects."""
    items = []
    for obj in objects:
        item = _item(obj)
        if item is None:
            return json.dumps(objects, indent=2, ensure_ascii=False)
        items.append(item)
    return "[\n" + ",\n".join(items) + "\n]" if items else "[]"


def _item(obj: Any) -> Optional[str]:
    """One diagnostic object as an element of the indented top-level array, or None if it is
    not of the shape ``Diagnostic.to_json`` gives (then ``json.dumps`` does the whole list)."""
    if type(obj) is not dict or tuple(obj) != _KEYS:
        return None
    if any(type(obj[k]) is not str for k in _STRINGS) or type(obj["url"]) is not str:
        return None
    if any(type(obj[k]) is not int for k in _INTS):  # bool is not int here, as json sees it
        return None
    fix = obj["fix"]
    fix_text = "null" if fix is None else _fix(fix)
    s = encode_basestring
    return (
        "  {\n"
        f'    "path": {s(obj["path"])},\n'
        f'    "code": {s(obj["code"])},\n'
        f'    "name": {s(obj["name"])},\n'
        f'    "severity": {s(obj["severity"])},\n'
        f'    "message": {s(obj["message"])},\n'
        f'    "line": {obj["line"]!r},\n'
        f'    "column": {obj["column"]!r},\n'
        f'    "end_line": {obj["end_line"]!r},\n'
        f'    "end_column": {obj["end_column"]!r},\n'
        f'    "fix": {fix_text},\n'
        f'    "url": {s(obj["url"])}\n'
        "  }"
    )


def _fix(fix: Any) -> str:
    """A fix object (``Fix.to_json``) as the value of a diagnostic's ``"fix"``, four spaces in."""
    if (
        type(fix) is not dict
        or tuple(fix) != _FIX_KEYS
        or type(fix["message"]) is not str
        or type(fix["applicability"]) is not str
        or type(fix["edits"]) is not list
        or not fix["edits"]
        or not all(_plain_edit(e) for e in fix["edits"])
    ):
        # Another shape: json.dumps it, two levels deeper (a JSON string holds no raw line break).
        return json.dumps(fix, indent=2, ensure_ascii=False).replace("\n", "\n    ")
    s = encode_basestring
    parts = [
        "{\n"
        f'      "message": {s(fix["message"])},\n'
        f'      "applicability": {s(fix["applicability"])},\n'
        '      "edits": [\n'
    ]
    parts.append(
        ",\n".join(
            "        {\n"
            f'          "start": {e["start"]!r},\n'
            f'          "end": {e["end"]!r},\n'
            f'          "content": {s(e["content"])},\n'
            f'          "kind": {s(e["kind"])}\n'
            "        }"
            for e in fix["edits"]
        )
    )
    parts.append("\n      ]\n    }")
    return "".join(parts)


def _plain_edit(edit: Any) -> bool:
    return (
        type(edit) is dict
        and tuple(edit) == _EDIT_KEYS
        and type(edit["start"]) is int
        and type(edit["end"]) is int
        and type(edit["content"]) is str
        and type(edit["kind"]) is str
    )
