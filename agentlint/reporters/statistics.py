"""``--statistics``: how many diagnostics of each code, instead of the diagnostics (as ruff does).

Text: one aligned row per code, most frequent first: count, code, ``[*]`` when fixes are
available, name.  With ``--format json``: a JSON array of ``{code, name, count, fixable}``.
"""

from __future__ import annotations

import json
from typing import IO, Sequence

from ._util import clean


def table(results: Sequence) -> list[dict]:
    rows: dict[str, dict] = {}
    for r in results:
        for d in r.diagnostics:
            row = rows.setdefault(d.code, {"code": d.code, "name": d.name, "count": 0, "fixable": False})
            row["count"] += 1
            if d.fix is not None:
                row["fixable"] = True
    return sorted(rows.values(), key=lambda row: (-row["count"], row["code"]))


def render(results: Sequence, stream: IO[str], options, fmt: str = "text") -> None:
    rows = table(results)
    if fmt == "json":
        json.dump(rows, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        return
    if not rows:
        return
    width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(row["code"]) for row in rows)
    for row in rows:
        mark = "[*]" if row["fixable"] else "[ ]"
        stream.write(clean(f"{row['count']:>{width}}  {row['code']:<{code_width}}  {mark} {row['name']}") + "\n")
    if any(row["fixable"] for row in rows):
        stream.write("[*] fixable with `agentlint check --fix`\n")
