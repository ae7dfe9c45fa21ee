"""`agentlint check --fix / --diff / --unsafe-fixes`: exact bytes per fix kind, the guard, and the
corpus invariant (a safe fix never changes what Claude Code loads)."""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections import Counter
from pathlib import Path

import frontmatter
import pytest
import yaml
from click.testing import CliRunner

from agentlint import fixes
from agentlint.cli import cli
from agentlint.config import Config
from agentlint.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from agentlint.document import from_bytes
from agentlint.engine import lint_files, lint_text
from agentlint.load import analyse, load_agent, split_tools
from agentlint.rules import get as get_rule

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "backend-expert.md"

# The fixes the issue asks for whose fixes are safe: none may remain after --fix (unless refused).
SAFE_FIX_CODES = ("AL004", "AL007", "AL008", "AL011", "AL205", "AL405", "AL409")


def run(*args):
    return CliRunner().invoke(cli, list(args), env={"NO_COLOR": "1"})


def fixed(raw: bytes, unsafe: bool = False) -> fixes.FileFix:
    return fixes.fix_bytes("agent.md", raw, Config(), unsafe=unsafe)


def require_fixable(code: str) -> None:
    rule = get_rule(code)
    if rule is None or not rule.fixable:
        pytest.skip(f"{code} has no fix yet")


def view(agent) -> dict:
    """What Claude Code loads, written out independently of agentlint.fixes."""
    flds = {}
    for k, v in agent.fields.items():
        if k == "description" and isinstance(v, str):
            v = v.replace("\\n", "\n")
        elif k in ("tools", "disallowedTools") and isinstance(v, (str, list)):
            v = ("tools", split_tools(v))
        flds[k] = v
    return {
        "loaded": agent.loaded,
        "skip_reason": agent.skip_reason,
        "name": agent.name,
        "description": agent.description,
        "tools": agent.tools,
        "tools_display": agent.tools_display,
        "disallowed_tools": agent.disallowed_tools,
        "model": agent.model,
        "fields": flds,
        "body": agent.body,
    }


def same_load(before: bytes, after: bytes) -> bool:
    a, b = view(analyse(from_bytes("a.md", before))), view(analyse(from_bytes("a.md", after)))
    if b"\r\n" in before:
        a["body"] = a["body"].replace("\r\n", "\n")
        b["body"] = b["body"].replace("\r\n", "\n")
    return a == b


# ---------------------------------------------------------------------------------------------
# apply_fixes: the mechanics
# ---------------------------------------------------------------------------------------------


def fx(*edits, safe=True):
    return Fix("test", tuple(edits), safe)


def test_edits_apply_back_to_front():
    text = "abcdef"
    out = fixes.apply_fixes(text, False, [fx(Edit(0, 1, "AA")), fx(Edit(3, 4, "")), fx(Edit(6, 6, "!"))])
    assert out == "AAbcef!"


def test_overlapping_fix_after_the_first_is_dropped():
    text = "hello world"
    first, second, third = fx(Edit(0, 5, "HELLO")), fx(Edit(3, 8, "xx")), fx(Edit(6, 11, "WORLD"))
    assert fixes.apply_fixes(text, False, [first, second, third]) == "HELLO WORLD"
    # order decides: the overlapping one wins when it comes first
    assert fixes.apply_fixes(text, False, [second, first, third]) == "helxxrld"


def test_a_fix_is_applied_whole_or_not_at_all():
    text = "one two three"
    blocker = fx(Edit(4, 7, "TWO"))
    both = fx(Edit(0, 3, "ONE"), Edit(5, 6, "W"))  # its second edit overlaps the blocker
    assert fixes.apply_fixes(text, False, [blocker, both]) == "one TWO three"


def test_insertions_at_one_offset_conflict_but_touching_ranges_do_not():
    text = "abc"
    assert fixes.apply_fixes(text, False, [fx(Edit(1, 1, "X")), fx(Edit(1, 1, "Y"))]) == "aXbc"
    assert fixes.apply_fixes(text, False, [fx(Edit(0, 1, "A")), fx(Edit(1, 2, "B"))]) == "ABc"
    assert fixes.apply_fixes(text, False, [fx(Edit(0, 2, "Z")), fx(Edit(1, 1, "X"))]) == "Zc"


