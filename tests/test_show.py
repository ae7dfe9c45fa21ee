"""`agentlint show` and `agentlint list`: definitions exactly as Claude Code loads them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentlint.cli import cli
from agentlint.show import SKIP_CODES, jsonable

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def write(path: Path, text: "str | bytes") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(repo_and_home, monkeypatch):
    """A repository as the working directory, with an empty home."""
    repo, _home = repo_and_home
    monkeypatch.chdir(repo)
    return repo


REVIEWER = """---
name: reviewer
description: Reviews code.\\nUse after every change.
tools: Read, Grep, Bash(git diff:*)
disallowedTools: Grep
memory: project
model: sonnet
color: blue
permissionMode: nonsense
maxTurns: 5
hooks:
  PreToolUse:
    - matcher: Bash
      hooks:
        - type: command
          command: ./check.sh
colour: red
---
You review code.
"""


# ---- the corpus, against the real Claude Code -----------------------------------------------------


@pytest.fixture(scope="module")
def corpus_show():
    oracle_file = CORPUS / "claude-code-2.1.332.json"
    if not oracle_file.is_file():
        pytest.skip("../shared/corpus is not present")
    oracle = json.loads(oracle_file.read_text(encoding="utf-8"))["files"]
    here = os.getcwd()
    os.chdir(CORPUS)
    try:
        res = CliRunner().invoke(cli, ["show", "--format", "json", "claude"])
    finally:
        os.chdir(here)
    assert res.exit_code == 0, res.output[-2000:]
    shown = {Path(obj["path"]).as_posix(): obj for obj in json.loads(res.stdout)}
    return oracle, shown


def test_show_json_matches_claude_code_on_the_corpus(corpus_show):
    oracle, shown = corpus_show
    assert set(shown) == set(oracle)
    loaded = 0
    for rel, want in oracle.items():
        got = shown[rel]
        assert got["loaded"] is want["loaded"], rel
        if want["loaded"]:
            loaded += 1
            assert got["description"] == want["description"], rel
            tools = "All tools" if got["tools"] is None else ", ".join(got["tools"])
            if got["tools"] is None and got["disallowedTools"]:
                tools = "All tools except " + ", ".join(got["disallowedTools"])
            assert tools == want["tools"], rel
            assert got["codes"] == [], rel
            assert got["skip_reason"] is None
        else:
            assert got["codes"], rel
            assert set(got["codes"]) <= set(SKIP_CODES), rel
            assert got["description"] is None and got["tools"] is None and got["skip_reason"]
    assert loaded == 1931


# ---- show ----------------------------------------------------------------------------------------------


def test_show_json_fields(project):
    write(project / ".claude" / "agents" / "reviewer.md", REVIEWER)
    res = run("show", "--format", "json", "reviewer")
    assert res.exit_code == 0, res.output
    [obj] = json.loads(res.stdout)
    assert obj["path"] == os.path.join(".claude", "agents", "reviewer.md")
    assert (obj["id"], obj["name"], obj["scope"], obj["loaded"], obj["codes"]) == ("reviewer", "reviewer", "project", True, [])
    assert obj["description"] == "Reviews code.\nUse after every change."
    assert obj["tools"] == ["Read", "Bash(git diff:*)", "Write", "Edit"]  # memory adds Write/Edit, Grep denied
    assert obj["disallowedTools"] == ["Grep"]
    assert (obj["model"], obj["color"], obj["memory"], obj["maxTurns"]) == ("sonnet", "blue", "project", 5)
    assert obj["permissionMode"] == "nonsense"  # shown as written
    assert obj["hooks"]["PreToolUse"][0]["hooks"][0]["command"] == "./check.sh"
    assert obj["ignoredKeys"] == ["colour"]
    assert obj["prompt"] == "You review code.\n"
    assert obj["effort"] is None and obj["skills"] is None


def test_show_tools_forms(project):
    d = project / ".claude" / "agents"
    write(d / "all.md", "---\nname: all\ndescription: A.\ntools: '*'\n---\nX\n")
    write(d / "empty.md", "---\nname: empty\ndescription: E.\ntools: []\n---\nX\n")
    write(d / "flow.md", "---\nname: flow\ndescription: F.\ntools: [Read, Glob, Grep]\n---\nX\n")
    write(d / "deny.md", "---\nname: deny\ndescription: D.\ndisallowedTools: Bash, Write\n---\nX\n")
    write(d / "number.md", "---\nname: number\ndescription: N.\ntools: 5\n---\nX\n")
    res = run("show", "--format", "json", str(d))
    got = {o["name"]: (o["tools"], o["disallowedTools"]) for o in json.loads(res.stdout)}
    assert got == {
        "all": (None, []),
        "empty": (None, []),
        "flow": (["Read", "Glob", "Grep"], []),
        "deny": (None, ["Bash", "Write"]),
        "number": (None, []),
    }
    res = run("show", str(d / "deny.md"))
    assert "All tools except Bash, Write" in res.stdout


def test_show_skipped_files_have_codes(project):
    d = project / ".claude" / "agents"
    write(d / "unclosed.md", "---\nname: unclosed\ndescription: Never closed.\n")
    write(d / "noname.md", "---\ndescription: No name.\n---\nX\n")
    write(d / "crlf.md", b"---\r\nname: crlf\r\ndescription: Use this: now\r\n---\r\nBody\r\n")
    write(d / "colon.md", "---\nname: a:b\ndescription: Colon.\n---\nX\n")
    write(d / "docs.md", "# Notes\n")
    write(d / "big.md", "---\nname: big\ndescription: Big.\n---\n" + "x" * (1024 * 1024))
    res = run("show", "--format", "json", str(d))
    assert res.exit_code == 0
    got = {Path(o["path"]).name: o for o in json.loads(res.stdout)}
    assert {k: (o["loaded"], o["codes"]) for k, o in got.items()} == {
        "big.md": (False, ["AL012"]),
        "colon.md": (False, ["AL102"]),
        "crlf.md": (False, ["AL007", "AL003"]),
        "docs.md": (False, ["AL001"]),
        "noname.md": (False, ["AL101"]),
        "unclosed.md": (False, ["AL002"]),
    }
    assert got["colon.md"]["name"] == "a:b" and got["colon.md"]["description"] is None
    text = run("show", str(d / "unclosed.md")).stdout
    assert "not loaded   unclosed frontmatter [AL002]" in text


def test_show_text_output(project):
    write(project / ".claude" / "agents" / "reviewer.md", REVIEWER)
    res = run("show", "reviewer")
    lines = res.stdout.splitlines()
    assert lines[0] == f"reviewer  {os.path.join('.claude', 'agents', 'reviewer.md')}  (project)"
    assert lines[1] == "  description  Reviews code."
    assert lines[2] == "               Use after every change."
    assert "  tools        Read, Bash(git diff:*), Write, Edit" in lines
    assert "  model        sonnet" in lines
    assert "  color        blue" in lines
    assert "  ignored keys colour" in lines
    assert lines[-1] == "  prompt       1 line, 17 characters"


def test_show_agents_json(project):
    d = project / ".claude" / "agents"
    write(d / "reviewer.md", REVIEWER)
    write(d / "plain.md", "---\nname: plain\ndescription: Plain.\neffort: high\nskills: [a, b]\nisolation: elsewhere\n---\n\n  Do it.  \n\n")
    write(d / "broken.md", "---\nname: broken\ndescription: x\n")
    write(d / "copy.md", "---\nname: plain\ndescription: Copy.\n---\nX\n")
    res = run("show", "--format", "agents-json", "reviewer", str(d / "plain.md"), str(d / "broken.md"), str(d / "copy.md"))
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert list(data) == ["reviewer", "plain"]
    assert data["reviewer"] == {
        "description": "Reviews code.\nUse after every change.",
        "prompt": "You review code.",
        "tools": ["Read", "Bash(git diff:*)", "Write", "Edit"],
        "disallowedTools": ["Grep"],
        "model": "sonnet",
        "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./check.sh"}]}]},
        "maxTurns": 5,
        "memory": "project",
    }  # no color (not an --agents field), no invalid permissionMode
    assert data["plain"] == {"description": "Plain.", "prompt": "Do it.", "skills": ["a", "b"], "effort": "high"}
    assert "broken.md: left out, Claude Code does not load it (unclosed frontmatter)" in res.stderr
    assert "copy.md: left out, an agent named 'plain' is already in the output" in res.stderr


def test_show_not_found_and_mixed(project):
    write(project / ".claude" / "agents" / "reviewer.md", REVIEWER)
    res = run("show", "--format", "json", "revieweer", "reviewer")
    assert res.exit_code == 2
    assert [o["name"] for o in json.loads(res.stdout)] == ["reviewer"]
    assert "no agent file or agent named 'revieweer'; did you mean reviewer?" in res.stderr
    res = run("show", "zzzz")
    assert res.exit_code == 2 and "`agentlint list` shows the agents found" in res.stderr
    assert run("show").exit_code == 2  # a target is required


def test_show_odd_yaml_does_not_crash(project):
    d = project / ".claude" / "agents"
    bomb = "---\nname: bomb\ndescription: Boom.\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, prev in zip("bcdefghi", "abcdefgh"):
        bomb += f"{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    bomb += "hooks: *i\n---\nX\n"
    write(d / "bomb.md", bomb)
    write(d / "nan.md", "---\nname: nan\ndescription: N.\nmaxTurns: .nan\neffort: .inf\n? [a, b]\n: 1\n---\nX\n")
    write(d / "latin1.md", b"---\nname: latin\ndescription: Caf\xe9.\n---\nX\n")
    write(d / "nul.md", b"---\nname: nul\ndescription: N\x00.\n---\nX\n")
    for fmt in ("json", "agents-json", "text"):
        res = run("show", "--format", fmt, str(d))
        assert res.exit_code == 0, res.output
        assert "Traceback" not in res.output
    objs = {o["name"]: o for o in json.loads(run("show", "--format", "json", str(d)).stdout)}
    assert objs["bomb"]["hooks"].startswith("…")
    assert objs["nan"]["maxTurns"] == "nan" and objs["nan"]["effort"] == "inf"
    assert objs["latin"]["description"] == "Caf\ufffd."  # as Claude Code shows undecodable bytes
    nul = [o for o in objs.values() if o["path"].endswith("nul.md")]
    assert nul and nul[0]["loaded"] is False and nul[0]["codes"]


def test_jsonable_cycles_and_limits():
    loop: list = [1]
    loop.append(loop)
    assert jsonable(loop) == [1, "…"]
    assert jsonable({1: "a", (1, 2): "b"}) == {"1": "a", "[1, 2]": "b"}
    deep: list = []
    cur = deep
    for _ in range(200):
        nxt: list = []
        cur.append(nxt)
        cur = nxt
    json.dumps(jsonable(deep))
    assert len(json.dumps(jsonable(list(range(50_000))))) < 100_000


# ---- list ------------------------------------------------------------------------------------------------


def test_list_text_and_json(project):
    home = Path(os.environ["HOME"])
    write(project / ".claude" / "agents" / "reviewer.md", REVIEWER)
    write(project / ".claude" / "agents" / "team" / "reviewer-copy.md", "---\nname: reviewer\ndescription: Copy.\n---\nX\n")
    write(project / ".claude" / "agents" / "notes.md", "# notes\n")
    write(home / ".claude" / "agents" / "reviewer.md", "---\nname: reviewer\ndescription: Mine.\nmodel: haiku\n---\nX\n")
    write(home / ".claude" / "agents" / "helper.md", "---\nname: helper\ndescription: Helps.\ntools: Read\n---\nX\n")
    res = run("list")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["NAME", "SCOPE", "MODEL", "TOOLS", "PATH", "NOTE"]
    rows = [line.split("  ") for line in lines[1:6]]
    cells = [[c.strip() for c in r if c.strip()] for r in rows]
    own = os.path.join(".claude", "agents")
    assert cells == [
        ["-", "project", os.path.join(own, "notes.md"), "skipped: no frontmatter"],
        ["reviewer", "project", "sonnet", "Read, Bash(git diff:*), Write, Edit", os.path.join(own, "reviewer.md")],
        ["reviewer", "project", "inherit", "All tools", os.path.join(own, "team", "reviewer-copy.md"),
         f"duplicate of {os.path.join(own, 'reviewer.md')}: Claude Code loads only one"],
        ["helper", "user", "inherit", "Read", os.path.join("~", ".claude", "agents", "helper.md")],
        ["reviewer", "user", "haiku", "All tools", os.path.join("~", ".claude", "agents", "reviewer.md"),
         f"shadowed by {os.path.join(own, 'reviewer.md')}"],
    ]
    assert lines[-1] == "5 files: 4 loaded, 2 in use, 1 skipped"
    data = json.loads(run("list", "--format", "json").stdout)
    assert [(o["id"], o["scope"], o["active"]) for o in data] == [
        (None, "project", False), ("reviewer", "project", True), ("reviewer", "project", False),
        ("helper", "user", True), ("reviewer", "user", False),
    ]
    assert data[2]["duplicate_of"] == os.path.join(own, "reviewer.md")
    assert data[4]["shadowed_by"] == os.path.join(own, "reviewer.md")
    assert data[3]["tools"] == ["Read"] and data[1]["model"] == "sonnet"


def test_list_path_argument_and_nothing_found(project, tmp_path):
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    res = run("list", str(other))
    assert res.exit_code == 0 and res.stdout.startswith("no agent files found")
    write(other / "agents" / "a.md", "---\nname: a\ndescription: A.\n---\nX\n")
    data = json.loads(run("list", "--format", "json", str(other)).stdout)
    assert [(o["id"], o["scope"], o["path"]) for o in data] == [("a", "local", str(other / "agents" / "a.md"))]
    assert json.loads(run("list", "--format", "json").stdout) == []
    assert run("list", str(tmp_path / "missing")).exit_code == 2


def test_show_prompt_line_endings_are_normalised(project):
    d = project / ".claude" / "agents"
    write(d / "crlf.md", b"---\r\nname: crlf\r\ndescription: Plain.\r\n---\r\nLine one.\r\nLine two.\r\n")
    [obj] = json.loads(run("show", "--format", "json", str(d / "crlf.md")).stdout)
    assert obj["loaded"] and obj["prompt"] == "Line one.\nLine two.\n"
    data = json.loads(run("show", "--format", "agents-json", str(d / "crlf.md")).stdout)
    assert data["crlf"]["prompt"] == "Line one.\nLine two."


def test_show_codes_ignore_suppressions_and_configuration(project):
    d = project / ".claude" / "agents"
    write(d / "noname.md", "---\n# agentlint: disable=AL101\ndescription: No name.\n---\nX\n")
    write(project / ".agentlint.toml", 'ignore = ["AL1"]\n')
    [obj] = json.loads(run("show", "--format", "json", str(d / "noname.md")).stdout)
    assert (obj["loaded"], obj["codes"]) == (False, ["AL101"])
