"""The pre-commit hooks (.pre-commit-hooks.yaml): the manifest, the ``files:`` pattern, and a real
pre-commit run that installs this checkout as a hook repository."""

from __future__ import annotations

import csv
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from identify.identify import tags_from_filename

from agentlint.cli import cli
from agentlint.vocab import DOC_FILE_STEMS
from worktree import copy_working_tree

ROOT = Path(__file__).resolve().parent.parent
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"

MUST_MATCH = [
    # Claude Code: project agents, nested projects, subfolders
    ".claude/agents/reviewer.md",
    ".claude/agents/review/secrets.md",
    "packages/api/.claude/agents/reviewer.md",
    ".claude/agents/readme-writer.md",  # a stem that starts like a doc file but is none
    ".claude/agents/license-checker.md",
    ".claude/agents/security.reviewer.md",
    ".claude/agents/security.md",
    ".claude/agents/SECURITY.md",
    # agents/ at the root and in plugins (<plugin>/agents/, subfolders too)
    "agents/reviewer.md",
    "agents/team/reviewer.md",
    "plugins/pr-review-toolkit/agents/code-reviewer.md",
    "plugins/pr-review-toolkit/agents/review/secrets.md",
    "my-plugin/agents/reviewer.md",
    # the other agent formats agentlint reads
    ".github/agents/reviewer.agent.md",
    ".github/agents/reviewer.md",
    ".github/agents/team/reviewer.agent.md",
    ".opencode/agent/reviewer.md",
    ".opencode/agents/reviewer.md",
    ".opencode/agent/subagents/code/reviewer.md",
    ".gemini/agents/reviewer.md",
    ".cursor/agents/reviewer.md",
]

MUST_NOT_MATCH = [
    # documentation, in and out of agent folders
    "README.md",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "docs/guide.md",
    "AGENTS.md",
    "agents.md",
    "CLAUDE.md",
    ".claude/agents/README.md",
    ".claude/agents/readme.md",
    "agents/CHANGELOG.md",
    "agents/LICENSE.md",
    "plugins/p/agents/Readme.md",
    ".github/agents/CONTRIBUTING.md",
    "docs/agents/overview.md",
    "doc/agents/reviewer.md",
    "docs/examples/.claude/agents/reviewer.md",
    # other Claude Code and tool files
    ".claude/commands/review.md",
    ".claude/skills/review/SKILL.md",
    ".claude/settings.json",
    ".claude/agents/reviewer.json",
    ".claude/agents/notes.txt",
    ".claude/agents/reviewer.md.bak",
    ".claude/agents-old/reviewer.md",
    "myagents/reviewer.md",
    "agents-archive/reviewer.md",
    ".github/workflows/ci.yml",
    ".github/copilot-instructions.md",
    ".github/prompts/review.prompt.md",
    ".github/instructions/python.instructions.md",
    ".opencode/command/review.md",
    ".gemini/commands/review.toml",
    ".cursor/rules/review.mdc",
    "src/agents.py",
    "src/agents/__init__.py",
    "agents/reviewer.py",
]


def load_hooks() -> dict:
    hooks = yaml.safe_load(HOOKS_FILE.read_text())
    return {h["id"]: h for h in hooks}


def selected(hook: dict, path: str) -> bool:
    """Would pre-commit give ``path`` to ``hook``?  (``files``/``exclude`` regexes, ``types``.)"""
    if not re.search(hook.get("files", ""), path):
        return False
    if hook.get("exclude") and re.search(hook["exclude"], path):
        return False
    tags = tags_from_filename(path)
    return set(hook.get("types", ["file"])) - {"file"} <= tags