def test_invalid_edits_are_ignored_not_fatal():
    text = "abc"
    bad = [fx(Edit(2, 9, "x")), fx(Edit(-1, 0, "x")), fx(Edit(2, 1, "x")), fx(Edit(0, 0, "x", kind="utf16")), Fix("empty", ())]
    assert fixes.apply_fixes(text, False, bad + [fx(Edit(0, 1, "A"))]) == "Abc"
    assert fixes.apply_fixes(text, False, [fx(Edit(0, 2, "x"), Edit(1, 3, "y"))]) == "abc"  # self-overlapping


def test_file_level_edits_run_after_the_text_edits():
    text = "a\r\nb\r\n"
    eol, bom = fx(Edit(0, len(text), "", kind="eol")), fx(Edit(0, 0, "", kind="bom"))
    assert fixes.apply_fixes(text, True, [fx(Edit(3, 4, "B"))]) == "\ufeffa\r\nB\r\n"
    assert fixes.apply_fixes(text, True, [fx(Edit(3, 4, "B")), eol]) == "\ufeffa\nB\n"
    assert fixes.apply_fixes(text, True, [eol, bom, fx(Edit(0, 1, "A"))]) == "A\nb\n"
    assert fixes.apply_fixes(text, False, [bom]) == text


def test_select_fixes_puts_safe_first_and_leaves_unsafe_out_by_default():
    def diag(line, safe):
        return Diagnostic("a.md", "AL999", "x", Severity.INFO, "m", Span(line, 1, line, 2), fx(Edit(0, 0, "x"), safe=safe))

    early_unsafe, late_safe, nofix = diag(1, False), diag(5, True), diag(2, True)
    nofix.fix = None
    assert fixes.select_fixes([early_unsafe, late_safe, nofix]) == [late_safe]
    assert fixes.select_fixes([early_unsafe, late_safe, nofix], unsafe=True) == [late_safe, early_unsafe]


# ---------------------------------------------------------------------------------------------
# One fix kind at a time: exact bytes
# ---------------------------------------------------------------------------------------------


def test_al004_quotes_the_repaired_value_exactly():
    raw = b"---\nname: reviewer\ndescription: Use this agent when: reviewing code # not a comment\nmodel: sonnet\n---\nYou review code carefully.\n"
    res = fixed(raw)
    assert res.fixed == (
        b'---\nname: reviewer\ndescription: "Use this agent when: reviewing code # not a comment"\nmodel: sonnet\n---\n'
        b"You review code carefully.\n"
    )
    assert res.applied == Counter({"AL004": 1}) and not res.refused
    fm = yaml.safe_load(res.fixed.decode().split("---\n")[1])
    assert fm["description"] == "Use this agent when: reviewing code # not a comment"
    assert same_load(raw, res.fixed)


def test_al004_backslashes_and_quotes_survive():
    raw = b'---\nname: r\ndescription: Use it: see \\"docs\\" and C:\\temp\\new\nmodel: sonnet\n---\nBody text for the agent.\n'
    res = fixed(raw)
    # AL004 quotes the value; then AL205 writes the `\\n` Claude Code reads as a newline as `\\n`.
    assert b'description: "Use it: see \\\\\\"docs\\\\\\" and C:\\\\temp\\new"\n' in res.fixed
    assert res.applied == Counter({"AL004": 1, "AL205": 1}) if get_rule("AL205") else Counter({"AL004": 1})
    assert same_load(raw, res.fixed)
    agent = analyse(from_bytes("a.md", res.fixed))
    assert agent.fm.strict_error is None
    assert agent.description == 'Use it: see \\"docs\\" and C:\\temp\n' + "ew"


def test_al007_crlf_to_lf():
    raw = b"---\r\nname: reviewer\r\ndescription: Reviews code after each change.\r\n---\r\nYou review code.\r\nLine two.\r\n"
    res = fixed(raw)
    assert res.fixed == b"---\nname: reviewer\ndescription: Reviews code after each change.\n---\nYou review code.\nLine two.\n"
    assert res.applied == Counter({"AL007": 1})


