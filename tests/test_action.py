"""The GitHub Action (action.yml): its structure, and its steps run the way the runner runs a
composite action (bash scripts, ``GITHUB_OUTPUT``/``GITHUB_ENV`` files, ``if:`` conditions),
with the two third-party actions stood in for."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from worktree import ROOT, copy_working_tree

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
EXPR = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")

GOOD = "---\nname: {name}\ndescription: Reviews code changes. Use this agent after every change.\n---\nYou review code and report bugs.\n"
BROKEN = "---\nname: broken\ndescription: Never closes its frontmatter.\n"  # AL002


def all_expressions(node) -> list[str]:
    if isinstance(node, dict):
        return [e for v in node.values() for e in all_expressions(v)]
    if isinstance(node, list):
        return [e for v in node for e in all_expressions(v)]
    return EXPR.findall(node) if isinstance(node, str) else []


def test_action_metadata_and_structure():
    assert ACTION["name"] and ACTION["description"] and ACTION["branding"]
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    inputs = ACTION["inputs"]
    assert {"paths", "args", "sarif"} <= set(inputs)
    for name, spec in inputs.items():
        assert spec["description"] and "default" in spec and spec.get("required") is False, name
    ids = []
    for step in steps:
        assert step.get("name")
        assert ("run" in step) != ("uses" in step)
        if "run" in step:
            assert step["shell"] == "bash"  # a composite run step must name its shell
        else:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), step["uses"]
        for expr in all_expressions(step):
            for ref in re.findall(r"steps\.([\w-]+)\.", expr):
                assert ref in ids, f"{step['name']} uses the output of {ref}, which has not run yet"
        if "id" in step:
            ids.append(step["id"])
    for expr in all_expressions(ACTION):
        for ref in re.findall(r"inputs\.([\w-]+)", expr):
            assert ref in inputs, f"${{{{ {expr} }}}} names no input"
    for name, out in ACTION["outputs"].items():
        (expr,) = EXPR.findall(out["value"])
        assert re.fullmatch(r"steps\.[\w-]+\.outputs\.[\w-]+", expr) and expr.split(".")[1] in ids, name
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/setup-python", "github/codeql-action/upload-sarif"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert "inputs.sarif" in upload["if"]
    # Inputs reach the scripts through the environment, never pasted into the script text.
    for step in steps:
        if "run" in step:
            assert "inputs." not in step["run"] and "${{" not in step["run"], step["name"]


class Runner:
    """Runs the action's steps as the GitHub runner runs a composite action (Linux)."""

    def __init__(self, workspace: Path, temp: Path, action_path: Path, inputs: dict, env: dict):
        self.workspace, self.temp, self.action_path = workspace, temp, action_path
        self.inputs = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
        unknown = set(inputs) - set(self.inputs)
        assert not unknown, unknown
        self.inputs.update(inputs)
        self.env = env
        self.outputs: dict[str, dict] = {}
        self.log: list[tuple[str, str]] = []  # (step name, what happened)
        self.stdout: dict[str, str] = {}
        self.uploads: list[dict] = []

    def value(self, expr: str):
        expr = expr.strip()
        m = re.fullmatch(r"(.+?)\s*(==|!=)\s*'([^']*)'", expr)
        if m:
            return (str(self.value(m.group(1))) == m.group(3)) == (m.group(2) == "==")
        if expr.startswith("inputs."):
            return self.inputs[expr[len("inputs.") :]]
        if expr == "github.action_path":
            return str(self.action_path)
        m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        if m:
            return self.outputs.get(m.group(1), {}).get(m.group(2), "")
        raise AssertionError(f"an expression this stand-in runner does not know: {expr}")

    def subst(self, text) -> str:
        if isinstance(text, bool):  # YAML `false` reaches an action as the string "false"
            return str(text).lower()
        return EXPR.sub(lambda m: str(self.value(m.group(1))), str(text))

    def condition(self, text) -> bool:
        m = EXPR.fullmatch(str(text).strip())
        return bool(self.value(m.group(1) if m else str(text)))

    @staticmethod
    def _read_kv(path: Path) -> dict:
        out = {}
        for line in path.read_text().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                out[k] = v
        return out

    def run(self, start: str = "") -> bool:
        """Run the steps (from the one whose id is ``start``); False when a step failed."""
        steps = list(enumerate(ACTION["runs"]["steps"]))
        if start:
            steps = steps[next(k for k, (_, s) in enumerate(steps) if s.get("id") == start) :]
        for i, step in steps:
            name = step["name"]
            if "if" in step and not self.condition(step["if"]):
                self.log.append((name, "skipped"))
                continue
            with_ = {k: self.subst(v) for k, v in step.get("with", {}).items()}
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert with_["update-environment"] == "false"  # leaves the user's Python alone
                self.outputs[step.get("id", "")] = {"python-path": sys.executable}
                self.log.append((name, "ran"))
                continue
            if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"):
                self.uploads.append(with_)
                self.log.append((name, "ran"))
                continue
            script = self.temp / f"step{i}.sh"
            script.write_text(step["run"])
            out_file, env_file = self.temp / f"out{i}", self.temp / f"env{i}"
            out_file.write_text("")
            env_file.write_text("")
            env = {
                **self.env,
                **{k: self.subst(v) for k, v in step.get("env", {}).items()},
                "RUNNER_TEMP": str(self.temp),
                "RUNNER_OS": "Linux",
                "GITHUB_OUTPUT": str(out_file),
                "GITHUB_ENV": str(env_file),
                "GITHUB_ACTION_PATH": str(self.action_path),
                "GITHUB_WORKSPACE": str(self.workspace),
            }
            res = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            self.stdout[name] = res.stdout + res.stderr
            if "id" in step:
                self.outputs[step["id"]] = self._read_kv(out_file)
            self.env.update(self._read_kv(env_file))
            if res.returncode != 0:
                self.log.append((name, f"failed {res.returncode}"))
                return False
            self.log.append((name, "ran"))
        return True


