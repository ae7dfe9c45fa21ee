"""The fast paths of AL605 (``secrets.find``) and AL606 (``_mask_code_blocks``, the tag check)
against the straightforward implementations they replaced, kept here as the reference.

Differential: the same answer for generated text built from the pieces that matter (tags,
backticks, tildes, fence lines, every kind of line break, `>` quotes, secret prefixes, key-like
runs, mixed-case labels, non-ASCII).  The default run is short; a longer one:

    AGENTLINT_FUZZ_EXAMPLES=5000 python3 -m pytest tests/test_speed_body.py -q
"""

from __future__ import annotations

import random
import re
import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from agentlint import secrets
from agentlint.config import Config
from agentlint.document import from_bytes
from agentlint.load import analyse
from agentlint.rules import body as B
from agentlint.rules.base import FileContext

from fuzzing import fuzz



# ---- the reference implementations (as they were before the fast paths) --------------------------

_REF_FENCE_OPEN_RE = re.compile(r"^[ \t>]*(`{3,}|~{3,})", re.M)
_REF_INLINE_CODE_RE = re.compile(r"`[^`\n]*`")
_REF_NOT_EOL_RE = re.compile(r"[^\r\n]")


def _ref_blank(m: "re.Match[str]") -> str:
    return " " * len(m.group(0))


def ref_mask_code_blocks(body: str) -> str:
    if "`" not in body and "~~~" not in body:
        return body
    out = []
    fence = ""
    for line in body.splitlines(keepends=True):
        m = _REF_FENCE_OPEN_RE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
            out.append(_REF_NOT_EOL_RE.sub(" ", line))
            continue
        if m:
            fence = m.group(1)
            out.append(_REF_NOT_EOL_RE.sub(" ", line))
            continue
        out.append(_REF_INLINE_CODE_RE.sub(_ref_blank, line) if "`" in line else line)
    return "".join(out)


def ref_al606(ctx: FileContext) -> list[tuple[int, int, str]]:
    """UnbalancedBodyTag.check without the pre-check, over the reference masking."""
    if not B._has_body(ctx) or "<" not in ctx.doc.body:
        return []
    base = ctx.doc.body_offset
    masked = ref_mask_code_blocks(ctx.doc.body)
    stack: list[tuple[str, int, int]] = []
    closed_names: set[str] = set()
    strays: list[tuple[str, int, int]] = []
    for m in B._BODY_TAG_RE.finditer(masked):
        closing, name, self_closing = m.group(1) == "/", m.group(2), m.group(4) == "/"
        if name in B._VOID_TAGS or self_closing:
            continue
        if not closing:
            if B._MENTION_RE.match(masked, m.end()):
                continue
            stack.append((name, m.start(), m.end()))
            continue
        closed_names.add(name)
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                del stack[i:]
                break
        else:
            strays.append((name, m.start(), m.end()))
    out = []
    for name, start, end in strays:
        out.append((base + start, base + end, f"`</{name}>` closes nothing: there is no `<{name}>` open before it"))
    for name, start, end in stack:
        if name in closed_names or name in B._PROMPT_TAGS:
            out.append((base + start, base + end, f"`<{name}>` is never closed: the model may read the rest of the prompt as part of it"))
    return out


def ref_find(text: str) -> list[tuple]:
    """secrets.find with a substring test per needle and no hints."""
    found: list[secrets.Secret] = []
    present = {n for n in secrets._NEEDLES if n in text}
    if not present and "PRIVATE KEY" not in text:
        return []
    for p in secrets._PATTERNS:
        if present.isdisjoint(p.needles):
            continue
        for m in p.regex.finditer(text):
            if p.boundary and m.start() > 0 and text[m.start() - 1] in secrets._TOKEN_CHARS:
                continue
            if not p.check(m):
                continue
            if p.group:
                start, end = m.start(p.group), m.end(p.group)
                shown = 0
            else:
                start, end = m.start(), m.end()
                shown = len(m.group(1))
            found.append(secrets.Secret(p.kind, start, end, shown, start, end, (text[start:end],)))
    if "PRIVATE KEY" in text:
        found.extend(secrets._private_keys(text))
    found.sort(key=lambda s: (s.start, -s.end))
    out: list[secrets.Secret] = []
    for s in found:
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return [_fields(s) for s in out]