def test_al008_drops_the_bom():
    raw = b"\xef\xbb\xbf---\nname: reviewer\ndescription: Reviews code.\n---\nBody text here.\n"
    res = fixed(raw)
    assert res.fixed == raw[3:]
    assert res.applied == Counter({"AL008": 1})


def test_al011_fence_with_trailing_space():
    raw = b"---\nname: reviewer\ndescription: Reviews code.\n---   \nBody text here.\n"
    res = fixed(raw)
    assert res.fixed == b"---\nname: reviewer\ndescription: Reviews code.\n---\nBody text here.\n"
    assert res.applied == Counter({"AL011": 1})


def test_al011_longer_fence_never_changes_the_body():
    # Claude Code ends the frontmatter at the first `---`: the other dashes start its body.
    raw = b"---\nname: reviewer\ndescription: Reviews code.\n-----\nBody text here.\n"
    assert analyse(from_bytes("a.md", raw)).body == "--\nBody text here.\n"
    res = fixed(raw)
    assert same_load(raw, res.fixed)
    assert res.fixed == b"---\nname: reviewer\ndescription: Reviews code.\n---\n--\nBody text here.\n"
    assert fixed(res.fixed).fixed == res.fixed


def test_al205_block_scalar():
    require_fixable("AL205")
    raw = b"---\nname: reviewer\ndescription: Reviews code.\\n\\nUse it after each change.\nmodel: sonnet\n---\nBody text here.\n"
    res = fixed(raw)
    assert res.fixed == b"---\nname: reviewer\ndescription: |-\n  Reviews code.\n\n  Use it after each change.\nmodel: sonnet\n---\nBody text here.\n"
    assert yaml.safe_load(res.fixed.decode().split("---\n")[1])["description"] == "Reviews code.\n\nUse it after each change."
    assert same_load(raw, res.fixed)


def test_al405_flow_list():
    require_fixable("AL405")
    raw = b"---\nname: reviewer\ndescription: Reviews code.\ntools: [Read, Grep, Glob]\n---\nBody text here.\n"
    res = fixed(raw)
    assert res.fixed == b"---\nname: reviewer\ndescription: Reviews code.\ntools: Read, Grep, Glob\n---\nBody text here.\n"
    assert same_load(raw, res.fixed)


def test_al409_duplicate_tool():
    require_fixable("AL409")
    raw = b"---\nname: reviewer\ndescription: Reviews code.\ntools: Read, Grep, Read\n---\nBody text here.\n"
    # Claude Code lists `Read, Grep, Read`: removing the duplicate changes that line, so a
    # safe --fix leaves the file alone (the fix is unsafe, or the guard refuses it) ...
    assert fixed(raw).fixed == raw or same_load(raw, fixed(raw).fixed)
    # ... and --unsafe-fixes removes it.
    res = fixed(raw, unsafe=True)
    assert analyse(from_bytes("a.md", res.fixed)).tools == ["Read", "Grep"]
    assert res.fixed.startswith(b"---\nname: reviewer\ndescription: Reviews code.\ntools: ")
    assert res.fixed.endswith(b"\n---\nBody text here.\n")


def test_al402_legacy_tool_with_unsafe_fixes():
    require_fixable("AL402")
    raw = b"---\nname: reviewer\ndescription: Reviews code.\ntools: Read, MultiEdit\nmodel: sonnet\n---\nBody text here.\n"
    safe = fixed(raw)
    assert safe.fixed == raw or same_load(raw, safe.fixed)
    res = fixed(raw, unsafe=True)
    assert analyse(from_bytes("a.md", res.fixed)).tools == ["Read", "Edit"]
    assert res.fixed.endswith(b"\nmodel: sonnet\n---\nBody text here.\n")


def test_several_fixes_over_several_passes():
    raw = b"\xef\xbb\xbf---\nname: reviewer\ndescription: Reviews code.\\nUse it: always\ncolor: blue\n---  \nBody.\n"
    res = fixed(raw)
    assert res.fixed.startswith(b"---\nname: reviewer\ndescription: ")
    assert res.fixed.endswith(b"\ncolor: blue\n---\nBody.\n")
    assert {"AL004", "AL008", "AL011"} <= set(res.applied)
    agent = analyse(from_bytes("a.md", res.fixed))
    assert agent.fm.strict_error is None and agent.description == "Reviews code.\nUse it: always"
    assert same_load(raw, res.fixed)
    assert fixed(res.fixed).fixed == res.fixed  # idempotent


