"""Small helpers shared by the CI reporters (SARIF, GitHub, JUnit, statistics)."""

from __future__ import annotations

import os
import re
from typing import Optional

DOCS_URL = "https://github.com/agentlint/agentlint/blob/main/docs/rules.md"
HOME_URL = "https://github.com/agentlint/agentlint"


def docs_url(code: str) -> str:
    """The rule's section in the rules reference (the same address as the JSON ``url``)."""
    return f"{DOCS_URL}#{code.lower()}"


def clean(text: str) -> str:
    """``text`` made safe to encode as UTF-8.

    File names that are not UTF-8 reach us with lone surrogates (``os.fsdecode``); writing
    those would raise.  They become visible ``\\udcXX`` escapes instead.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def posix_path(path: str) -> str:
    """A display path with forward slashes (annotations and URIs want them on Windows too)."""
    return path.replace(os.sep, "/") if os.sep != "/" else path


def rule_class(code: str):
    from ..rules import BY_CODE

    return BY_CODE.get(code)


_SECTION_RE = re.compile(r"^##\s+(.+?)\s*$", re.M)


def docs_section(docs: str, title: str) -> Optional[str]:
    """The text under ``## title`` in a rule's Markdown docs, or None."""
    heads = list(_SECTION_RE.finditer(docs))
    for i, m in enumerate(heads):
        if m.group(1).strip().lower() == title.lower():
            end = heads[i + 1].start() if i + 1 < len(heads) else len(docs)
            body = docs[m.end() : end].strip()
            return body or None
    return None
