"""``--format json``: a JSON array, one object per diagnostic (ruff's shape)."""

from __future__ import annotations

import json
from typing import IO, Sequence


def render(results: Sequence, stream: IO[str], options) -> None:
    out = [d.to_json() for r in results for d in r.diagnostics]
    # One write: json.dump writes token by token, which is slow through a text wrapper.
    stream.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