def test_crlf_file_that_needs_the_repair_is_not_brought_to_life():
    # Claude Code skips it (CRLF + repair); converting to LF would make it load: not a safe fix.
    raw = b"---\r\nname: reviewer\r\ndescription: Use this: x\r\n---\r\nYou review code carefully.\r\n"
    assert not analyse(from_bytes("a.md", raw)).loaded
    res = fixed(raw)  # the fix is unsafe: not applied by a plain --fix
    assert res.fixed == raw and not res.refused
    res = fixed(raw, unsafe=True)  # asked for: LF endings, then the value quoted; now it loads
    assert res.fixed == b'---\nname: reviewer\ndescription: "Use this: x"\n---\nYou review code carefully.\n'
    assert analyse(from_bytes("a.md", res.fixed)).loaded


def test_seed_file(tmp_path):
    assert SEED.is_file()
    target = tmp_path / "backend-expert.md"
    shutil.copyfile(SEED, target)
    before = load_agent(str(target))
    assert before.loaded and before.fm.strict_error is not None
    result = run("check", "--isolated", "--fix", str(target))
    assert result.exit_code == 0, result.output
    assert "Applied 1 fix in 1 file (AL004 1)." in result.output
    after = load_agent(str(target))
    assert after.fm.strict_error is None
    assert after.description == before.description
    assert view(after) == view(before)
    text = target.read_text(encoding="utf-8")
    assert yaml.safe_load(text.split("---\n")[1])["description"] == before.description
    assert frontmatter.loads(text).metadata["description"] == before.description
    # only the description line changed
    old_lines, new_lines = SEED.read_bytes().split(b"\n"), target.read_bytes().split(b"\n")
    assert [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b] == [2]
    assert len(old_lines) == len(new_lines)


# ---------------------------------------------------------------------------------------------
# The guard
# ---------------------------------------------------------------------------------------------

CLEAN = b"---\nname: reviewer\ndescription: Reviews code.\nmodel: sonnet\n---\nBody text here.\n"


def lossy_diag(raw: bytes, old: bytes, new: str, safe: bool = True) -> Diagnostic:
    start = raw.index(old)
    return Diagnostic("agent.md", "AL999", "test", Severity.WARNING, "m", Span(1, 1, 1, 2), Fix("lossy", (Edit(start, start + len(old), new),), safe))


@pytest.mark.parametrize(
    "old,new,why",
    [
        (b"sonnet", "opus", "model"),
        (b"Reviews code.", "Reviews code!", "description"),
        (b"Body text", "Body TEXT", "body"),
        (b"name: reviewer", "nme: reviewer", "load"),
        (b"model: sonnet", "model: sonnet\ncolor: red", "color"),
    ],
)
def test_the_guard_refuses_a_safe_fix_that_changes_the_load(old, new, why):
    res = fixes.fix_bytes("agent.md", CLEAN, Config(), diagnostics=[lossy_diag(CLEAN, old, new)])
    assert res.fixed == CLEAN and not res.applied
    assert len(res.refused) == 1 and res.refused[0].code == "AL999"
    assert why in res.refused[0].reason


def test_the_guard_keeps_the_harmless_fixes_of_a_pass():
    raw = b"\xef\xbb\xbf" + CLEAN
    diags = lint_text(raw, "agent.md", Config()) + [lossy_diag(CLEAN, b"sonnet", "opus")]
    res = fixes.fix_bytes("agent.md", raw, Config(), diagnostics=diags)
    assert res.fixed == CLEAN
    assert res.applied == Counter({"AL008": 1})
    assert [r.code for r in res.refused] == ["AL999"]


