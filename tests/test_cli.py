"""The `check` command: exit codes, text output with code frames, color, rules/rule/schema."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from agentlint.cli import cli

CLEAN = "---\nname: reviewer\ndescription: Reviews code. Use this agent after every change.\n---\nYou review code carefully and report problems.\n"
WARN = CLEAN.replace("\n---\nYou", "\n--------\nYou")  # AL011 warning
ERROR = "# just a heading\n"  # AL001 error


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env or {})


def test_exit_codes(tmp_path):
    clean, warn, err = tmp_path / "clean.md", tmp_path / "warn.md", tmp_path / "err.md"
    clean.write_text(CLEAN.replace("reviewer", "clean"))
    warn.write_text(WARN.replace("reviewer", "warn"))
    err.write_text(ERROR)
    assert run("check", str(clean)).exit_code == 0
    assert run("check", str(warn)).exit_code == 0
    assert run("check", "--strict", str(warn)).exit_code == 1
    assert run("check", str(err)).exit_code == 1
    assert run("check", "--exit-zero", str(err)).exit_code == 0
    assert run("check", "--format", "nope", str(err)).exit_code == 2


def test_text_output_has_position_code_and_frame(tmp_path):
    f = tmp_path / "warn.md"
    f.write_text(WARN.replace("reviewer", "warn"))
    res = run("check", "--select", "AL011", str(f))
    lines = res.output.splitlines()
    assert lines[0].startswith(f"{f}:4:1: AL011 ")
    assert lines[0].endswith("[*] [warning: nonstandard-fence]")
    assert lines[2] == " 4 | --------"
    assert lines[3] == "   | ^^^^^^^^"
    assert lines[-1] == "Found 1 warning in 1 file (1 file checked). 1 fixable with `--fix`."
    assert "\x1b[" not in res.output


def test_color_only_when_asked_or_on_a_tty(tmp_path):
    f = tmp_path / "err.md"
    f.write_text(ERROR)
    assert "\x1b[" in run("check", "--color", str(f)).output
    assert "\x1b[" not in run("check", str(f), env={"FORCE_COLOR": "", "NO_COLOR": "1"}).output


def test_json_fields(tmp_path):
    f = tmp_path / "err.md"
    f.write_text(ERROR)
    (d,) = json.loads(run("check", "--format", "json", str(f)).output)
    assert {"path", "code", "name", "severity", "message", "line", "column", "end_line", "end_column", "fix"} <= set(d)
    assert (d["code"], d["severity"], d["line"], d["column"], d["fix"]) == ("AL001", "error", 1, 1, None)


def test_rules_rule_and_schema():
    out = run("rules").output
    assert "AL001" in out and "no-frontmatter" in out
    data = json.loads(run("rules", "--format", "json").output)
    assert all({"code", "name", "severity", "fixable", "summary", "docs"} <= set(r) for r in data)
    res = run("rule", "AL001")
    assert res.exit_code == 0 and "## What it does" in res.output and "## Why is this bad?" in res.output
    assert run("rule", "no-frontmatter").output == res.output
    bad = run("rule", "AL999")
    assert bad.exit_code == 2 and "no rule" in bad.output
    schema = json.loads(run("schema").output)
    assert schema["$schema"].endswith("2020-12/schema") and "description" in schema["properties"]


def test_module_entry_point_and_version():
    res = subprocess.run([sys.executable, "-m", "agentlint", "--version"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stdout.startswith("agentlint, version ")


def test_rules_doc_is_up_to_date():
    from pathlib import Path

    doc = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert doc.read_text(encoding="utf-8") == run("rules", "--format", "markdown").output, (
        "docs/rules.md is stale: run `agentlint rules --format markdown > docs/rules.md`"
    )


def test_readme_commands_are_the_ci_commands():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    test_command = 'python3 -m pip install -e ".[dev]" && python3 -m pytest -q'
    assert test_command in readme and test_command in ci
    assert "python3 -m pip install . && agentlint check agents/" in readme
