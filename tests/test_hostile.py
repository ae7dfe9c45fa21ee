"""Hostile input, through the real command line in a subprocess.

Every case puts a hostile file into ``.claude/agents`` between two ordinary files (one sorted
before it, one after), runs ``agentlint check`` there with a time limit and a 512 MiB address
space limit, and asserts: the run ends in time, exits 1 (violations) rather than crashing or
failing internally, prints no traceback, reports the hostile file with the expected code, and
goes on to report the files around it.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PY = sys.executable
TIMEOUT = 120  # seconds; a run here takes well under 5 on an idle machine
MEMORY = 512 << 20  # bytes of address space for each agentlint process
GOOD = "---\nname: good-agent\ndescription: Reviews code. Use it after every change.\n---\n\nYou review code carefully and report problems.\n"
NOT_AN_AGENT = "# Notes\n\nNo frontmatter here.\n"  # AL001: proves the run reached this file


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return env


@pytest.fixture
def project(tmp_path: Path) -> Path:
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "aaa-first.md").write_text(NOT_AN_AGENT)
    (agents / "good.md").write_text(GOOD)
    (agents / "zzz-last.md").write_text(NOT_AN_AGENT)
    return tmp_path


class Run:
    def __init__(self, proc: subprocess.CompletedProcess, elapsed: float) -> None:
        self.rc = proc.returncode
        self.stdout = proc.stdout.decode("utf-8", "replace")
        self.stderr = proc.stderr.decode("utf-8", "replace")
        self.elapsed = elapsed
        self.diagnostics = json.loads(self.stdout) if self.stdout.strip().startswith("[") else []

    def codes(self, name: str) -> dict[str, str]:
        """code -> message for the diagnostics of the file called ``name``."""
        return {d["code"]: d["message"] for d in self.diagnostics if os.path.basename(d["path"]) == name}

    def files(self) -> list[str]:
        return [os.path.basename(d["path"]) for d in self.diagnostics]


def check(cwd: Path, *args: str, prefix: tuple[str, ...] = (), code: str = "") -> Run:
    """``agentlint check --isolated --format json [args]`` in ``cwd`` (or a script with ``code``)."""
    if code:
        cmd = [*prefix, PY, "-c", code]
    else:
        cmd = [*prefix, PY, "-m", "agentlint", "check", "--isolated", "--format", "json", *args]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT, preexec_fn=_limits, env=_env())
    return Run(proc, time.monotonic() - t0)


def assert_survived(run: Run, name: str, code: str, fragment: str = "") -> None:
    assert "Traceback" not in run.stderr, run.stderr
    assert run.rc == 1, (run.rc, run.stderr[-2000:])
    assert "AL000" not in {d["code"] for d in run.diagnostics}, [d["message"] for d in run.diagnostics if d["code"] == "AL000"]
    got = run.codes(name)
    assert code in got, f"{name}: expected {code}, got {got}"
    assert fragment in got[code], got[code]
    # The run went on: the files sorted before and after the hostile one are reported.
    assert "AL001" in run.codes("aaa-first.md") and "AL001" in run.codes("zzz-last.md"), run.files()


def agents(project: Path) -> Path:
    return project / ".claude" / "agents"


# ---- YAML bombs ---------------------------------------------------------------------------------


def test_billion_laughs(project):
    lines = ["---", "name: lol", "description: Laughs. Use never.", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    (agents(project) / "laughs.md").write_text("\n".join(lines) + "\n---\n\nBody of the agent here.\n")
    run = check(project)
    assert_survived(run, "laughs.md", "AL014", "alias bomb")


def test_nested_collection_keys(project):
    """`{{{k: v}: x}: x}`: each level turns a mapping key into text; escaping would double it."""
    key = "{k: v}"
    for _ in range(60):
        key = "{" + key + ": x}"
    (agents(project) / "keys.md").write_text(f"---\nname: keys\ndescription: Keys. Use never.\nb: {key}\n---\n\nBody of the agent here.\n")
    run = check(project)
    assert_survived(run, "keys.md", "AL501", "`b`")


DEEP = {
    "flow.md": lambda: "x: " + "[" * 10_000 + "]" * 10_000,
    "mapping.md": lambda: "x: " + "{a: " * 10_000 + "}" * 10_000,
    "dashes.md": lambda: "- " * 10_000 + "x",
    # `? ? ? … x` (30,000 levels) crashed libyaml's composer on the C stack before the depth check knew `?`.
    "keys.md": lambda: "? " * 30_000 + "x",
    # Block indentation: 1,400 levels is what fits in 1 MiB.
    "indent.md": lambda: "".join(" " * i + f"k{i}:\n" for i in range(1_400)),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_10000_deep_nesting(project, name):
    (agents(project) / name).write_text(f"---\n{DEEP[name]()}\n---\n\nBody of the agent here.\n")
    run = check(project)
    assert_survived(run, name, "AL014", "nests deeper")


# ---- size ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("single_line", [False, True], ids=["50MB-file", "50MB-single-line"])
def test_50_mb_file(project, single_line):
    path = agents(project) / "huge.md"
    head = b"---\nname: huge\ndescription: Huge. Use never.\n---\n"
    with open(path, "wb") as fh:
        fh.write(head)
        chunk = (b"x" * (1 << 20)) if single_line else (b"All work and no play makes a long prompt.\n" * 25_000)
        while fh.tell() < 50 * (1 << 20):
            fh.write(chunk)
    run = check(project)
    assert_survived(run, "huge.md", "AL012", "over Claude Code's limit")


# ---- bytes -----------------------------------------------------------------------------------------


def test_nul_bytes(project):
    (agents(project) / "nul.md").write_bytes(b"---\nname: nul\x00agent\ndescription: d\x00\n---\n\nBody\x00 of the agent.\n")
    run = check(project)
    assert_survived(run, "nul.md", "AL009", "NUL")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_file(project, encoding):
    (agents(project) / "wide.md").write_bytes(GOOD.replace("good-agent", "wide").encode(encoding))
    run = check(project)
    assert_survived(run, "wide.md", "AL009", "UTF-16" if encoding == "utf-16" else "not UTF-8")


# ---- the file system -------------------------------------------------------------------------------


def test_symlink_loop_and_dev_zero(project):
    folder = agents(project)
    os.symlink("loop-b.md", folder / "loop-a.md")
    os.symlink("loop-a.md", folder / "loop-b.md")
    os.symlink("/dev/zero", folder / "zero.md")
    (folder / "team").mkdir()
    os.symlink("..", folder / "team" / "up")  # a folder loop: walked once
    run = check(project)
    assert_survived(run, "loop-a.md", "AL015", "symlink loop")
    assert "symlink loop" in run.codes("loop-b.md")["AL015"]
    assert "not a regular file" in run.codes("zero.md")["AL015"]
    assert run.files().count("aaa-first.md") == 1  # not again through team/up


def test_fifo_is_not_read(project):
    os.mkfifo(agents(project) / "pipe.md")
    run = check(project)
    assert_survived(run, "pipe.md", "AL015", "not a regular file")


def _unreadable_prefix() -> tuple[str, ...]:
    """Root reads any file: drop the capabilities that let it, where setpriv can."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    probe = subprocess.run([setpriv, "--bounding-set", "-dac_override,-dac_read_search", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.decode(errors='replace').strip()}")
    return (setpriv, "--bounding-set", "-dac_override,-dac_read_search")


