"""Read, Glob and Grep: confinement to the working directory, caps, and recoverable errors."""

from __future__ import annotations

import os

import pytest

from agentlint.runtime import tools
from agentlint.runtime.base import ToolCall
from agentlint.runtime.tools import Toolbox, Workspace, glob_to_regex, offered_tools

SECRET = "TOP-SECRET-OUTSIDE"


@pytest.fixture
def box(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n")
    root = tmp_path / "root"
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "src" / "app.py").write_text("import os\n\ndef main():\n    return 'hello'\n")
    (root / "src" / "pkg" / "util.py").write_text("def helper():\n    return 42\n")
    (root / "src" / "web.ts").write_text("export const x = 1;\n")
    (root / "README.md").write_text("# Demo\nhello world\n")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("hello from git internals\n")
    (root / "escape.txt").symlink_to(outside / "secret.txt")
    (root / "linkdir").symlink_to(outside, target_is_directory=True)
    (root / "inner-link.py").symlink_to(root / "src" / "app.py")
    return Toolbox(Workspace(root), ["Read", "Glob", "Grep"])


def call(box: Toolbox, name: str, **args):
    return box.run(ToolCall("id1", name, args))


# --- confinement ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["../outside/secret.txt", "src/../../outside/secret.txt", "escape.txt",
                                  "linkdir/secret.txt"])
def test_read_refuses_paths_leading_out(box, path):
    result = call(box, "Read", file_path=path)
    assert result.is_error
    assert "outside the working directory" in result.content
    assert SECRET not in result.content


def test_read_refuses_absolute_path_outside_but_accepts_one_inside(box):
    outside = os.path.join(os.path.dirname(box.workspace.root), "outside", "secret.txt")
    refused = call(box, "Read", file_path=outside)
    assert refused.is_error and SECRET not in refused.content
    inside = call(box, "Read", file_path=os.path.join(box.workspace.root, "src", "app.py"))
    assert not inside.is_error and "def main():" in inside.content


def test_glob_never_lists_files_reached_through_symlinks_out(box):
    result = call(box, "Glob", pattern="**/*.txt")
    assert not result.is_error
    assert "secret" not in result.content and "escape.txt" not in result.content
    assert result.content.startswith("No files found")


@pytest.mark.parametrize("pattern", ["../*", "../outside/*.txt", "/etc/*", "src/../../*"])
def test_glob_refuses_patterns_that_leave_the_root(box, pattern):
    result = call(box, "Glob", pattern=pattern)
    assert result.is_error and "may not contain '..'" in result.content


@pytest.mark.parametrize("path", ["/", "..", "linkdir"])
def test_grep_refuses_a_search_path_outside(box, path):
    result = call(box, "Grep", pattern="SECRET", path=path)
    assert result.is_error and "outside the working directory" in result.content


def test_grep_over_the_root_skips_symlinks_out_and_git_internals(box):
    assert call(box, "Grep", pattern="TOP-SECRET").content == "No matches found"
    found = call(box, "Grep", pattern="hello").content
    assert "README.md" in found and "src/app.py" in found and ".git" not in found


# --- Read -----------------------------------------------------------------------------------

def test_read_numbers_lines_and_pages_with_offset_and_limit(box):
    full = call(box, "Read", file_path="src/app.py").content
    assert full.splitlines()[0] == "     1\timport os"
    page = call(box, "Read", file_path="src/app.py", offset=3, limit=1).content
    assert page.splitlines()[0] == "     3\tdef main():"
    assert "continue with offset=4" in page


