"""Inline suppressions in the frontmatter and body, and AL901 for the unused ones."""

from __future__ import annotations

from agentlint.engine import lint_text


def codes(text, path="agents/r.md"):
    return [(d.code, d.line, d.column) for d in lint_text(text, path) if d.code in ("AL011", "AL007", "AL901")]


BASE = "---\nname: reviewer\ndescription: Reviews code. Use after every change.\n{extra}--------\nYou review code carefully and report problems.\n{body}"


def test_frontmatter_comment_disables_for_the_file():
    assert codes(BASE.format(extra="", body="")) == [("AL011", 4, 1)]
    assert codes(BASE.format(extra="# agentlint: disable=AL011\n", body="")) == []


def test_trailing_comment_covers_its_line_only():
    text = "---\nname: reviewer  # agentlint: disable=AL011\ndescription: Reviews code. Use after every change.\n--------\nYou review code carefully.\n"
    assert codes(text) == [("AL901", 2, 17), ("AL011", 4, 1)]


def test_body_disable_and_enable_ranges():
    text = "---\nname: reviewer\ndescription: Reviews code. Use after every change.\n---\n<!-- agentlint-disable AL007 -->\nline one\r\n<!-- agentlint-enable AL007 -->\n"
    assert codes(text) == []
    text = "---\nname: reviewer\ndescription: Reviews code. Use after every change.\n---\n<!-- agentlint-disable AL007 -->\n<!-- agentlint-enable AL007 -->\nline one\r\n"
    assert codes(text) == [("AL901", 5, 1), ("AL007", 7, 1)]


def test_disable_next_line():
    text = "---\nname: reviewer\ndescription: Reviews code. Use after every change.\n---\n<!-- agentlint-disable-next-line AL007 -->\nline one\r\nline two\n"
    assert codes(text) == []


def test_unused_code_in_a_used_directive_is_reported():
    text = BASE.format(extra="# agentlint: disable=AL011,AL012\n", body="")
    assert codes(text) == [("AL901", 4, 1)]
    (d,) = [d for d in lint_text(text, "agents/r.md") if d.code == "AL901"]
    assert "AL012" in d.message and d.severity.value == "info"


def test_directive_without_codes():
    assert codes(BASE.format(extra="# agentlint: disable\n", body="")) == []
