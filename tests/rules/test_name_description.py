"""The name and description rules against the load verdict, the AL205 fix, and the corpus."""

from __future__ import annotations

import json
import os
import random

import pytest

from agentlint.config import Config
from agentlint.document import from_bytes
from agentlint.engine import lint_files, lint_text
from agentlint.load import analyse
from agentlint.rules.description import scan_examples

SKIP_CODES = {"AL101", "AL102", "AL201", "AL202"}


def _expected_code(skip_reason, fields) -> set:
    """The one error-level code of this family that a skip reason calls for."""
    if skip_reason is None:
        return set()
    if skip_reason.startswith("no name"):
        return {"AL101"}
    if skip_reason.startswith("name contains"):
        return {"AL102"}
    if skip_reason.startswith("no description"):
        desc = fields.get("description")
        return {"AL201"} if desc is None or desc == "" else {"AL202"}
    return set()  # skipped for a reason of the AL0xx family


def _errors(diags) -> set:
    return {d.code for d in diags if d.code in SKIP_CODES and d.severity.value == "error"}


def _check_mirror(text: str, path: str = "agent.md") -> None:
    agent = analyse(from_bytes(path, text.encode("utf-8")))
    diags = lint_text(text, path)
    errors = [d for d in diags if d.code in SKIP_CODES and d.severity.value == "error"]
    assert _errors(diags) == _expected_code(agent.skip_reason, agent.fields), (text, agent.skip_reason, [d.message for d in errors])
    assert len(errors) <= 1, [d.message for d in errors]


_VALUES = [
    "", "~", "null", "0", "12345", "1.5", "true", "false", "yes", "[a, b]", "[]", "{a: 1}", "{}",
    '""', "''", '"  "', "reviewer", "code-reviewer", "Code Reviewer", "team:reviewer", '"-x"',
    "-x", "a: b", "Use this agent when: x", "x #1", "# only a comment", "'x\\ny'", "x\\ny",
    "|\n  block text", ">-\n  folded", "|\n", "&anchor text", "!!str 5", "*nothing",
]
_KEYS = ["name", "description", "Name", "descripton", "tools", "user", "Context"]


def test_error_codes_mirror_the_load_verdict_on_generated_files():
    rng = random.Random(7)
    for _ in range(1500):
        lines = [f"{rng.choice(_KEYS)}: {rng.choice(_VALUES)}" for _ in range(rng.randint(0, 5))]
        _check_mirror("---\n" + "\n".join(lines) + "\n---\nYou help.\n")


@pytest.mark.parametrize(
    "frontmatter",
    [
        "description: x",
        "name: 12345\ndescription: x",
        "name: team:reviewer",
        "name: team: reviewer\ndescription: x",
        "name: -x\ndescription: [a]",
        "name: reviewer",
        "name: reviewer\ndescription: [a]",
        "name: reviewer\ndescription: ''",
        "name: reviewer\ndescription: '  '",
        "name: Reviewer Bot\ndescription: Use it when: x",
        "",
    ],
)
def test_error_codes_mirror_the_load_verdict(frontmatter):
    _check_mirror(f"---\n{frontmatter}\n---\nYou help.\n")


def _apply(text: str, diag) -> str:
    for e in sorted(diag.fix.edits, key=lambda e: -e.start):
        text = text[: e.start] + e.content + text[e.end :]
    return text


