"""Runs the rule cases in tests/rules/cases/*.yaml (sqlfluff-style plain data).

Each file::

    rule: AL101                 # the code under test (diagnostics of other codes are ignored)
    cases:
      - name: missing name
        path: agents/reviewer.md      # optional; default agent.md
        content: |                    # or content_py: a Python str/bytes expression (CRLF, BOM, sizes)
          ---
          description: x
          ---
        config: {severity: {AL101: warning}}   # optional [tool.agentlint] mapping
        expect:                        # exactly these diagnostics of `rule`; [] for a passing case
          - {line: 1, column: 1, severity: error, message: "substring", end_line: 1, end_column: 4}

A case for a rule across files (AL7xx) gives ``files`` instead of ``path``/``content``: each is
written under a fresh temporary folder and all are linted together; each expectation names the
``file`` it is on, and ``{root}`` in a ``message`` stands for that folder::

      - name: two agents share a name
        files:
          - {path: .claude/agents/a.md, content: "---\nname: x\ndescription: A.\n---\nA.\n"}
          - {path: .claude/agents/b.md, content_py: "'---\\nname: x\\n...'"}
        expect:                        # sorted by file, line, column
          - {file: .claude/agents/b.md, line: 2, column: 7, message: "{root}/.claude/agents/a.md"}
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agentlint.config import from_mapping
from agentlint.engine import display_path, lint_files, lint_text

CASES_DIR = Path(__file__).parent / "cases"


def _load():
    for f in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            yield pytest.param(data["rule"], case, id=f"{f.stem}-{i}-{case.get('name', '')}")


def case_content(case) -> bytes:
    if "content_py" in case:
        # A Python expression over string/bytes literals (no names, no builtins).
        value = eval(case["content_py"], {"__builtins__": {}}, {})
        return value if isinstance(value, bytes) else value.encode("utf-8")
    return case["content"].encode("utf-8")


def _lint_case_files(rule, case, config, root: Path):
    """Write the case's ``files`` under ``root``, lint them together; (file, diagnostic) of ``rule``."""
    paths = []
    for f in case["files"]:
        p = root / f["path"]
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(case_content(f))
        paths.append(str(p))
    out = []
    for res in lint_files(paths, config):
        rel = Path(res.ctx.agent.path).relative_to(root).as_posix()
        out.extend((rel, d) for d in res.diagnostics if d.code == rule)
    out.sort(key=lambda fd: (fd[0], fd[1].line, fd[1].column))
    return out


@pytest.mark.parametrize("rule,case", list(_load()))
def test_rule_case(rule, case, tmp_path):
    config = from_mapping(case.get("config", {}))
    expected = case.get("expect", [])
    if "files" in case:
        found = _lint_case_files(rule, case, config, tmp_path)
        assert [f for f, _ in found] == [e["file"] for e in expected], [(f, d.line, d.column, d.message) for f, d in found]
        diags = [d for _, d in found]
        expected = [dict(e, message=e["message"].replace("{root}", display_path(str(tmp_path)))) if "message" in e else e for e in expected]
    else:
        diags = [d for d in lint_text(case_content(case), case.get("path", "agent.md"), config) if d.code == rule]
    assert len(diags) == len(expected), [(d.line, d.column, d.message) for d in diags]
    for d, e in zip(diags, expected):
        assert d.line == e["line"], (d.message, d.span)
        assert d.column == e["column"], (d.message, d.span)
        if "severity" in e:
            assert d.severity.value == e["severity"], d.message
        if "end_line" in e:
            assert d.span.end_line == e["end_line"], d.span
        if "end_column" in e:
            assert d.span.end_column == e["end_column"], d.span
        if "message" in e:
            assert e["message"] in d.message, d.message
        if "fixable" in e:
            assert (d.fix is not None) == e["fixable"], d.fix
