"""Import hygiene: `agentlint check` on one file loads only what that run needs.

The runtime (``agentlint run``) and its SDKs never load for a check; jsonschema, pydantic and
the process pool do not load for an ordinary file; markdown-it (a test dependency: AL603 has its
own CommonMark block scanner, agentlint.fences) never.  Each case runs the real command line in a fresh interpreter and lists ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CLEAN = """---
name: code-reviewer
description: Reviews code for bugs and style. Use it after every change.
tools: Read, Grep, Glob
model: sonnet
---

You are a careful code reviewer. Read the change, find bugs and unclear code, and explain
each finding with the file and line it concerns.
"""

FENCED = CLEAN + "\n## Example\n\n```bash\ngit diff --stat\n```\n"

# Never on a check path.
NEVER = ("agentlint.runtime", "anthropic", "openai", "httpx", "requests", "markdown_it")
# Not for one ordinary file (the schema rule must not need them; the pool is for many files).
NOT_FOR_ONE_FILE = ("jsonschema", "pydantic", "multiprocessing", "concurrent.futures", "agentlint.model")


def modules_after_check(path: Path, *args: str) -> tuple[set[str], int, str]:
    code = textwrap.dedent(
        """
        import json, sys
        from agentlint.cli import main
        try:
            main(["check", "--isolated", *sys.argv[2:], sys.argv[1]])
        except SystemExit as exc:
            code = exc.code
        else:
            code = 0
        sys.stderr.write("MODULES " + json.dumps([sorted(sys.modules), code]) + "\\n")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code, str(path), *args], capture_output=True, text=True, timeout=120)
    line = next(l for l in proc.stderr.splitlines() if l.startswith("MODULES "))
    modules, rc = json.loads(line[len("MODULES ") :])
    return set(modules), rc, proc.stdout


def loaded(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.fixture
def clean_file(tmp_path: Path) -> Path:
    path = tmp_path / ".claude" / "agents" / "code-reviewer.md"
    path.parent.mkdir(parents=True)
    path.write_text(CLEAN)
    return path


def test_one_clean_file_loads_nothing_heavy(clean_file):
    modules, rc, out = modules_after_check(clean_file)
    assert rc == 0, out
    assert "agentlint.rules" in modules and "yaml" in modules  # the check did run
    heavy = [m for m in NEVER + NOT_FOR_ONE_FILE if loaded(modules, m)]
    assert heavy == [], f"a one-file check imported {heavy}"


def test_json_output_loads_nothing_heavy_either(clean_file):
    modules, rc, out = modules_after_check(clean_file, "--format", "json")
    assert rc == 0 and json.loads(out) == [], out
    assert [m for m in NEVER + NOT_FOR_ONE_FILE if loaded(modules, m)] == []


def test_a_code_fence_needs_no_markdown_parser(tmp_path):
    path = tmp_path / "fenced.md"
    path.write_text(FENCED + "\n1. Then:\n   ```sh\n   make test\n   ```\n<details>\n\n```\nx\n```\n")  # in a list, after HTML
    modules, rc, out = modules_after_check(path)
    assert rc in (0, 1), out
    assert [m for m in NEVER + NOT_FOR_ONE_FILE if loaded(modules, m)] == []


def test_link_reference_definitions_need_no_markdown_parser(tmp_path):
    # A paragraph that may be a link reference definition (it decides whether `<x>` may start an
    # HTML block that hides the fence) is decided by the scanner itself.
    path = tmp_path / "fenced.md"
    path.write_text(FENCED + "\n[docs]: https://example.com\n<x>\n```\n")
    modules, rc, out = modules_after_check(path, "--format", "json")
    assert rc in (0, 1), out
    assert "AL603" in [d["code"] for d in json.loads(out)]  # the definition paragraph goes on: <x> is text
    assert [m for m in NEVER + NOT_FOR_ONE_FILE if loaded(modules, m)] == []


def test_hooks_and_servers_do_not_need_the_runtime(tmp_path):
    path = tmp_path / "hooked.md"
    path.write_text(
        CLEAN.replace(
            "model: sonnet\n",
            "model: sonnet\nhooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n        - type: command\n          command: ./check.sh\n"
            "mcpServers:\n  - github\n",
        )
    )
    modules, rc, out = modules_after_check(path)
    assert rc in (0, 1), out
    assert [m for m in NEVER if loaded(modules, m)] == []
