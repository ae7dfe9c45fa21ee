"""Which files `agentlint check` reads, and what it says about paths it cannot read (AL015)."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from agentlint.cli import cli
from agentlint.files import expand, is_doc_file

GOOD = "---\nname: good\ndescription: Reviews code. Use after every change.\n---\nYou review code carefully and report problems.\n"


def _check(*args):
    result = CliRunner().invoke(cli, ["check", "--format", "json", *args])
    return result.exit_code, json.loads(result.output)


def test_folder_is_searched_recursively_and_doc_files_are_passed_over(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text(GOOD)
    (tmp_path / "b.md").write_text(GOOD)
    (tmp_path / "README.md").write_text("# docs\n")
    (tmp_path / "changelog.MD").write_text("# docs\n")
    (tmp_path / "notes.txt").write_text("x")
    files, problems = expand([str(tmp_path)])
    assert [os.path.relpath(f, tmp_path) for f in files] == ["b.md", os.path.join("sub", "a.md")]
    assert problems == []
    assert is_doc_file("LICENSE.md") and is_doc_file("Contributing.md") and not is_doc_file("reviewer.md")


def test_doc_file_named_explicitly_is_linted(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# docs\n")
    code, diags = _check(str(readme))
    assert code == 1 and [d["code"] for d in diags] == ["AL001"]


def test_missing_path_is_AL015_and_others_still_checked(tmp_path):
    good = tmp_path / "good.md"
    good.write_text(GOOD)
    code, diags = _check(str(tmp_path / "nope.md"), str(good))
    assert code == 1
    assert [(d["code"], d["line"], d["column"]) for d in diags] == [("AL015", 1, 1)]


def test_dangling_symlink_and_directory_named_md_are_AL015(tmp_path):
    (tmp_path / "agents").mkdir()
    os.symlink(tmp_path / "gone.md", tmp_path / "agents" / "dangling.md")
    (tmp_path / "agents" / "good.md").write_text(GOOD)
    code, diags = _check(str(tmp_path / "agents" / "dangling.md"), str(tmp_path / "agents" / "good.md"))
    assert code == 1
    assert [(d["code"], d["severity"], d["line"], d["column"]) for d in diags] == [("AL015", "error", 1, 1)]
    assert "vanished" in diags[0]["message"] or "broken" in diags[0]["message"]


def test_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    code, diags = _check(str(fifo))
    assert code == 1
    assert [(d["code"], d["line"], d["column"]) for d in diags] == [("AL015", 1, 1)]
    assert "not a regular file" in diags[0]["message"]


def test_default_locations(tmp_path, monkeypatch):
    (tmp_path / ".claude" / "agents").mkdir(parents=True)
    (tmp_path / ".claude" / "agents" / "x.md").write_text(GOOD.replace("good", "x"))
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "y.md").write_text(GOOD.replace("good", "y"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "z.md").write_text("# not an agent\n")
    monkeypatch.chdir(tmp_path)
    files, _ = expand([])
    assert files == [os.path.join(".claude", "agents", "x.md"), os.path.join("agents", "y.md")]