def test_unreadable_file(project):
    path = agents(project) / "secret.md"
    path.write_text(GOOD.replace("good-agent", "secret"))
    path.chmod(0)
    try:
        run = check(project, prefix=_unreadable_prefix())
    finally:
        path.chmod(0o644)
    assert_survived(run, "secret.md", "AL015", "permission denied")


def test_file_deleted_while_the_run_lists_it(project):
    doomed = agents(project) / "doomed.md"
    doomed.write_text(GOOD.replace("good-agent", "doomed"))
    # The real CLI, with the file removed between listing the folder and reading it.
    code = textwrap.dedent(
        f"""
        import os, sys
        import agentlint.files as files
        listed = files.expand
        def expand(args):
            found, problems = listed(args)
            assert any(f.endswith("doomed.md") for f in found), found
            os.remove({str(doomed)!r})
            return found, problems
        files.expand = expand
        from agentlint.cli import main
        main(["check", "--isolated", "--format", "json"])
        """
    )
    run = check(project, code=code)
    assert not doomed.exists()
    assert_survived(run, "doomed.md", "AL015", "vanished")


# ---- output ----------------------------------------------------------------------------------------


def test_closed_pipe_is_a_quiet_exit(project):
    folder = agents(project)
    for i in range(450):  # enough output to overflow the pipe, and enough files for the process pool
        (folder / f"notes-{i:03}.md").write_text("# " + "x" * 390 + "\n")
    # `agentlint check | head -1`
    proc = subprocess.Popen(
        [PY, "-m", "agentlint", "check", "--isolated"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=_limits, env=_env(),
    )
    first = proc.stdout.readline()
    proc.stdout.close()
    try:
        stderr = proc.stderr.read()
        proc.wait(timeout=TIMEOUT)
    finally:
        proc.kill()
    assert b"AL001" in first
    assert stderr == b"", stderr.decode(errors="replace")
    assert proc.returncode in (0, 1), proc.returncode  # 0: agentlint's own handler; 1: click's


def test_all_hostile_files_together(project):
    """Every case in one folder with ordinary files around them, through the process pool and serially."""
    folder = agents(project)
    for i in range(80):
        (folder / f"agent-{i:02}.md").write_text(GOOD.replace("good-agent", f"agent-{i:02}"))
    (folder / "deep.md").write_text("---\n" + "? " * 30_000 + "x\n---\nBody text.\n")
    (folder / "nul.md").write_bytes(b"---\nname: n\x00\n---\n")
    (folder / "wide.md").write_bytes(GOOD.encode("utf-16"))
    (folder / "big.md").write_bytes(b"---\nname: big\n---\n" + b"y" * (3 << 20))
    os.symlink("/dev/zero", folder / "zero.md")
    os.symlink("loop.md", folder / "loop.md")
    run = check(project, "--jobs", "2")
    assert_survived(run, "deep.md", "AL014")
    for name, code in [("nul.md", "AL009"), ("wide.md", "AL009"), ("big.md", "AL012"), ("zero.md", "AL015"), ("loop.md", "AL015")]:
        assert code in run.codes(name), (name, run.codes(name))
    serial = check(project, "--jobs", "1")
    assert serial.stdout == run.stdout