def test_read_caps_long_lines_and_refuses_binary_files(box):
    root = box.workspace.root
    with open(os.path.join(root, "long.txt"), "w") as handle:
        handle.write("x" * 50_000 + "\nshort\n")
    long = call(box, "Read", file_path="long.txt").content
    assert "[line truncated]" in long and "     2\tshort" in long
    assert len(long) < tools.MAX_LINE_CHARS + 200
    with open(os.path.join(root, "image.png"), "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    binary = call(box, "Read", file_path="image.png")
    assert binary.is_error and "binary file" in binary.content


def test_read_caps_total_output(box):
    with open(os.path.join(box.workspace.root, "big.txt"), "w") as handle:
        handle.write(("y" * 100 + "\n") * 5000)
    result = call(box, "Read", file_path="big.txt").content
    assert len(result) <= tools.MAX_RESULT_CHARS + 100
    assert "output limit reached; continue with offset=" in result


@pytest.mark.parametrize("args, message", [
    ({"file_path": "missing.txt"}, "file does not exist"),
    ({"file_path": "src"}, "is a directory"),
    ({}, "file_path must be a non-empty string"),
    ({"file_path": "src/app.py", "offset": "x"}, "offset must be a non-negative integer"),
])
def test_read_failures_are_tool_errors(box, args, message):
    result = box.run(ToolCall("id", "Read", args))
    assert result.is_error and message in result.content


def test_read_refuses_a_fifo_instead_of_blocking(box):
    fifo = os.path.join(box.workspace.root, "pipe")
    os.mkfifo(fifo)
    result = call(box, "Read", file_path="pipe")
    assert result.is_error and "not a regular file" in result.content


# --- Glob -----------------------------------------------------------------------------------

def test_glob_matches_recursively_with_braces(box):
    result = call(box, "Glob", pattern="src/**/*.{py,ts}").content
    assert result.startswith("Found 3 files")
    assert {"src/app.py", "src/pkg/util.py", "src/web.ts"} <= set(result.splitlines()[1:])


def test_glob_in_a_subdirectory_and_star_does_not_cross_slashes(box):
    assert call(box, "Glob", pattern="*.py", path="src").content.splitlines()[1:] == ["src/app.py"]
    assert "inner-link.py" in call(box, "Glob", pattern="*.py").content  # a link that stays inside


def test_glob_caps_results(box):
    many = os.path.join(box.workspace.root, "many")
    os.mkdir(many)
    for i in range(tools.GLOB_MAX_RESULTS + 20):
        open(os.path.join(many, f"f{i}.log"), "w").close()
    result = call(box, "Glob", pattern="many/*.log").content
    assert result.startswith(f"Found {tools.GLOB_MAX_RESULTS + 20} files, showing the {tools.GLOB_MAX_RESULTS}")
    assert len(result.splitlines()) == tools.GLOB_MAX_RESULTS + 1


def test_glob_to_regex_translation():
    assert glob_to_regex("**/*.py").fullmatch("a/b/c.py")
    assert glob_to_regex("**/*.py").fullmatch("c.py")
    assert not glob_to_regex("*.py").fullmatch("a/c.py")
    assert glob_to_regex("file?.[ch]").fullmatch("file1.h")
    assert glob_to_regex("[!a]*").fullmatch("b.txt") and not glob_to_regex("[!a]*").fullmatch("a.txt")


# --- Grep -----------------------------------------------------------------------------------

def test_grep_output_modes(box):
    files = call(box, "Grep", pattern=r"def \w+").content
    assert files.splitlines()[0] == "Found 3 files"  # app.py, util.py and the link to app.py
    content = call(box, "Grep", pattern="return 42", output_mode="content").content
    assert content == "src/pkg/util.py:2:    return 42"
    context = call(box, "Grep", pattern="return 42", path="src/pkg", output_mode="content", **{"-B": 1}).content
    assert context.splitlines() == ["src/pkg/util.py-1-def helper():", "src/pkg/util.py:2:    return 42"]
    count = call(box, "Grep", pattern="e", path="src/app.py", output_mode="count").content
    assert count == "src/app.py:2"  # matching lines, as rg --count


def test_grep_filters_case_and_limits(box):
    assert call(box, "Grep", pattern="HELLO", **{"-i": True}, glob="*.md").content.splitlines()[1:] == ["README.md"]
    assert call(box, "Grep", pattern="export", type="ts").content.splitlines()[1:] == ["src/web.ts"]
    limited = call(box, "Grep", pattern=".", output_mode="content", head_limit=2).content
    assert len(limited.splitlines()) == 3 and "more results follow" in limited


def test_grep_bad_regex_is_a_tool_error(box):
    result = call(box, "Grep", pattern="(unclosed")
    assert result.is_error and "invalid regular expression" in result.content


def test_grep_is_time_bounded_against_catastrophic_backtracking(box, monkeypatch):
    with open(os.path.join(box.workspace.root, "evil.txt"), "w") as handle:
        handle.write("a" * 40 + "!\n")
    monkeypatch.setattr(tools, "GREP_TIMEOUT_S", 1.0)
    result = call(box, "Grep", pattern=r"^(a+)+$", path="evil.txt")
    assert result.is_error and "timed out" in result.content


# --- what is offered ------------------------------------------------------------------------

def test_unknown_or_unoffered_tools_and_bad_input_are_errors(box):
    read_only = Toolbox(box.workspace, ["Read"])
    refused = read_only.run(ToolCall("i", "Grep", {"pattern": "x"}))
    assert refused.is_error and "not available in this run (available: Read)" in refused.content
    assert box.run(ToolCall("i", "Bash", {"command": "ls"})).is_error
    bad = box.run(ToolCall("i", "Read", {}, input_error="arguments were not valid JSON"))
    assert bad.is_error and "not valid JSON" in bad.content


def test_offered_tools_policy():
    assert offered_tools(None) == (["Read", "Glob", "Grep"], [])
    assert offered_tools(None, ["Grep"]) == (["Read", "Glob"], [])
    assert offered_tools(["Grep", "Bash", "Read(/src/**)", "WebFetch"]) == (["Read", "Grep"], ["Bash", "WebFetch"])
    assert offered_tools([]) == ([], [])
