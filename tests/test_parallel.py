"""The process pool for many files: same output as a serial run, in the same order, and a
serial run whenever the pool cannot be used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentlint import parallel
from agentlint.config import Config
from agentlint.engine import lint_files
from agentlint.files import walk_markdown

GOOD = "---\nname: agent-{i}\ndescription: Reviews code, part {i}. Use it after every change.\ntools: Read, Grep\n---\n\nYou review code and report each problem with its line.\n"
BAD = "---\nname: Agent {i}\ndescription: Use this: for things {i}\ntools: Read, Serach\nmodel: gpt-4o\ncolor: magenta\n---\n"


def dump(results) -> str:
    return json.dumps([[r.path, [d.to_json() | {"source": d.source_line} for d in r.diagnostics]] for r in results], sort_keys=True)


@pytest.fixture
def many(tmp_path: Path) -> list[str]:
    folder = tmp_path / ".claude" / "agents"
    folder.mkdir(parents=True)
    for i in range(150):
        text = (BAD if i % 3 == 0 else GOOD).format(i=i)
        if i % 7 == 0:
            text = text.replace("\n", "\r\n")
        if i % 11 == 0:
            text = GOOD.format(i=i - 1)  # duplicate names and near-identical descriptions: AL701/AL702
        (folder / f"agent-{i:03}.md").write_text(text)
    (folder / "notes.md").write_text("# no frontmatter\n")
    return walk_markdown(str(folder))


def test_gc_batches_freeze_during_a_run_and_unfreeze_after():
    import gc

    with parallel.gc_batches(every=2) as tick:
        for i in range(4):
            assert tick(i) == i
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        with parallel.gc_batches(every=1) as tick:  # the caller manages the collector: hands off
            tick(1)
            assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_plan_jobs():
    assert parallel.plan_jobs(1, None) == 1
    assert parallel.plan_jobs(parallel.PARALLEL_MIN_FILES - 1, None) == 1
    auto = parallel.plan_jobs(10_000, None)
    assert 1 <= auto <= min(parallel.cpu_count(), parallel.MAX_AUTO_JOBS)
    assert parallel.plan_jobs(10_000, 1) == 1
    assert parallel.plan_jobs(3, 8) == 3  # never more workers than files
    assert parallel.plan_jobs(500, 2) == 2


def test_pool_gives_the_serial_result(many):
    serial = lint_files(many, Config(), jobs=1)
    pooled = parallel.lint_parallel(many, Config(), 2)
    assert pooled is not None, "the pool did not run (lint_files would have fallen back to serial)"
    assert [r.path for r in pooled] == [r.path for r in serial]
    assert dump(pooled) == dump(serial) == dump(lint_files(many, Config(), jobs=2))
    codes = {d.code for r in serial for d in r.diagnostics}
    assert {"AL001", "AL007", "AL701"} <= codes  # per-file and project rules both ran
    # What project rules and --fix read comes back whole: the bytes of every file with a fix.
    with_fix = 0
    for s, p in zip(serial, pooled):
        if any(d.fix is not None for d in s.diagnostics):
            with_fix += 1
            assert p.ctx.doc.raw == s.ctx.doc.raw
        assert p.ctx.doc.text == s.ctx.doc.text and p.ctx.agent.body == s.ctx.agent.body
        assert p.ctx.config is not None and p.ctx.agent.name == s.ctx.agent.name
    assert with_fix > 0


def test_fix_through_the_pool(many, monkeypatch):
    from agentlint.fixes import fix_results

    # CRLF files that load either way (CRLF turns Claude Code's quoting repair off: the others
    # are skipped with CRLF, and converting them is not a safe fix)
    crlf = {p for p in many if b"\r\n" in Path(p).read_bytes() and b"Serach" not in Path(p).read_bytes()}
    assert crlf
    results = lint_files(many, Config(), jobs=2)
    changed = {f.path for f in fix_results(results, Config()) if f.changed and not f.error}
    assert crlf <= changed  # AL011's fix reached every file, with the bytes it was read from
    assert not any(b"\r\n" in Path(p).read_bytes() for p in crlf)


def test_pool_failure_falls_back_to_serial(many, monkeypatch):
    import concurrent.futures

    class Broken:
        def __init__(self, *a, **kw):
            raise OSError("no semaphores here")

    serial = dump(lint_files(many, Config(), jobs=1))
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    assert parallel.lint_parallel(many, Config(), 2) is None
    assert dump(lint_files(many, Config(), jobs=2)) == serial


def test_a_failing_rule_fails_the_same_way_in_a_worker(many, monkeypatch):
    from agentlint.rules.file import NoFrontmatter

    def boom(self, ctx):
        raise ValueError("rule bug")

    monkeypatch.setattr(NoFrontmatter, "check", boom)  # inherited by forked workers
    serial = lint_files(many, Config(), jobs=1)
    if parallel._mp_context().get_start_method() != "fork":
        pytest.skip("workers are not forked here: they do not see the patched rule")
    pooled = parallel.lint_parallel(many, Config(), 2)
    assert pooled is not None
    assert dump(pooled) == dump(serial)
    assert any(d.code == "AL000" and "rule bug" in d.message for r in pooled for d in r.diagnostics)


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return subprocess.run([sys.executable, "-m", "agentlint", "check", "--isolated", *args], cwd=cwd, capture_output=True, timeout=1200, env=env)


def test_corpus_serial_and_parallel_output_are_identical(corpus):
    root = Path(__file__).resolve().parents[1]
    serial = _cli(["--format", "json", "--jobs", "1", str(corpus)], root)
    pooled = _cli(["--format", "json", "--jobs", "2", str(corpus)], root)
    assert serial.returncode == pooled.returncode, (serial.stderr[-2000:], pooled.stderr[-2000:])
    assert b"Traceback" not in serial.stderr + pooled.stderr
    assert len(json.loads(serial.stdout)) > 100
    assert pooled.stdout == serial.stdout


def test_text_output_is_identical_too(many, tmp_path):
    serial = _cli(["--jobs", "1"], tmp_path)
    pooled = _cli(["--jobs", "2"], tmp_path)
    assert serial.returncode == pooled.returncode == 1
    assert pooled.stdout == serial.stdout and b"files checked" in serial.stdout