def test_an_unsafe_fix_may_change_only_what_it_edits():
    ok = lossy_diag(CLEAN, b"sonnet", "opus", safe=False)
    res = fixes.fix_bytes("agent.md", CLEAN, Config(), unsafe=True, diagnostics=[ok])
    assert res.fixed == CLEAN.replace(b"sonnet", b"opus") and res.applied == Counter({"AL999": 1})
    assert fixes.fix_bytes("agent.md", CLEAN, Config(), unsafe=False, diagnostics=[ok]).fixed == CLEAN
    # an unsafe edit of `model` that also rewrites the body is refused
    start = CLEAN.index(b"sonnet")
    both = Diagnostic("agent.md", "AL999", "t", Severity.INFO, "m", Span(1, 1, 1, 2),
                      Fix("x", (Edit(start, start + 6, "opus"), Edit(CLEAN.index(b"Body"), CLEAN.index(b"Body") + 4, "BODY")), False))
    res = fixes.fix_bytes("agent.md", CLEAN, Config(), unsafe=True, diagnostics=[both])
    assert res.fixed == CLEAN and "body" in res.refused[0].reason
    # and an unsafe fix never makes a loaded agent unloadable
    kill = lossy_diag(CLEAN, b"name: reviewer", "name: -reviewer", safe=False)
    res = fixes.fix_bytes("agent.md", CLEAN, Config(), unsafe=True, diagnostics=[kill])
    assert res.fixed == CLEAN and "no longer load" in res.refused[0].reason


def test_same_handles_nan_types_and_recursion():
    nan = float("nan")
    assert fixes._same([nan], [nan])
    assert not fixes._same(1, True) and not fixes._same(1, 1.0) and fixes._same({"a": [1]}, {"a": [1]})
    a: list = []
    a.append(a)
    b: list = []
    b.append(b)
    assert fixes._same(a, b)
    bomb = b"---\nname: r\ndescription: d\nx: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + b"".join(
        b"x%d: &a%d [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n" % ((i, i) + ((b"a" if i == 0 else b"a%d" % (i - 1)),) * 10) for i in range(9)
    ) + b"---\nBody text of the agent.\n"
    agent = analyse(from_bytes("a.md", bomb))
    assert agent.loaded
    view_ = fixes.load_view(agent)
    assert fixes.difference(view_, fixes.load_view(analyse(from_bytes("a.md", bomb)))) is None


def test_files_that_cannot_be_written_back_exactly_are_left_alone():
    bad_utf8 = b"\xef\xbb\xbf---\nname: r\ndescription: caf\xe9\n---\nBody.\n"
    res = fixed(bad_utf8)
    assert res.fixed == bad_utf8 and res.not_fixable and "UTF-8" in res.not_fixable


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------

BOM_FILE = b"\xef\xbb\xbf---\nname: bom\ndescription: Reviews code. Use this agent after every change.\n---\nYou review code carefully and report problems.\n"
QUOTE_FILE = b"---\nname: quote\ndescription: Use this agent when: reviewing code\n---\nYou review code carefully and report problems.\n"
CLEAN_FILE = b"---\nname: clean\ndescription: Reviews code. Use this agent after every change.\n---\nYou review code carefully and report problems.\n"