def _fields(s: secrets.Secret) -> tuple:
    return (s.kind, s.start, s.end, s.shown, s.report_start, s.report_end, s.needles)


def _ctx(text: str) -> FileContext:
    return FileContext(analyse(from_bytes("agent.md", text.encode("utf-8", "surrogatepass"))), Config(), "agent.md")


# ---- generated text -------------------------------------------------------------------------------

_BREAKS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
_BODY_PIECES = _BREAKS + [
    "\n", "\n", "\n", " ", "  ", "\t", ">", "> ", "- ", "1. ",
    "`", "``", "```", "````", "`````", "~", "~~", "~~~", "~~~~", "```md", "~~~ python", "``` ```",
    "<example>", "</example>", "<rules>", "</rules>", "<instructions attr=\"1\">", "</instructions>",
    "<a", "</a", "<plan>", "</plan>", "<br>", "<x/>", "<T>", "List<string>", "<b ", " b>", ">", "<",
    "`<example>`", "<example`x` >", " tags", " and <answer> blocks", " section", "x", "word", "é", "漢", "\u03a3",
]
_SECRET_PIECES = [
    "sk-", "sk-ant-", "sk-ant-api03-", "sk-proj-", "sk-svcacct-", "sk-admin-", "risk-", "task-",
    "gh", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "gh_", "_",
    "AKIA", "ASIA", "ABIA", "ACCA", "AKI", "IA",
    "aws_secret_access_key = ", "AWS_SECRET_KEY: ", "AwS_SeCrEt_KeY=", "awssecretkey=", "aws_SECRET_", "secret",
    "ECRET", "ecret", "xoxb-", "xoxp-", "xox", "xoxz-", "https://hooks.slack.com/services/", "hooks.slack.com/services/",
    "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----\\n", "-----END RSA PRIVATE KEY-----",
    "PRIVATE KEY", "\n", "\r\n", " ", "=", "\"", "'", "-", "/", "+", "İ", "\u212a", "\u03a3", "\ud800", "é",
    "1234567890-", "T0123456/B0123456/",
]


