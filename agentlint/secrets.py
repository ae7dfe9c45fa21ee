"""Credentials written into an agent file: finding them, and keeping them out of every output.

``find`` scans text for API keys and tokens whose shape is unmistakable (a vendor prefix and a
random part of the vendor's length) and that look random: placeholders such as ``sk-ant-xxxx``,
``sk-...``, ``ghp_your_token_here`` or AWS's documented ``AKIAIOSFODNN7EXAMPLE`` are not secrets.
A private key counts when its ``BEGIN … PRIVATE KEY`` header is followed by key material.

A secret found here must never be printed: messages show only ``redacted`` (the vendor prefix
and the length), and ``scrub`` masks it in every diagnostic's source line and message and drops
a fix whose replacement text would carry it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Optional, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from .diagnostics import Diagnostic
    from .document import Document

MASK = "*"


@dataclass(frozen=True)
class Secret:
    kind: str  # "an Anthropic API key"
    start: int  # offsets of the secret text in the scanned text
    end: int
    shown: int  # how many leading characters are a public prefix (shown, not masked)
    report_start: int  # where a diagnostic about it points
    report_end: int
    needles: tuple[str, ...]  # exact strings that must not appear in any output

    @property
    def length(self) -> int:
        return self.end - self.start

    def redacted(self, text: str) -> str:
        """The public prefix, an ellipsis and the length: ``sk-ant-api03-… (108 characters)``."""
        return f"{text[self.start:self.start + self.shown]}… ({self.length} characters)"


# ---- what random looks like ---------------------------------------------------------------------

# Placeholder words, lowercase or uppercase as people type them (`sk-ant-your-key-here`,
# `YOUR_API_KEY`); matched case-sensitively, so that random text rarely contains one by chance.
_WORDS = ("example", "xxxx", "your", "placeholder", "dummy", "sample", "redact", "fake", "test",
          "here", "insert", "replace", "token", "secret", "change", "todo", "fixme")
_PLACEHOLDER_WORDS = re.compile("|".join(_WORDS + tuple(w.upper() for w in _WORDS)))
_RUN = re.compile(r"(.)\1{4,}")  # five identical characters in a row
_ORDER = "0123456789abcdefghijklmnopqrstuvwxyz"


def entropy(s: str) -> float:
    """Shannon entropy in bits per character."""
    if not s:
        return 0.0
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def _sequential(s: str, run: int = 6) -> bool:
    """True when ``s`` holds ``run`` consecutive characters in order (``abcdef``, ``123456``)."""
    low = s.lower()
    count = 1
    for a, b in zip(low, low[1:]):
        ia, ib = _ORDER.find(a), _ORDER.find(b)
        if ia >= 0 and ib == ia + 1:
            count += 1
            if count >= run:
                return True
        else:
            count = 1
    return False


def looks_random(body: str, min_len: int, need_digit: bool = True, need_mixed_case: bool = False) -> bool:
    """Does ``body`` (the random part of a token) look like key material, not a placeholder?"""
    core = body.replace("-", "").replace("_", "")
    if len(core) < min_len:
        return False
    if _PLACEHOLDER_WORDS.search(body) or _RUN.search(core) or _sequential(core):
        return False
    classes = sum((any(c.islower() for c in core), any(c.isupper() for c in core), any(c.isdigit() for c in core)))
    if classes < 2 or (need_digit and not any(c.isdigit() for c in core)):
        return False
    if need_mixed_case and not (any(c.islower() for c in core) and any(c.isupper() for c in core)):
        return False
    threshold = min(3.5, 0.75 * math.log2(len(core)))
    return entropy(core) >= threshold


# ---- the patterns ------------------------------------------------------------------------------

_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_E = r"(?![A-Za-z0-9_\-])"  # not followed by a token character


def _aws_secret_hint(text: str) -> bool:
    # The regex matches `aws`, an optional `_` and `secret` in any case (ASCII letters), so the
    # text in UTF-8 with ASCII letters lowercased holds `awssecret` or `aws_secret`: UTF-8 keeps
    # ASCII as it is and writes every other character with bytes over 127 only.
    low = text.encode("utf-8", "surrogatepass").lower()
    return b"awssecret" in low or b"aws_secret" in low


@dataclass(frozen=True)
class _Pattern:
    kind: str
    needles: tuple[str, ...]  # the pattern runs only on text holding one of these (fast `in`)
    regex: "re.Pattern[str]"  # starts with a literal, so that `re` can skip ahead quickly
    check: Callable[["re.Match[str]"], bool]
    group: int = 0  # the group holding the secret (0: the whole match, group 1 its public prefix)
    boundary: bool = True  # not preceded by a token character (`risk-…` never starts `sk-…`)
    # A cheaper test that every text the regex matches in passes (a necessary condition only:
    # the result is the same with or without it), tried after the needles.
    hint: Optional[Callable[[str], bool]] = None


_PATTERNS: tuple[_Pattern, ...] = (
    _Pattern(
        "an Anthropic API key",
        ("sk-ant-",),
        re.compile(r"(sk-ant-[a-z]{2,8}\d{0,3}-)([A-Za-z0-9_\-]{32,})" + _E),
        lambda m: looks_random(m.group(2), 32, need_mixed_case=True),
    ),
    _Pattern(
        "an OpenAI API key",
        ("sk-proj-", "sk-svcacct-", "sk-admin-"),
        re.compile(r"(sk-(?:proj|svcacct|admin)-)([A-Za-z0-9_\-]{32,})" + _E),
        lambda m: looks_random(m.group(2), 32, need_mixed_case=True),
    ),
    _Pattern(
        "an OpenAI-style API key",
        ("sk-",),
        re.compile(r"(sk-)([A-Za-z0-9]{32,})" + _E),
        lambda m: looks_random(m.group(2), 32),
    ),
    _Pattern(
        "a GitHub token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
        re.compile(r"(gh[pousr]_)([A-Za-z0-9]{36,255})" + _E),
        lambda m: looks_random(m.group(2), 36, need_mixed_case=True),
    ),
    _Pattern(
        "a GitHub fine-grained token",
        ("github_pat_",),
        re.compile(r"(github_pat_)([A-Za-z0-9]{22}_[A-Za-z0-9]{59,})" + _E),
        lambda m: looks_random(m.group(2), 60, need_mixed_case=True),
    ),
    _Pattern(
        "an AWS access key id",
        ("AKIA", "ASIA", "ABIA", "ACCA"),
        re.compile(r"(A(?:KIA|SIA|BIA|CCA))([A-Z0-9]{16})(?![A-Za-z0-9])"),
        lambda m: looks_random(m.group(2), 16),
    ),
    _Pattern(
        "an AWS secret access key",
        ("ecret", "ECRET"),
        re.compile(r"[Aa][Ww][Ss]_?[Ss][Ee][Cc][Rr][Ee][Tt]_?(?:[Aa][Cc][Cc][Ee][Ss][Ss]_?)?[Kk][Ee][Yy][\"']?\s*[:=]\s*[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"),
        lambda m: looks_random(m.group(1), 40, need_mixed_case=True),
        group=1,
        boundary=False,
        hint=_aws_secret_hint,
    ),
    _Pattern(
        "a Slack token",
        ("xoxa-", "xoxb-", "xoxe-", "xoxo-", "xoxp-", "xoxr-", "xoxs-"),
        re.compile(r"(xox[abeoprs]-)(\d{6,}-[A-Za-z0-9\-]{20,})" + _E),
        lambda m: looks_random(m.group(2).rsplit("-", 1)[-1], 20),
    ),
    _Pattern(
        "a Slack webhook URL",
        ("hooks.slack.com/services/",),
        re.compile(r"(https://hooks\.slack\.com/services/)(T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,})"),
        lambda m: looks_random(m.group(2).rsplit("/", 1)[-1], 20, need_digit=False),
        boundary=False,
    ),
)

# Every needle once: a few substring tests tell which patterns can match at all.
_NEEDLES = tuple(sorted({n for p in _PATTERNS for n in p.needles}))

# The needles in groups behind coarse tests, so that a text holding none of them (most texts)
# costs a handful of scans instead of one per needle.  A coarse test is a string or a regex
# (no anchors, no lookaround) found in each needle of its group, so a text holding the needle
# passes it too: a failed coarse test rules out the whole group, a passed one is refined needle
# by needle, and ``_present`` is exactly ``{n for n in _NEEDLES if n in text}``.  A needle no
# group's tests all accept lands in a last group without tests.
_COARSE: tuple[tuple[object, ...], ...] = (
    ("sk-", re.compile(r"sk-(?:ant|proj|svcacct|admin)-")),  # sk-ant-, sk-proj-, sk-svcacct-, sk-admin-
    ("sk-",),
    ("xox",),  # the seven Slack token prefixes
    ("_", re.compile(r"gh[pousr]_|github_pat_")),  # GitHub: one regex scan instead of six
    (re.compile(r"A(?:KIA|SIA|BIA|CCA)"),),  # AWS key ids: one scan instead of four
)


def _accepts(test: object, text: str) -> bool:
    return (test in text) if isinstance(test, str) else test.search(text) is not None  # type: ignore[attr-defined]


def _needle_groups() -> tuple[tuple[tuple[object, ...], tuple[str, ...]], ...]:
    groups: list[tuple[tuple[object, ...], list[str]]] = [(tests, []) for tests in _COARSE] + [((), [])]
    for n in _NEEDLES:
        for tests, members in groups:
            if all(_accepts(t, n) for t in tests):
                members.append(n)
                break
    return tuple((tests, tuple(members)) for tests, members in groups if members)


_NEEDLE_GROUPS = _needle_groups()


def _present(text: str) -> set[str]:
    """The needles found in ``text``: ``{n for n in _NEEDLES if n in text}``, with fewer scans."""
    present: set[str] = set()
    passed: dict[object, bool] = {}  # each coarse test once
    for tests, needles in _NEEDLE_GROUPS:
        for t in tests:
            ok = passed.get(t)
            if ok is None:
                ok = passed[t] = _accepts(t, text)
            if not ok:
                break
        else:
            present.update(n for n in needles if passed.get(n) or n in text)
    return present


_KEY_HEADER = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_KEY_LINE = re.compile(r"[ \t]*([A-Za-z0-9+/=]+)[ \t]*\r?$")
_KEY_ARMOR_HEADER = re.compile(r"[ \t]*[A-Za-z-]+:\s.*\r?$")  # Proc-Type: …, DEK-Info: …
# A key written into a string with `\n` escapes (JSON, YAML double quotes).
_KEY_ESCAPED = re.compile(r"\\n([A-Za-z0-9+/=]+(?:\\n[A-Za-z0-9+/=]+)*)")


def _key_material(text: str, pos: int) -> Optional[tuple[int, int, list[str]]]:
    """The base64 lines of a PEM block whose header ends at ``pos``: (start, end, lines)."""
    esc = _KEY_ESCAPED.match(text, pos)
    if esc:
        return esc.start(1), esc.end(1), esc.group(1).split("\\n")
    nl = text.find("\n", pos)
    if nl < 0 or text[pos:nl].strip():
        return None
    pos = nl + 1
    start = end = None
    material: list[str] = []
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end]
        km = _KEY_LINE.match(line)
        if km:
            if start is None:
                start = pos + km.start(1)
            end = pos + km.end(1)
            material.append(km.group(1))
        elif line.strip() and not _KEY_ARMOR_HEADER.match(line):
            break  # the END line, or anything that is not key material
        if nl < 0:
            break
        pos = nl + 1
    if start is None or end is None:
        return None
    return start, end, material


def _private_keys(text: str) -> Iterable[Secret]:
    for m in _KEY_HEADER.finditer(text):
        found = _key_material(text, m.end())
        if found is None:
            continue
        start, end, material = found
        blob = "".join(material)
        if len(blob) < 64 or not looks_random(blob, 64, need_digit=False):
            continue
        needles = tuple(sorted({line for line in material if len(line) >= 8} | {text[start:end]}, key=len, reverse=True))
        yield Secret(f"a private key ({m.group(1)})", start, end, 0, m.start(), m.end(), needles)


def find(text: str) -> list[Secret]:
    """Every secret in ``text``, in order, without overlaps."""
    found: list[Secret] = []
    present = _present(text)
    private_key = "PRIVATE KEY" in text
    if not present and not private_key:
        return found
    for p in _PATTERNS:
        if present.isdisjoint(p.needles):
            continue
        if p.hint is not None and not p.hint(text):
            continue
        for m in p.regex.finditer(text):
            if p.boundary and m.start() > 0 and text[m.start() - 1] in _TOKEN_CHARS:
                continue
            if not p.check(m):
                continue
            if p.group:
                start, end = m.start(p.group), m.end(p.group)
                shown = 0
            else:
                start, end = m.start(), m.end()
                shown = len(m.group(1))
            found.append(Secret(p.kind, start, end, shown, start, end, (text[start:end],)))
    if private_key:
        found.extend(_private_keys(text))
    if not found:
        return found
    found.sort(key=lambda s: (s.start, -s.end))
    out: list[Secret] = []
    for s in found:
        if out and s.start < out[-1].end:
            continue  # the earlier, longer match already covers it
        out.append(s)
    return out


def find_in_document(doc: "Document") -> list[Secret]:
    """``find(doc.text)``, found once per document (and text): AL605 looks for the secrets, and
    ``scrub`` needs them again when the diagnostics are settled."""
    text = doc.text
    kept = doc._secrets
    if kept is not None and kept[0] is text:
        return list(kept[1])
    found = find(text)
    doc._secrets = (text, tuple(found))
    return found


# ---- keeping secrets out of output ---------------------------------------------------------------

def mask(line: str, line_start: int, secrets: Sequence[Secret]) -> str:
    """``line`` (starting at ``line_start`` of the text) with every secret character masked.

    The length is kept so that a caret under the line still points at the right column.
    """
    line_end = line_start + len(line)
    chars: Optional[list[str]] = None
    for s in secrets:
        lo = max(s.start + s.shown, line_start)
        hi = min(s.end, line_end)
        if lo >= hi:
            continue
        if chars is None:
            chars = list(line)
        for i in range(lo - line_start, hi - line_start):
            chars[i] = MASK
    return line if chars is None else "".join(chars)


def redact_text(text: str, secrets: Sequence[Secret], source: str) -> str:
    """Replace every needle of every secret in ``text`` by the secret's redacted form."""
    for s in secrets:
        for needle in s.needles:
            if needle and needle in text:
                text = text.replace(needle, s.redacted(source))
    return text


def scrub(diagnostics: Sequence["Diagnostic"], doc: "Document") -> None:
    """Mask the secrets of ``doc`` in the source lines and messages of its diagnostics.

    A fix whose new text would carry a secret is dropped: the secret has to go first (AL605).
    """
    if not diagnostics or not doc.text:
        return
    secrets = find_in_document(doc)
    if not secrets:
        return
    for d in diagnostics:
        if d.source_line:
            d.source_line = mask(d.source_line, doc.line_offset(d.span.line), secrets)
        d.message = redact_text(d.message, secrets, doc.text)
        if d.fix is not None:
            contents = [e.content for e in d.fix.edits] + [d.fix.message]
            if any(n and n in c for c in contents for s in secrets for n in s.needles):
                d.fix = None