def make_tree(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "agents"
    folder.mkdir()
    paths = {}
    for name, data in (("bom", BOM_FILE), ("quote", QUOTE_FILE), ("clean", CLEAN_FILE)):
        p = folder / f"{name}.md"
        p.write_bytes(data)
        paths[name] = p
    return paths


def snapshot(paths) -> dict:
    return {str(p): p.read_bytes() for p in paths}


def test_diff_changes_nothing_and_exits_1(tmp_path, monkeypatch):
    paths = make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = snapshot(paths.values())
    result = run("check", "--isolated", "--diff", "agents")
    assert result.exit_code == 1, result.output
    assert snapshot(paths.values()) == before
    out = result.stdout
    assert "--- a/agents/bom.md\n+++ b/agents/bom.md\n" in out
    assert "-\ufeff---\n+---\n" in out
    assert "--- a/agents/quote.md\n+++ b/agents/quote.md\n" in out
    assert '+description: "Use this agent when: reviewing code"\n' in out
    assert "clean.md" not in out
    assert "Would apply 2 fixes in 2 files (AL004 1, AL008 1)." in result.stderr
    # nothing to fix: exit 0, empty diff
    result = run("check", "--isolated", "--diff", str(paths["clean"]))
    assert result.exit_code == 0 and result.stdout == ""


def test_diff_applies_with_patch_semantics(tmp_path, monkeypatch):
    paths = make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    diff = run("check", "--isolated", "--diff", "agents").stdout
    assert run("check", "--isolated", "--fix", "agents").exit_code == 0
    # the diff describes exactly the change --fix made
    for name in ("bom", "quote"):
        expected = fixes.unified_diff(f"agents/{name}.md", {"bom": BOM_FILE, "quote": QUOTE_FILE}[name], paths[name].read_bytes())
        assert expected in diff


def test_diff_marks_a_missing_final_newline():
    out = fixes.unified_diff("a.md", b"\xef\xbb\xbfx\ny", b"x\ny")
    assert out == "--- a/a.md\n+++ b/a.md\n@@ -1,2 +1,2 @@\n-\ufeffx\n+x\n y\n\\ No newline at end of file\n"


def test_fix_writes_reports_and_is_idempotent(tmp_path, monkeypatch):
    paths = make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    os.chmod(paths["quote"], 0o640)
    result = run("check", "--isolated", "--fix", "agents")
    assert result.exit_code == 0, result.output
    assert "Applied 2 fixes in 2 files (AL004 1, AL008 1)." in result.output
    assert ": AL004 " not in result.output and ": AL008 " not in result.output
    assert paths["bom"].read_bytes() == BOM_FILE[3:]
    assert paths["quote"].read_bytes() == QUOTE_FILE.replace(b"Use this agent when: reviewing code", b'"Use this agent when: reviewing code"')
    assert paths["clean"].read_bytes() == CLEAN_FILE
    assert stat.S_IMODE(os.stat(paths["quote"]).st_mode) == 0o640
    assert not [p for p in os.listdir(tmp_path / "agents") if p.endswith(".agentlint-tmp")]
    before = snapshot(paths.values())
    again = run("check", "--isolated", "--fix", "agents")
    assert "No fixes applied." in again.output
    assert snapshot(paths.values()) == before


def test_fix_reports_what_remains_and_keeps_exit_codes(tmp_path):
    p = tmp_path / "broken.md"
    p.write_bytes(b"\xef\xbb\xbf---\ndescription: Reviews code. Use this agent after every change.\n---\nYou review code carefully and report problems.\n")
    result = run("check", "--isolated", "--fix", str(p))
    assert result.exit_code == 1  # AL101 remains: no name
    assert ": AL101 " in result.output and ": AL008 " not in result.output
    assert "Applied 1 fix in 1 file (AL008 1)." in result.output
    assert p.read_bytes().startswith(b"---\n")


def test_fix_with_json_keeps_stdout_json(tmp_path):
    p = tmp_path / "bom.md"
    p.write_bytes(BOM_FILE)
    result = run("check", "--isolated", "--fix", "--format", "json", str(p))
    data = json.loads(result.stdout)
    assert not any(d["code"] == "AL008" for d in (data if isinstance(data, list) else data.get("diagnostics", [])))
    assert "Applied 1 fix in 1 file (AL008 1)." in result.stderr


def test_fix_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.md"
    real.write_bytes(BOM_FILE)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = run("check", "--isolated", "--fix", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert real.read_bytes() == BOM_FILE[3:]


def test_write_refuses_a_file_changed_on_disk(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(b"new content")
    with pytest.raises(fixes.WriteError, match="changed on disk"):
        fixes.write_atomic(str(p), b"fixed", expected=b"old content")
    assert p.read_bytes() == b"new content"


def test_refusals_are_reported(tmp_path, monkeypatch):
    # A rule whose "safe" fix would change what Claude Code loads: the guard refuses it.
    from agentlint.diagnostics import Edit, Fix
    from agentlint.rules.base import Finding
    from agentlint.rules.file import NonstandardFence

    def lossy(self, ctx):
        e = ctx.entry("description")
        yield Finding(e.value_start, e.value_end, "lossy", fix=Fix("rewrite", (Edit(e.value_start, e.value_end, "Other"),)))

    monkeypatch.setattr(NonstandardFence, "check", lossy)
    p = tmp_path / "lossy.md"
    raw = b"---\nname: lossy\ndescription: Reviews code after each change.\n---\nYou review code carefully.\n"
    p.write_bytes(raw)
    result = run("check", "--isolated", "--fix", str(p))
    assert p.read_bytes() == raw
    assert "AL011 fix refused" in result.stderr and "No fixes applied." in result.output


def test_suppressed_and_ignored_diagnostics_are_not_fixed(tmp_path):
    suppressed = tmp_path / "suppressed.md"
    raw = BOM_FILE.replace(b"name: bom\n", b"name: suppressed\n# agentlint: disable=AL008\n")
    suppressed.write_bytes(raw)
    ignored = tmp_path / "ignored.md"
    ignored.write_bytes(BOM_FILE.replace(b"name: bom", b"name: ignored"))
    result = run("check", "--isolated", "--fix", str(suppressed))
    assert suppressed.read_bytes() == raw and "No fixes applied." in result.output
    result = run("check", "--isolated", "--fix", "--ignore", "AL008", str(ignored))
    assert ignored.read_bytes().startswith(b"\xef\xbb\xbf") and "No fixes applied." in result.output
    result = run("check", "--isolated", "--fix", "--select", "AL008", str(ignored))
    assert ignored.read_bytes().startswith(b"---") and "(AL008 1)" in result.output


def test_unsafe_fixes_flag_reaches_the_fixer(tmp_path, monkeypatch):
    seen = []
    real = fixes.fix_results

    def spy(results, config, unsafe=False, write=True):
        seen.append(unsafe)
        return real(results, config, unsafe=unsafe, write=write)

    monkeypatch.setattr(fixes, "fix_results", spy)
    p = tmp_path / "bom.md"
    p.write_bytes(BOM_FILE)
    run("check", "--isolated", "--diff", "--unsafe-fixes", str(p))
    run("check", "--isolated", "--diff", str(p))
    assert seen == [True, False]


# ---------------------------------------------------------------------------------------------
# The corpus invariant
# ---------------------------------------------------------------------------------------------


def _show_json(paths: list[str]):
    """`agentlint show --format json` for every file, when the command exists (all files in
    one call when it takes several, else one call per file)."""
    if "show" not in cli.commands:
        return None
    base = ["show", "--format", "json"] + (["--isolated"] if _show_has_isolated() else [])
    whole = CliRunner().invoke(cli, base + list(paths))
    if whole.exit_code in (0, 1) and whole.stdout.strip():
        return {"*": (whole.exit_code, whole.stdout)}
    out = {}
    for p in paths:
        r = CliRunner().invoke(cli, base + [p])
        out[p] = (r.exit_code, r.stdout)
    return out


def _show_has_isolated() -> bool:
    return any(getattr(o, "name", "") == "isolated" for o in cli.commands["show"].params)


def test_corpus_fix_never_changes_what_claude_code_loads(corpus, tmp_path, monkeypatch, record_property):
    root = tmp_path / "claude"
    shutil.copytree(corpus / "claude", root, symlinks=True)
    monkeypatch.chdir(tmp_path)
    every = sorted(os.path.relpath(os.path.join(d, f)) for d, _, fs in os.walk("claude") for f in fs)
    assert len(every) == 1940
    original = {p: Path(p).read_bytes() for p in every}
    before = {p: load_agent(p) for p in every}
    only_al004 = Config()
    only_al004.select = ["AL004"]
    al004 = [r.agent.path for r in lint_files(every, only_al004) if r.diagnostics]
    assert al004
    show_before = _show_json(every)

    # --fix on every file (documentation-named ones included: they are passed explicitly)
    result = CliRunner().invoke(cli, ["check", "--isolated", "--fix", *every], env={"NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output[-2000:]
    summary = [line for line in result.stdout.splitlines() if line.startswith(("Applied", "No fixes"))]
    assert summary and summary[0].startswith("Applied"), result.stdout[-500:]
    refused: dict[str, set[str]] = {}
    for line in result.stderr.splitlines():
        if " fix refused " in line:
            path, rest = line[len("agentlint: "):].split(": ", 1)
            refused.setdefault(path, set()).add(rest.split(" ", 1)[0])

    after_bytes = {p: Path(p).read_bytes() for p in every}
    changed = [p for p in every if after_bytes[p] != original[p]]
    assert changed

    # 1. what Claude Code loads is identical for every file
    values = show_entries = 0
    for p in every:
        a, b = view(before[p]), view(load_agent(p))
        if b"\r\n" in original[p]:
            a["body"], b["body"] = a["body"].replace("\r\n", "\n"), b["body"].replace("\r\n", "\n")
        assert a == b, p
        values += len(a) - 1 + len(a["fields"])
    if show_before is not None:
        # `agentlint show --format json`, entry by entry.  The one allowed difference: AL007's
        # CRLF -> LF in the body of a file that had CRLF line endings (the text is the same).
        show_after = _show_json(every)
        assert show_after.keys() == show_before.keys()
        crlf = {p for p in every if b"\r\n" in original[p]}
        for key, (code, out) in show_before.items():
            code2, out2 = show_after[key]
            assert code == code2, key
            entries, entries2 = json.loads(out), json.loads(out2)
            assert len(entries) == len(entries2), key
            for e, e2 in zip(entries, entries2):
                if e.get("path") in crlf:
                    e = {k: (v.replace("\r\n", "\n") if isinstance(v, str) else v) for k, v in e.items()}
                    e2 = {k: (v.replace("\r\n", "\n") if isinstance(v, str) else v) for k, v in e2.items()}
                assert e == e2, e.get("path")
                show_entries += 1

    # 2. a second --fix changes nothing; its JSON lists what remains
    again = CliRunner().invoke(cli, ["check", "--isolated", "--fix", "--format", "json", *every], env={"NO_COLOR": "1"})
    assert "No fixes applied." in again.stderr
    assert {p: Path(p).read_bytes() for p in every} == after_bytes
    remaining_diags = json.loads(again.stdout)

    # 3. every file that was AL004 now reads with strict YAML, to the same description
    for p in al004:
        text = after_bytes[p].decode("utf-8")
        agent = load_agent(p)
        assert agent.fm is not None and agent.fm.strict_error is None, p
        meta = yaml.safe_load(agent.doc.frontmatter)
        post = frontmatter.loads(text)
        assert isinstance(meta, dict) and isinstance(post.metadata, dict), p
        if agent.loaded:
            assert post.metadata["description"].replace("\\n", "\n") == agent.description, p
            assert meta["description"].replace("\\n", "\n") == agent.description, p

    # 4. no safe fix of the fixed codes is left, except those the guard refused, and each of
    #    those would really change what Claude Code loads
    remaining = Counter()
    for d in remaining_diags:
        fix = d.get("fix")
        if d["code"] not in SAFE_FIX_CODES or not fix or fix["applicability"] != "safe":
            continue
        path = d["path"]
        assert d["code"] in refused.get(path, set()), (path, d["code"], d["message"])
        remaining[d["code"]] += 1
        edits = tuple(Edit(e["start"], e["end"], e["content"], e["kind"]) for e in fix["edits"])
        doc = from_bytes(path, after_bytes[path])
        redo = fixes.apply_fixes(doc.text, doc.bom, [Fix(fix["message"], edits)]).encode("utf-8")
        assert redo != after_bytes[path] and not same_load(after_bytes[path], redo), (path, d["code"])
    # fixes that cannot change the load are never refused
    assert not any({"AL004", "AL008"} & codes for codes in refused.values())

    figures = {
        "files": len(every),
        "files_loaded": sum(1 for a in before.values() if a.loaded),
        "files_changed": len(changed),
        "al004_files_now_strict": len(al004),
        "values_compared": values,
        "refusals_by_code": dict(Counter(c for codes in refused.values() for c in codes)),
        "safe_fixable_remaining": dict(remaining),
        "summary": summary[0],
        "show_entries_compared": show_entries,
    }
    for k, v in figures.items():
        record_property(k, v)
    print("\ncorpus fix figures:", json.dumps(figures, indent=1))