def _key_run(rng: random.Random, n: int, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


_AN = string.ascii_letters + string.digits
_UD = string.ascii_uppercase + string.digits
# Shaped like real credentials (random parts drawn at run time): prefix, then (length, alphabet)
# runs and literal pieces.
_SHAPES = [
    ["sk-ant-api03-", (95, _AN + "_-")], ["sk-", (48, _AN)], ["sk-proj-", (80, _AN + "_-")],
    ["ghp_", (36, _AN)], ["gho_", (36, _AN)], ["github_pat_", (22, _AN), "_", (59, _AN)],
    ["AKIA", (16, _UD)], ["ASIA", (16, _UD)], ["ACCA", (16, _UD)],
    ["aws_secret_access_key = ", (40, _AN + "/+")], ["AWS_SECRET_KEY: '", (40, _AN + "/+")],
    ["AwS_SeCrEt_KeY=", (40, _AN + "/+")], ["awssecretkey=\"", (40, _AN + "/+")],
    ["xoxb-", (10, string.digits), "-", (24, _AN)], ["xoxp-", (12, string.digits), "-", (30, _AN + "-")],
    ["https://hooks.slack.com/services/T", (8, _UD), "/B", (8, _UD), "/", (24, _AN)],
    ["-----BEGIN RSA PRIVATE KEY-----\n", (64, _AN + "+/"), "\n", (64, _AN + "+/"), "\n-----END RSA PRIVATE KEY-----"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----\\n", (64, _AN + "+/"), "\\n", (64, _AN + "+/")],
]


@st.composite
def secret_text(draw) -> str:
    rng = random.Random(draw(st.integers(0, 2**32)))
    parts = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.integers(0, 6))
        if kind == 6:
            for piece in draw(st.sampled_from(_SHAPES)):
                parts.append(piece if isinstance(piece, str) else _key_run(rng, piece[0], piece[1]))
            continue
        if kind <= 2:
            parts.append(draw(st.sampled_from(_SECRET_PIECES)))
        elif kind == 3:
            alphabet = draw(st.sampled_from([string.ascii_letters + string.digits, string.ascii_uppercase + string.digits,
                                             string.ascii_letters + string.digits + "+/", string.ascii_lowercase, "xX0_-"]))
            parts.append(_key_run(rng, draw(st.sampled_from([16, 20, 22, 32, 36, 40, 59, 60, 64, 80, 100])), alphabet))
        elif kind == 4:
            parts.append(draw(st.text(max_size=6)))
        else:
            parts.append("\n".join(_key_run(rng, 64, string.ascii_letters + string.digits + "+/") for _ in range(2)) + "\n")
    return "".join(parts)


body_text = st.lists(st.sampled_from(_BODY_PIECES), max_size=40).map("".join)


# ---- the properties -------------------------------------------------------------------------------

@fuzz
@given(body_text)
@example("<example`x` >\n")  # a tag only the masking makes: the raw body has no match of _BODY_TAG_RE
@example("a\r```\n<example>\n```\n")  # a fence after a lone CR: str.splitlines lines
@example("a\u2028```\n<x>\n```")
@example("`a\r<b>` `c\x85d`")
@example("```\n```\n````\n```\n<t>\n````\n~~~\n")
def test_mask_code_blocks_matches_reference(body):
    assert B._mask_code_blocks(body) == ref_mask_code_blocks(body)


@fuzz
@given(st.text(alphabet="`~ x\n>", max_size=60))
def test_fence_runs_match_the_regex(body):
    assert list(B._fence_runs(body)) == [m.span() for m in re.finditer(r"`{3,}|~{3,}", body)]


@fuzz
@given(body_text)
@example("<example`x` >\nuser: hi\n")
@example("Use `x\r<example>` here.\n")
def test_al606_matches_reference(body):
    ctx = _ctx("---\nname: reviewer\ndescription: Reviews code. Use this agent after every change.\n---\n" + body)
    got = [(f.start, f.end, f.message) for f in B.UnbalancedBodyTag().check(ctx)]
    assert got == ref_al606(ctx)


@fuzz
@given(secret_text())
@example("AwS_SeCrEt_KeY=" + _key_run(random.Random(1), 40, _AN) + " secret")  # mixed case: runs for the `secret` elsewhere
@example("AwS_SeCrEt_KeY=" + _key_run(random.Random(1), 40, _AN))  # and without it, does not
@example("AWS_SECRET_KEY=" + _key_run(random.Random(2), 40, _AN))
@example("\ud800 awsSECRETkey: " + _key_run(random.Random(3), 40, _AN))
def test_find_matches_reference(text):
    assert secrets._present(text) == {n for n in secrets._NEEDLES if n in text}
    assert [_fields(s) for s in secrets.find(text)] == ref_find(text)


def test_every_needle_is_in_a_group_that_accepts_it():
    grouped = [n for _, needles in secrets._NEEDLE_GROUPS for n in needles]
    assert sorted(grouped) == sorted(secrets._NEEDLES)
    for tests, needles in secrets._NEEDLE_GROUPS:
        for n in needles:
            assert all(secrets._accepts(t, n) for t in tests), (tests, n)


@pytest.mark.parametrize("prefix", sorted(secrets._NEEDLES))
def test_each_needle_alone_is_seen(prefix):
    for text in (prefix, "x " + prefix + " y", prefix * 2):
        assert secrets._present(text) == {n for n in secrets._NEEDLES if n in text}


# ---- the per-document cache that scrub shares with AL605 ------------------------------------------

KEY = "gh" + "p_" + _key_run(random.Random(8), 36, string.ascii_letters + string.digits)  # built at run time


def test_find_in_document_is_find_and_is_kept_per_document():
    doc = from_bytes("agent.md", f"---\nname: a\n---\ntoken {KEY}\n".encode())
    first = secrets.find_in_document(doc)
    assert [_fields(s) for s in first] == [_fields(s) for s in secrets.find(doc.text)] and len(first) == 1
    first.clear()  # the caller's list: the cache is not touched
    again = secrets.find_in_document(doc)
    assert [_fields(s) for s in again] == [_fields(s) for s in secrets.find(doc.text)]
    doc.text = doc.text.replace(KEY, "nothing")  # a new text object: found again
    assert secrets.find_in_document(doc) == []
    assert doc._secrets is not None and doc._secrets[0] is doc.text
