"""AL701-AL703 across several files: scopes, exact positions, the MinHash/LSH machinery."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentlint.cli import cli
from agentlint.config import Config, from_mapping
from agentlint.engine import lint_paths
from agentlint.rules import project
from agentlint.rules.project import banding, jaccard, prepare_text, shingles, signature, similar_pairs


def agent(name: str, description: str, extra: str = "") -> str:
    return f"---\nname: {name}\ndescription: {description}\n{extra}---\nYou help.\n"


def write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def diags(root: Path, code: str, config: Config | None = None, paths=None):
    """(path relative to root, line, column, end_column, message) of ``code``, sorted."""
    config = config or from_mapping({})
    out = []
    for d in lint_paths([str(p) for p in (paths or [root])], config):
        if d.code == code:
            rel = Path(os.path.abspath(d.path)).relative_to(root).as_posix()
            out.append((rel, d.line, d.column, d.span.end_column, d.severity.value, d.message))
    return sorted(out)


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    r = tmp_path / "work"
    r.mkdir()
    return r


# ---- AL701 ------------------------------------------------------------------------------------------


def test_al701_each_later_duplicate_names_the_first(root):
    write(root, ".claude/agents/a.md", agent("reviewer", "Reviews code."))
    write(root, ".claude/agents/b/b.md", agent("reviewer", "Reviews more code."))
    write(root, ".claude/agents/c.md", "---\ndescription: Third.\nmodel: opus\nname:   reviewer\n---\nX\n")
    write(root, ".claude/agents/d.md", agent("writer", "Writes."))
    found = diags(root, "AL701")
    first = str(root / ".claude/agents/a.md")
    assert [(f, line, col, end, sev) for f, line, col, end, sev, _ in found] == [
        (".claude/agents/b/b.md", 2, 7, 15, "error"),
        (".claude/agents/c.md", 4, 9, 17, "error"),
    ]
    for *_, message in found:
        assert message.startswith(f"{first} already has the name `reviewer` in ")
        assert "Claude Code loads only one of the two" in message


def test_al701_scopes(root):
    # two levels of one repository: precedence, not duplicates
    (root / "repo" / ".git").mkdir(parents=True)
    write(root, "repo/.claude/agents/a.md", agent("reviewer", "Top."))
    write(root, "repo/pkg/.claude/agents/a.md", agent("reviewer", "Package."))
    # user scope vs a project: different scopes
    write(root, "home/.claude/agents/a.md", agent("reviewer", "Mine."))
    # two agents folders of collections: different scopes
    write(root, "one/agents/a.md", agent("reviewer", "One."))
    write(root, "two/agents/x/a.md", agent("reviewer", "Two."))
    assert diags(root, "AL701") == []


def test_al701_plugin_ids_include_subfolders(root):
    write(root, "plug/.claude-plugin/plugin.json", json.dumps({"name": "kit"}))
    write(root, "plug/agents/a/x.md", agent("x", "A."))
    write(root, "plug/agents/b/x.md", agent("x", "B."))
    write(root, "plug/agents/x.md", agent("x", "Top."))
    assert diags(root, "AL701") == []
    write(root, "plug/agents/a/y.md", agent("x", "Also a."))
    found = diags(root, "AL701")
    assert [(f, line, col) for f, line, col, *_ in found] == [("plug/agents/a/y.md", 2, 7)]
    assert f"{root / 'plug/agents/a/x.md'} already has the id `kit:a:x` in plugin `kit`" in found[0][-1]


def test_al701_files_outside_agents_folders(root):
    # in one git repository: one scope
    (root / "repo" / ".git").mkdir(parents=True)
    write(root, "repo/prompts/a.md", agent("helper", "A."))
    write(root, "repo/other/deep/b.md", agent("helper", "B."))
    # in another repository: not compared with the first
    (root / "repo2" / ".git").mkdir(parents=True)
    write(root, "repo2/c.md", agent("helper", "C."))
    found = diags(root, "AL701")
    assert [(f, line, col) for f, line, col, *_ in found] == [("repo/prompts/a.md", 2, 7)]
    assert str(root / "repo/other/deep/b.md") in found[0][-1]
    assert f"in the folder {root / 'repo'}" in found[0][-1]


def test_al701_without_repository_each_folder_is_a_scope(root):
    # Outside a repository nothing says two folders are installed together: no guess.
    write(root, "x/a.md", agent("helper", "A."))
    write(root, "y/b.md", agent("helper", "B."))
    assert diags(root, "AL701") == []
    write(root, "x/c.md", agent("helper", "C."))
    found = diags(root, "AL701")
    assert [(f, line, col) for f, line, col, *_ in found] == [("x/c.md", 2, 7)]


def test_al701_only_loaded_agents(root):
    write(root, ".claude/agents/a.md", agent("reviewer", "Reviews."))
    write(root, ".claude/agents/b.md", "---\nname: reviewer\n---\nNo description: skipped.\n")
    write(root, ".claude/agents/c.md", "---\nname: reviewer\ndescription: x\n")  # unclosed
    assert diags(root, "AL701") == []


# ---- AL702 ------------------------------------------------------------------------------------------

LONG = "Reviews backend code for correctness, security, performance, naming, error handling, logging, tests and documentation before every merge request."


def test_al702_cluster_reported_once_per_later_file(root):
    write(root, ".claude/agents/a.md", agent("a", LONG))
    write(root, ".claude/agents/b.md", agent("b", LONG.replace("merge", "pull")))
    write(root, ".claude/agents/c.md", agent("c", LONG))
    write(root, ".claude/agents/d.md", "---\nname: d\ndescription: |\n  " + LONG.upper() + "\n---\nX\n")
    write(root, ".claude/agents/e.md", agent("e", "Writes release notes from the git log before tagging."))
    found = diags(root, "AL702")
    assert [(f, line, col, sev) for f, line, col, _, sev, _ in found] == [
        (".claude/agents/b.md", 3, 14, "info"),
        (".claude/agents/c.md", 3, 14, "info"),
        (".claude/agents/d.md", 3, 14, "info"),
    ]
    msgs = {f: m for f, *_, m in found}
    assert msgs[".claude/agents/b.md"].startswith(f"a description 88% alike to that of `a` ({root / '.claude/agents/a.md'})")
    assert msgs[".claude/agents/c.md"].startswith(f"the same description as `a` ({root / '.claude/agents/a.md'})")
    assert msgs[".claude/agents/d.md"].startswith("the same description as `a`")  # the earliest of equals
    assert all(m.endswith("Claude Code may delegate to the wrong one; say what sets this agent apart") for m in msgs.values())


def test_al702_threshold_option_and_bad_values(root):
    write(root, ".claude/agents/a.md", agent("a", LONG))
    write(root, ".claude/agents/b.md", agent("b", LONG.replace("merge", "pull")))
    assert diags(root, "AL702", from_mapping({"rules": {"AL702": {"threshold": 0.9}}})) == []
    assert len(diags(root, "AL702", from_mapping({"rules": {"AL702": {"threshold": 0.85}}}))) == 1
    for bad in ("high", None, [], float("nan")):
        assert len(diags(root, "AL702", from_mapping({"rules": {"AL702": {"threshold": bad}}}))) == 1  # default 0.8


def test_al702_scopes_and_blank_descriptions(root):
    write(root, "one/.claude/agents/a.md", agent("a", LONG))
    write(root, "two/.claude/agents/a.md", agent("a", LONG))
    write(root, "one/.claude/agents/blank.md", agent("blank", '"   "'))
    write(root, "one/.claude/agents/blank2.md", agent("blank2", '"!!! ..."'))
    assert diags(root, "AL702") == []


def test_al702_unicode_and_short_descriptions(root):
    write(root, ".claude/agents/a.md", agent("a", "Révise le code"))
    write(root, ".claude/agents/b.md", agent("b", "révise LE code!"))
    write(root, ".claude/agents/c.md", agent("c", "日本"))
    write(root, ".claude/agents/d.md", agent("d", "日本"))
    write(root, ".claude/agents/e.md", agent("e", "日本語"))
    found = diags(root, "AL702")
    assert [(f, line, col) for f, line, col, *_ in found] == [(".claude/agents/b.md", 3, 14), (".claude/agents/d.md", 3, 14)]


def test_shingles_normalise_and_are_deterministic_across_processes():
    assert shingles("Reviews <b>code</b>, fast!") == shingles("reviews code fast")
    assert shingles("") == frozenset() and shingles(" ... ") == frozenset()
    assert len(shingles("ab")) == 1
    code = "from agentlint.rules.project import shingles; print(sorted(shingles('Reviews code for bugs. Use after every change.')))"
    outs = set()
    for seed in ("1", "2", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outs.add(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout)
    assert len(outs) == 1


def test_signature_agreement_estimates_jaccard():
    rng = random.Random(5)
    base = [rng.getrandbits(64) for _ in range(400)]
    a = frozenset(base)
    b = frozenset(base[:300] + [rng.getrandbits(64) for _ in range(100)])  # J = 300/500
    sa, sb = signature(a), signature(b)
    assert len(sa) == len(sb) == project._BINS
    agree = sum(x == y for x, y in zip(sa, sb)) / len(sa)
    assert abs(agree - jaccard(a, b)) < 0.2
    assert signature(a) == sa  # deterministic
    # a tiny set fills every bin by densification, and a borrowed value differs from its own
    tiny = signature(frozenset({12345}))
    assert all(v is not None for v in tiny) and len({str(v) for v in tiny}) > 1


def test_banding_keeps_recall_at_the_threshold():
    for t in (0.3, 0.5, 0.8, 0.9, 1.0):
        bands, rows = banding(t)
        assert bands * rows <= project._BINS
        assert 1 - (1 - t**rows) ** bands >= 0.97


def test_similar_pairs_agrees_with_brute_force():
    rng = random.Random(11)
    words = ["".join(rng.choice("abcdefghij") for _ in range(rng.randint(3, 8))) for _ in range(3000)]
    texts = []
    for i in range(400):
        if i > 5 and rng.random() < 0.3:
            src = texts[rng.randrange(len(texts))].split()
            for _ in range(rng.randint(0, 3)):
                src[rng.randrange(len(src))] = rng.choice(words)
            texts.append(" ".join(src))
        else:
            texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(8, 40))))
    sets = [shingles(t) for t in texts]
    for threshold in (0.6, 0.8):
        found = similar_pairs(texts, threshold)
        truth: dict[int, tuple[float, int]] = {}
        for i in range(len(sets)):
            for j in range(i):
                sim = jaccard(sets[i], sets[j])
                if sim >= threshold and (i not in truth or sim > truth[i][0]):
                    truth[i] = (sim, j)
        assert len(truth) > 50
        # exactly the later items with a match, each naming its most alike earlier one
        assert found == truth


def test_similar_pairs_bounded_on_degenerate_input():
    text = " ".join(f"word{i}" for i in range(60))
    texts = [text + f" tail{i % 7}" + " x" * (i % 5) for i in range(3000)]
    stats: dict[str, int] = {}
    found = similar_pairs(texts, 0.8, stats)
    bands, _ = banding(0.8)
    assert len(found) == 3000 - 1
    assert stats["compared"] <= 3000 * bands * project._BUCKET_CAP
    assert stats["compared"] < 3000 * 10  # equal texts are grouped, not compared pairwise
    assert all(sim >= 0.8 and j < i for i, (sim, j) in found.items())


# ---- AL703 ------------------------------------------------------------------------------------------


def test_al703_once_per_scope_on_the_longest(root):
    unit = "Reviews code for bugs and style. " * 10  # 330 characters
    for i in range(3):
        write(root, f"a/.claude/agents/x{i}.md", agent(f"x{i}", f'"{unit}"'))
    write(root, "a/.claude/agents/long.md", agent("long", f'"{unit}{unit}"'))
    write(root, "b/.claude/agents/y.md", agent("y", f'"{unit}"'))
    config = from_mapping({"rules": {"AL703": {"max-tokens": 300}}})
    found = diags(root, "AL703", config)
    assert [(f, line, col, sev) for f, line, col, _, sev, _ in found] == [("a/.claude/agents/long.md", 3, 14, "warning")]
    msg = found[0][-1]
    assert f"the descriptions of the 4 agents in {root / 'a/.claude/agents'} come to about 413 tokens" in msg
    assert "budget of about 300" in msg and "about 165 tokens" in msg
    # both scopes over a smaller budget: one finding each
    found = diags(root, "AL703", from_mapping({"rules": {"AL703": {"max-tokens": 50}}}))
    assert [f for f, *_ in found] == ["a/.claude/agents/long.md", "b/.claude/agents/y.md"]


def test_al703_default_budget_and_bad_option(root):
    big = "x" * 20_000  # 5,000 tokens each
    for i in range(3):
        write(root, f".claude/agents/a{i}.md", agent(f"a{i}", big))
    assert diags(root, "AL703") == []  # 15,000 is not over 15,000
    write(root, ".claude/agents/a3.md", agent("a3", big + "y"))
    found = diags(root, "AL703")
    assert [(f, line, col) for f, line, col, *_ in found] == [(".claude/agents/a3.md", 3, 14)]
    assert len(diags(root, "AL703", from_mapping({"rules": {"AL703": {"max-tokens": "lots"}}}))) == 1
    assert diags(root, "AL703", from_mapping({"rules": {"AL703": {"max-tokens": 10**9}}})) == []


# ---- through the command line --------------------------------------------------------------------------


def test_check_reports_project_rules_and_ignores_them(root, monkeypatch):
    write(root, ".claude/agents/a.md", agent("reviewer", LONG))
    write(root, ".claude/agents/b.md", agent("reviewer", LONG))
    monkeypatch.chdir(root)
    res = CliRunner().invoke(cli, ["check", "--isolated", "--format", "json", "--select", "AL7"])
    data = json.loads(res.output)
    got = sorted((d["path"], d["code"], d["line"], d["column"]) for d in data)
    assert got == [
        (os.path.join(".claude", "agents", "b.md"), "AL701", 2, 7),
        (os.path.join(".claude", "agents", "b.md"), "AL702", 3, 14),
    ]
    assert res.exit_code == 1  # AL701 is an error
    res = CliRunner().invoke(cli, ["check", "--isolated", "--format", "json", "--select", "AL7", "--ignore", "AL701"])
    assert [d["code"] for d in json.loads(res.output)] == ["AL702"] and res.exit_code == 0


# ---- the scopes, computed once per run ----------------------------------------------------------------


@pytest.fixture
def no_shared(monkeypatch):
    """Counts the computations of the scopes."""
    calls = []
    real = project.scope_groups

    def counting(contexts, loaded_only=True):
        calls.append(len(contexts))
        return real(contexts, loaded_only)

    monkeypatch.setattr(project, "scope_groups", counting)
    return calls


def _two_folders(root: Path) -> list[Path]:
    """Two agents with one name in two folders: two scopes, or one once ``root`` is a repository."""
    return [
        write(root, "x/a.md", agent("helper", '"' + "x" * 40 + '"')),  # 10 tokens
        write(root, "y/b.md", agent("helper", '"' + "y" * 40 + '"')),
    ]


def _codes(results) -> list[str]:
    return sorted(d.code for r in results for d in r.diagnostics if d.code.startswith("AL70"))


def test_scopes_computed_once_per_run(root, no_shared):
    _two_folders(root)
    for select in (["AL7"], ["AL701", "AL703"], ["AL702"], ["AL703"]):
        no_shared.clear()
        lint_paths([str(root)], from_mapping({"select": select}))
        assert len(no_shared) == 1, select


def test_each_run_places_the_files_anew(root, no_shared):
    """The same context objects linted again, after the file system changed."""
    from agentlint.engine import lint_contexts, make_context

    files = _two_folders(root)
    config = from_mapping({"rules": {"AL703": {"max-tokens": 15}}})  # both agents together: 20 tokens
    ctxs = [make_context(str(p), config) for p in files]
    assert _codes(lint_contexts(ctxs, config)) == []  # two folders outside a repository: two scopes
    (root / ".git").mkdir()
    assert _codes(lint_contexts(ctxs, config)) == ["AL701", "AL703"]  # now one scope
    assert len(no_shared) == 2  # once per run


def test_a_rule_alone_computes_its_scopes(root, no_shared):
    from agentlint.engine import make_context

    files = _two_folders(root)
    config = from_mapping({"rules": {"AL703": {"max-tokens": 15}}})
    ctxs = [make_context(str(p), config) for p in files]
    first, budget = project.DuplicateName(), project.DescriptionBudget()
    run: dict = {}
    assert list(first.check_project(ctxs, run)) == [] and len(no_shared) == 1
    assert list(budget.check_project(ctxs, run)) == [] and len(no_shared) == 1  # shared within the run
    (root / ".git").mkdir()
    assert len(list(budget.check_project(ctxs))) == 1 and len(no_shared) == 2  # no run: computed
    assert len(list(first.check_project(ctxs, {}))) == 1 and len(no_shared) == 3  # a new run


def test_scope_groups_place_each_file_as_the_placer_does(root, monkeypatch):
    """Whatever the path a file was read by (relative, or starting with ``~``, which the placer
    expands); the sort key is that path made absolute."""
    from agentlint.discovery import Placer
    from agentlint.engine import make_context

    monkeypatch.chdir(root)
    write(root, "~/agents/a.md", agent("a", "A."))
    write(root, "plug/.claude-plugin/plugin.json", json.dumps({"name": "kit", "agents": ["./agents/b.md"]}))
    write(root, "plug/agents/b.md", agent("b", "B."))
    paths = [os.path.join("~", "agents", "a.md"), os.path.join("plug", "agents", "b.md"), str(root / "plug" / "agents" / "b.md")]
    ctxs = [make_context(p, from_mapping({})) for p in paths]
    members = {id(m.ctx): m for scope in project.scope_groups(ctxs) for m in scope.members}
    for path, ctx in zip(paths, ctxs):
        m = members[id(ctx)]
        assert m.placement == Placer().place(path)
        assert m.order == (os.path.normcase(os.path.abspath(path)),)
    assert members[id(ctxs[1])].placement.plugin == "kit"


def test_prepared_signatures_give_the_same_pairs():
    """AL702's per-file part (``prepare_text``, done in pool workers) changes nothing."""
    import random

    rng = random.Random(7)
    words = "review code bugs security style tests after every change use agent python api ui".split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 14))) for _ in range(300)]
    texts += [texts[5], texts[9] + "!", "<example>x</example> " + texts[11], "Ünïcode " + texts[12], ""]
    for threshold in (0.3, 0.5, 0.8, 1.0):
        plain = similar_pairs(texts, threshold)
        assert similar_pairs(texts, threshold, prepared=[prepare_text(t) for t in texts]) == plain
        mixed = [prepare_text(t) if i % 3 else None for i, t in enumerate(texts)]
        assert similar_pairs(texts, threshold, prepared=mixed) == plain
    assert len(similar_pairs(texts, 0.8)) > 10


def test_facts_travel_with_the_context(root):
    from agentlint.engine import lint_contexts, make_context

    files = _two_folders(root)
    config = from_mapping({})
    ctxs = [make_context(str(p), config) for p in files]
    lint_contexts(ctxs, config)
    assert all(c.facts["AL702"] == prepare_text(c.agent.description) for c in ctxs)
    import pickle

    assert pickle.loads(pickle.dumps(ctxs[0])).facts == ctxs[0].facts