def _base_env() -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
    return keep


def _workspace(base: Path) -> Path:
    ws = base / "workspace"
    for rel, text in {
        ".claude/agents/good.md": GOOD.format(name="good"),
        ".claude/agents/broken.md": BROKEN,
        "agents/helper.md": GOOD.format(name="helper"),
        "README.md": "# not an agent\n",
    }.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
    return ws


def _installed_runner(tmp_path: Path, inputs: dict) -> Runner:
    """A runner whose install step is already done: AGENTLINT is this interpreter's agentlint."""
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    wrapper = temp / "agentlint"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m agentlint "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    env = {**_base_env(), "AGENTLINT": str(wrapper)}
    return Runner(_workspace(tmp_path), temp, ROOT, inputs, env)


def _run_from_check(runner: Runner) -> bool:
    """Run the steps from "Run agentlint" on (the install step is covered by the slow test)."""
    return runner.run(start="check")


def test_clean_paths_pass_without_sarif(tmp_path):
    runner = _installed_runner(tmp_path, {"paths": ".claude/agents/good.md\nagents"})
    assert _run_from_check(runner), runner.log
    assert runner.outputs["check"] == {"exit-code": "0", "sarif": ""}
    assert [what for _, what in runner.log] == ["ran", "skipped", "skipped"]
    assert "::error" not in runner.stdout["Run agentlint"]


def test_problems_fail_the_action_after_annotating(tmp_path):
    runner = _installed_runner(tmp_path, {"args": "--select AL0"})
    assert not _run_from_check(runner)
    out = runner.stdout["Run agentlint"]
    assert "::error file=.claude/agents/broken.md,line=1,col=1,endColumn=3,title=AL002::" in out
    assert "README.md" not in out
    assert runner.outputs["check"]["exit-code"] == "1"
    assert runner.log[-1] == ("Fail on agentlint problems", "failed 1")
    assert runner.uploads == []


def test_exit_zero_argument_lets_the_action_pass(tmp_path):
    runner = _installed_runner(tmp_path, {"args": "--exit-zero"})
    assert _run_from_check(runner), runner.log
    assert "title=AL002" in runner.stdout["Run agentlint"]


@pytest.mark.slow
def test_action_installs_agentlint_and_uploads_sarif(tmp_path):
    """The whole action, install step included (a virtual environment, pip install of this tree)."""
    action_path = copy_working_tree(tmp_path / "action")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    runner = Runner(_workspace(tmp_path), temp, action_path, {"sarif": "reports/agentlint.sarif"}, _base_env())
    assert not runner.run()  # broken.md: the last step fails the action
    assert [what for _, what in runner.log] == ["ran", "ran", "ran", "ran", "failed 1"], runner.log
    assert runner.env["AGENTLINT"] == str(temp / "agentlint-venv" / "bin" / "agentlint")
    assert "::error file=.claude/agents/broken.md,line=1,col=1" in runner.stdout["Run agentlint"]
    sarif_path = runner.workspace / "reports" / "agentlint.sarif"
    assert runner.outputs["check"] == {"exit-code": "1", "sarif": str(sarif_path)}
    (upload,) = runner.uploads
    assert upload == {"sarif_file": str(sarif_path), "category": "agentlint"}
    log = json.loads(sarif_path.read_text())
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert ".claude/agents/broken.md" in uris and "README.md" not in uris
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == runner.workspace.as_uri() + "/"


def test_docs_workflows_use_real_inputs():
    doc = (ROOT / "docs" / "github-action.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    workflow = yaml.safe_load(blocks[0])
    steps = workflow["jobs"]["agentlint"]["steps"]
    ours = [s for s in steps if s.get("uses", "").startswith("agentlint/agentlint@")]
    assert len(ours) == 1 and set(ours[0]["with"]) <= set(ACTION["inputs"])
    assert workflow["jobs"]["agentlint"]["permissions"]["security-events"] == "write"
    snippet = yaml.safe_load(textwrap.dedent(blocks[1]))  # the second example is one step
    assert set(snippet[0]["with"]) <= set(ACTION["inputs"])
    for name in ACTION["inputs"]:
        assert f"| `{name}` |" in doc, f"input {name} is not in the docs' table"
