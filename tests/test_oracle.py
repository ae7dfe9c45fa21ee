"""agentlint's verdict equals the real Claude Code 2.1.332's on every corpus file.

`corpus/claude-code-2.1.332.json` records, for each file under corpus/claude/, whether Claude
Code loads it and the description and tools it shows.  Measured, not assumed: see
research/claude-code-oracle.md.
"""

from __future__ import annotations

import json

import pytest

from agentlint.config import Config
from agentlint.engine import lint_files
from agentlint.load import load_agent

# The codes that mean "Claude Code will not load this agent" (spec/rules.md), at error level.
SKIP_CODES = {"AL001", "AL002", "AL003", "AL005", "AL012", "AL101", "AL201", "AL202", "AL102", "AL007"}


@pytest.fixture(scope="module")
def oracle(corpus):
    data = json.loads((corpus / "claude-code-2.1.332.json").read_text(encoding="utf-8"))
    assert data["claude_code_version"] == "2.1.332"
    return data["files"]


@pytest.fixture(scope="module")
def results(corpus, oracle):
    paths = [str(corpus / rel) for rel in sorted(oracle)]
    return {r.agent.path: r for r in lint_files(paths, Config())}


def test_oracle_covers_the_corpus(oracle):
    assert len(oracle) == 1940
    assert sum(1 for v in oracle.values() if not v["loaded"]) == 9


def test_skip_verdict_matches_claude_code(corpus, oracle, results):
    mismatches = []
    for rel, truth in oracle.items():
        res = results[str(corpus / rel)]
        skipped = any(d.code in SKIP_CODES and d.severity.value == "error" for d in res.diagnostics)
        if skipped == truth["loaded"]:
            mismatches.append((rel, truth["loaded"], sorted({d.code for d in res.diagnostics})))
    assert not mismatches, mismatches[:10]


def test_loaded_description_and_tools_match_claude_code(corpus, oracle):
    wrong = []
    for rel, truth in oracle.items():
        agent = load_agent(str(corpus / rel))
        assert agent.loaded == truth["loaded"], rel
        if not truth["loaded"]:
            continue
        if agent.description != truth["description"] or agent.tools_display != truth["tools"]:
            wrong.append(rel)
    assert not wrong, wrong[:10]


def test_typed_model_has_the_loaded_description(corpus, oracle):
    from agentlint.model import AgentDefinition

    for rel, truth in oracle.items():
        if not truth["loaded"]:
            continue
        agent = load_agent(str(corpus / rel))
        model = AgentDefinition.from_fields(agent.fields, agent.body)
        assert model.description.replace("\\n", "\n") == truth["description"], rel
        assert model.name == agent.name


def test_no_internal_errors_on_the_corpus(results):
    crashed = [(p, d.message) for p, r in results.items() for d in r.diagnostics if d.code == "AL000"]
    assert not crashed, crashed[:5]