@pytest.mark.parametrize(
    "source,fixed",
    [
        (
            "---\nname: r\ndescription: One.\\n\\nTwo.\nmodel: opus\n---\nbody\n",
            "---\nname: r\ndescription: |-\n  One.\n\n  Two.\nmodel: opus\n---\nbody\n",
        ),
        (
            "---\nname: r\ndescription: 'One.\\n  it''s'\n---\nbody\n",
            "---\nname: r\ndescription: |-\n  One.\n    it's\n---\nbody\n",
        ),
        (
            '---\nname: r\ndescription: "One.\\\\nTwo \\"quoted\\""\n---\nbody\n',
            '---\nname: r\ndescription: "One.\\nTwo \\"quoted\\""\n---\nbody\n',
        ),
        (
            "---\nname: r\ndescription: Use it when: x.\\nThen y.\n---\nbody\n",
            "---\nname: r\ndescription: |-\n  Use it when: x.\n  Then y.\n---\nbody\n",
        ),
        (
            "---\r\nname: r\r\ndescription: One.\\nTwo.\r\n---\r\nbody\r\n",
            "---\r\nname: r\r\ndescription: |-\r\n  One.\r\n  Two.\r\n---\r\nbody\r\n",
        ),
        (
            "---\nname: r\ndescription: One.\\nTwo.\\n\n---\nbody\n",
            "---\nname: r\ndescription: |\n  One.\n  Two.\n---\nbody\n",
        ),
    ],
)
def test_literal_backslash_n_fix(source, fixed):
    diags = [d for d in lint_text(source) if d.code == "AL205"]
    assert len(diags) == 1 and diags[0].fix is not None
    out = _apply(source, diags[0])
    assert out == fixed
    before = analyse(from_bytes("a.md", source.encode()))
    after = analyse(from_bytes("a.md", out.encode()))
    assert after.loaded == before.loaded and after.description == before.description
    assert "\\n" not in after.fields["description"]
    assert not [d for d in lint_text(out) if d.code == "AL205"]


def test_literal_backslash_n_fix_edits_only_the_value():
    source = "---\nname: r\ndescription: One.\\nTwo. # note\n---\nbody\n"
    diags = [d for d in lint_text(source) if d.code == "AL205"]
    assert len(diags) == 1 and diags[0].fix is None  # the comment would become text: no fix


def test_scan_examples_pairs_tags():
    scan = scan_examples("<example>a<commentary>b</commentary></example><example>c</example></example>")
    assert [b for _, b in scan.blocks] == ["a<commentary>b</commentary>", "c"]
    assert [m for _, m in scan.problems] == ["`</example>` has no `<example>` before it"]
    scan = scan_examples("<commentary><example>x")
    assert sorted(m for _, m in scan.problems) == ["`<commentary>` is not closed before the next `<example>`", "`<example>` is never closed"]


def test_huge_and_odd_values_do_not_crash():
    big = "x" * 200_000
    for fm in (
        f"name: r\ndescription: {big}\\n",
        "name: r\ndescription: " + "<example>" * 5000,
        "name: r\ndescription: " + "</commentary>" * 5000,
        "a: &a [1, 2]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nname: *c\ndescription: *c",
        "name: r\ndescription: !!binary aGVsbG8=",
        "? [a]\n: b\nname: r\ndescription: x",
    ):
        diags = lint_text(f"---\n{fm}\n---\nbody\n")
        assert not [d for d in diags if d.code == "AL000"], [d.message for d in diags if d.code == "AL000"]


def test_corpus_skip_codes_match_claude_code(corpus):
    """Error-level AL101/AL102/AL201/AL202 appear exactly on the corpus files Claude Code
    skips for those reasons, and never on a file it loads."""
    oracle = json.loads((corpus / "claude-code-2.1.332.json").read_text(encoding="utf-8"))["files"]
    paths = [str(corpus / rel) for rel in sorted(oracle)]
    for res in lint_files(paths, Config(select=["AL1", "AL2"])):
        rel = os.path.relpath(res.agent.path, corpus)
        codes = _errors(res.diagnostics)
        if oracle[rel]["loaded"]:
            assert not codes, (rel, codes)
        assert codes == _expected_code(res.agent.skip_reason, res.agent.fields), rel
        # No corpus description is cut by the repair (every repaired one is one line long, and
        # Claude Code shows it whole), so AL207 must stay silent; AL206 likewise has no case.
        assert not [d for d in res.diagnostics if d.code in ("AL206", "AL207")], rel
        if oracle[rel]["loaded"] and res.agent.fm is not None and res.agent.fm.repaired:
            e = res.agent.fm.entry("description")
            line = res.agent.doc.line_text(res.agent.doc.line_col(e.value_start)[0])
            assert line.split(":", 1)[1].strip().replace("\\n", "\n") == oracle[rel]["description"], rel