def test_manifest_is_valid_for_pre_commit():
    res = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(HOOKS_FILE)], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_hooks_and_their_entries():
    hooks = load_hooks()
    assert set(hooks) == {"agentlint", "agentlint-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["require_serial"] is True  # AL7xx rules compare the files of one run
        assert hook["types"] == ["markdown"]
        assert hook["files"] == hooks["agentlint"]["files"]
        argv = shlex.split(hook["entry"])
        assert argv[0] == "agentlint"
        # Every option in the entry exists: click rejects unknown ones with exit 2.
        res = CliRunner().invoke(cli, argv[1:] + ["--help"])
        assert res.exit_code == 0, res.output
    assert shlex.split(hooks["agentlint"]["entry"]) == ["agentlint", "check"]
    assert shlex.split(hooks["agentlint-fix"]["entry"]) == ["agentlint", "check", "--fix"]


@pytest.mark.parametrize("path", MUST_MATCH)
def test_files_pattern_matches_agent_files(path):
    for hook in load_hooks().values():
        assert selected(hook, path), path


@pytest.mark.parametrize("path", MUST_NOT_MATCH)
def test_files_pattern_skips_other_files(path):
    for hook in load_hooks().values():
        assert not selected(hook, path), path


def test_doc_files_left_out_as_check_does():
    hook = load_hooks()["agentlint"]
    for stem in DOC_FILE_STEMS:
        for name in (stem, stem.upper(), stem.capitalize()):
            assert not selected(hook, f".claude/agents/{name}.md")
            assert selected(hook, f".claude/agents/{name}-agent.md")


def test_files_pattern_on_the_corpus_paths(corpus):
    """Real repository paths: every Claude Code project or plugin agent and every OpenCode and
    Copilot agent in its usual folder is taken."""
    hook = load_hooks()["agentlint"]
    rows = list(csv.DictReader((corpus / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    usual = re.compile(r"(^|/)(\.claude/agents|plugins/[^/]+/agents|\.opencode/agents?|\.github/agents)/")
    taken = [r["path"] for r in rows if usual.search(r["path"])]
    assert len(taken) > 100
    missed = [p for p in taken if not selected(hook, p)]
    assert missed == []


# ---- a real pre-commit run --------------------------------------------------------------------

GOOD = (
    "---\nname: {name}\ndescription: Reviews code changes for bugs and style. Use this agent after every change.\n"
    "model: sonnet\n---\nYou are a careful code reviewer. Report bugs first, then style problems.\n"
)
BROKEN = "---\nname: broken\ndescription: Never closes its frontmatter.\n"  # AL002
NO_FRONTMATTER = "# Not an agent\n\nJust notes.\n"  # AL001 if it were linted

def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "SKIP"}
    env.update(
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
        GIT_AUTHOR_NAME="agentlint tests",
        GIT_AUTHOR_EMAIL="tests@agentlint.invalid",
        GIT_COMMITTER_NAME="agentlint tests",
        GIT_COMMITTER_EMAIL="tests@agentlint.invalid",
    )
    return env


def _git(cwd: Path, env: dict, *args: str) -> str:
    res = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, f"git {args}: {res.stdout}{res.stderr}"
    return res.stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """A git repository holding this checkout's current working tree, and a pre-commit home."""
    base = tmp_path_factory.mktemp("precommit")
    repo, home = base / "hook-repo", base / "pre-commit-home"
    env = _env(home)
    copy_working_tree(repo)
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "agentlint working tree for the pre-commit test")
    rev = _git(repo, env, "rev-parse", "HEAD").strip()
    return repo, rev, env


def _project(base: Path, hook_repo, files: dict[str, bytes], hook_ids: list[str]) -> Path:
    repo, rev, env = hook_repo
    base.mkdir()
    hooks = "".join(f"      - id: {h}\n" for h in hook_ids)
    config = f"repos:\n  - repo: {repo.as_uri()}\n    rev: {rev}\n    hooks:\n{hooks}"
    files = {".pre-commit-config.yaml": config.encode(), **files}
    for name, data in files.items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_bytes(data)
    _git(base, env, "init", "-q")
    _git(base, env, "add", "-A")
    return base


def _pre_commit(project: Path, env: dict, hook: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", hook, "--all-files", "--color", "never", "--verbose"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_pre_commit_runs_the_hooks(hook_repo, tmp_path):
    _, _, env = hook_repo
    clean_files = {
        ".claude/agents/reviewer.md": GOOD.format(name="reviewer").encode(),
        "plugins/demo/agents/helper.md": GOOD.format(name="helper").encode(),
        "README.md": NO_FRONTMATTER.encode(),
        "docs/agents/overview.md": NO_FRONTMATTER.encode(),
        ".claude/agents/README.md": NO_FRONTMATTER.encode(),
    }

    clean = _project(tmp_path / "clean", hook_repo, clean_files, ["agentlint"])
    res = _pre_commit(clean, env, "agentlint")
    out = res.stdout + res.stderr
    assert res.returncode == 0, out
    assert re.search(r"^agentlint\.+Passed$", res.stdout, re.M), out
    assert "AL001" not in out and "README.md" not in out and "overview.md" not in out

    broken_files = {
        **clean_files,
        ".claude/agents/broken.md": BROKEN.encode(),
        "plugins/demo/agents/notes.md": NO_FRONTMATTER.encode(),
    }
    broken = _project(tmp_path / "broken", hook_repo, broken_files, ["agentlint"])
    res = _pre_commit(broken, env, "agentlint")
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert re.search(r"^agentlint\.+Failed$", res.stdout, re.M), out
    assert ".claude/agents/broken.md:1:1: AL002 " in out
    assert "plugins/demo/agents/notes.md:1:1: AL001 " in out
    assert "README.md" not in out and "overview.md" not in out  # the files pattern left them out

    crlf = GOOD.format(name="crlf").replace("\n", "\r\n").encode()
    fixable = _project(tmp_path / "fix", hook_repo, {".claude/agents/crlf.md": crlf, "README.md": b"# readme\r\n"}, ["agentlint-fix"])
    res = _pre_commit(fixable, env, "agentlint-fix")
    out = res.stdout + res.stderr
    assert res.returncode == 1, out  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in out, out
    assert (fixable / ".claude/agents/crlf.md").read_bytes() == crlf.replace(b"\r\n", b"\n")
    assert (fixable / "README.md").read_bytes() == b"# readme\r\n"  # not an agent file: untouched
    res = _pre_commit(fixable, env, "agentlint-fix")
    assert res.returncode == 0, res.stdout + res.stderr


def test_docs_show_every_hook():
    doc = (ROOT / "docs" / "pre-commit.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", doc, re.S)]
    config = blocks[0]
    (repo,) = config["repos"]
    assert repo["repo"].startswith("https://github.com/") and repo["rev"]
    hooks = load_hooks()
    assert {h["id"] for h in repo["hooks"]} <= set(hooks)
    for hook_id in hooks:
        assert f"`{hook_id}`" in doc
