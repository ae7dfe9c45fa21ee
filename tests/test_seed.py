"""The project's seed agent: not strict YAML, yet Claude Code loads it; so must we."""

from __future__ import annotations

from pathlib import Path

import yaml

from agentlint.engine import lint_files
from agentlint.load import load_agent

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed" / "backend-expert.md"
SHIPPED = ROOT / "agents" / "backend-expert.md"


def test_seed_copy_is_byte_identical_to_shared():
    shared = ROOT.parent / "shared" / "seeds" / "backend-expert.md"
    if shared.exists():
        assert SEED.read_bytes() == shared.read_bytes()


def test_seed_is_not_strict_yaml():
    text = SEED.read_text(encoding="utf-8")
    fm = text.split("---\n")[1]
    try:
        yaml.safe_load(fm)
    except yaml.YAMLError:
        return
    raise AssertionError("the seed was expected to need Claude Code's repair")


def test_seed_lints_with_exactly_one_al004():
    (res,) = lint_files([str(SEED)])
    codes = [(d.code, d.severity.value, d.line, d.column) for d in res.diagnostics]
    assert codes == [("AL004", "warning", 3, 14)]


def test_shipped_agent_is_clean_and_equal_to_the_seed():
    (res,) = lint_files([str(SHIPPED)])
    assert res.diagnostics == []
    seed, shipped = load_agent(str(SEED)), load_agent(str(SHIPPED))
    assert seed.loaded and shipped.loaded
    for attr in ("name", "description", "model", "body", "tools"):
        assert getattr(seed, attr) == getattr(shipped, attr), attr
    assert seed.fields == shipped.fields
    # and the shipped file is strict YAML
    fm = SHIPPED.read_text(encoding="utf-8").split("---\n")[1]
    assert yaml.safe_load(fm)["description"] == seed.description
