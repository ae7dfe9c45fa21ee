"""The model, the published JSON Schema and the structural checks built on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from agentlint import schema_check, vocab
from agentlint.cli import cli
from agentlint.config import from_mapping
from agentlint.engine import lint_text
from agentlint.model import AgentDefinition, json_schema, json_schema_text

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schemas" / "agent.schema.json"
PACKAGED = ROOT / "agentlint" / "schemas" / "agent.schema.json"
STRUCTURAL = {"AL301", "AL303", "AL304", "AL305", "AL502", "AL503", "AL504"}


def agent(extra: str) -> str:
    return f"---\nname: reviewer\ndescription: Reviews code. Use after every change.\n{extra}---\nYou review code carefully.\n"


def codes(text: str, wanted=STRUCTURAL, **kw):
    return [d for d in lint_text(text, **kw) if d.code in wanted]


# ---- the published schema --------------------------------------------------------------------


def test_committed_schema_matches_the_model():
    expected = json_schema_text()
    assert COMMITTED.read_text(encoding="utf-8") == expected, "schemas/agent.schema.json drifted: run `agentlint schema > schemas/agent.schema.json`"
    assert PACKAGED.read_text(encoding="utf-8") == expected, "agentlint/schemas/agent.schema.json drifted: copy schemas/agent.schema.json"


def test_schema_is_valid_draft_2020_12():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("agent.schema.json")
    assert schema["required"] == ["name", "description"]
    assert set(schema["properties"]) == set(vocab.FIELDS)
    assert schema["x-claude-code-version"] == vocab.CLAUDE_CODE_VERSION


def test_every_ref_resolves_and_every_field_is_documented():
    schema = json_schema()
    refs = []

    def walk(obj):
        if isinstance(obj, dict):
            if "$ref" in obj:
                refs.append(obj["$ref"])
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    walk(schema)
    assert refs
    for ref in refs:
        assert ref.startswith("#/$defs/") and ref.split("/")[-1] in schema["$defs"], ref
    for key, prop in schema["properties"].items():
        assert prop.get("description"), f"{key} has no description for editors"
        assert "title" not in prop and "default" not in prop, key


def test_value_sets_come_from_vocab():
    props = json_schema()["properties"]
    assert props["permissionMode"]["enum"] == list(vocab.PERMISSION_MODES)
    assert props["color"]["enum"] == list(vocab.COLORS)
    assert props["memory"]["enum"] == list(vocab.MEMORY_SCOPES)
    assert props["hooks"]["propertyNames"]["enum"] == list(vocab.HOOK_EVENTS)
    assert props["effort"]["anyOf"][0]["enum"] == list(vocab.EFFORTS)
    handler_types = {json_schema()["$defs"][d]["properties"]["type"]["const"] for d in json_schema()["$defs"] if d.endswith("Hook")}
    assert handler_types == set(vocab.HOOK_TYPES)


def test_cli_prints_the_schema():
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert result.output == COMMITTED.read_text(encoding="utf-8")


# ---- the model and the schema agree ---------------------------------------------------------

SAMPLES = [
    ("tools", "Read, Grep"), ("tools", ["Read"]), ("tools", {"read": True}), ("tools", 5), ("tools", [1]),
    ("model", "sonnet"), ("model", ["a"]), ("model", ""), ("model", 3),
    ("permissionMode", "plan"), ("permissionMode", "ignore"), ("permissionMode", True),
    ("maxTurns", 3), ("maxTurns", 0), ("maxTurns", "3"), ("maxTurns", True),
    ("skills", ["a"]), ("skills", "a"), ("skills", [""]),
    ("mcpServers", ["gh"]), ("mcpServers", [{"gh": {"command": "x"}}]), ("mcpServers", [{"gh": {"type": "http", "url": "u"}}]),
    ("mcpServers", [{"gh": {"url": "u"}}]), ("mcpServers", {"gh": {}}), ("mcpServers", [{}]),
    ("hooks", {"Stop": [{"hooks": [{"type": "command", "command": "x"}]}]}), ("hooks", {"stop": []}),
    ("hooks", {"Stop": [{"type": "command", "command": "x"}]}), ("hooks", {"Stop": [{"hooks": []}]}),
    ("hooks", {"Stop": [{"hooks": [{"type": "mcp_tool", "server": "s"}]}]}),
    ("memory", "user"), ("memory", "team"), ("background", True), ("background", "true"),
    ("effort", "max"), ("effort", 2), ("effort", "huge"), ("isolation", "worktree"), ("isolation", "vm"),
    ("color", "cyan"), ("color", "#fff"), ("initialPrompt", "go"), ("initialPrompt", 1),
]


@pytest.mark.parametrize("key,value", SAMPLES)
def test_model_and_schema_accept_the_same_values(key, value):
    data = {"name": "reviewer", "description": "Reviews code.", key: value}
    by_schema = jsonschema.Draft202012Validator(json_schema()).is_valid(data)
    try:
        AgentDefinition.model_validate(data)
        by_model = True
    except ValidationError:
        by_model = False
    assert by_schema == by_model, (key, value)


def test_from_fields_drops_what_claude_code_ignores():
    a = AgentDefinition.from_fields(
        {"name": "r", "description": "d", "tools": "Read", "maxTurns": "3", "color": "teal", "category": "x"}, body="You review."
    )
    assert a.tools == "Read" and a.maxTurns is None and a.color is None
    assert a.body == "You review."
    assert a.model_extra == {"category": "x"}
    with pytest.raises(ValidationError):
        AgentDefinition.from_fields({"name": "a:b", "description": "d"})


def test_from_fields_with_non_string_keys():
    a = AgentDefinition.from_fields({"name": "r", "description": "d", 1: "x"})
    assert a.name == "r"


# ---- structural checks: positions, codes, messages -----------------------------------------


def test_errors_point_at_the_nested_node_not_line_one():
    text = agent("hooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n        - type: command\n          command: 7\n")
    (d,) = codes(text)
    assert (d.code, d.line, d.column, d.span.end_line, d.span.end_column) == ("AL503", 9, 20, 9, 21)
    assert "must be a string, not the number 7" in d.message


def test_no_raw_jsonschema_messages():
    text = agent(
        "tools: {a: 1}\nmcpServers: [{gh: {url: 3}}, 4]\nhooks: {Stop: [{hooks: [{type: x}, 5]}], Bad: 1}\n"
        "effort: []\nmaxTurns: -1\nskills: [[a]]\n"
    )
    diags = codes(text)
    assert len(diags) >= 7
    for d in diags:
        for raw in ("is not valid under any of the given schemas", "is a required property", "was expected", "is not of type"):
            assert raw not in d.message, d.message
        assert d.line > 3, d


def test_repaired_entries_point_at_the_original_text():
    # strict YAML fails on the description; Claude Code's repair quotes it; maxTurns stays a string
    text = "---\nname: reviewer\ndescription: Use this agent: for reviews\nmaxTurns: \"3\"\n---\nYou review code.\n"
    (d,) = codes(text)
    assert (d.code, d.line, d.column, d.span.end_column) == ("AL305", 4, 11, 14)


def test_alias_bomb_is_not_walked():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    text = "---\nname: reviewer\ndescription: Reviews code.\n" + "\n".join(lines) + "\nskills: *a7\n---\nYou review.\n"
    diags = lint_text(text)
    assert not [d for d in diags if d.code in STRUCTURAL | {"AL000"}]
    assert [d for d in diags if d.code == "AL014"]


def test_frontmatter_that_is_not_a_mapping_has_no_structural_issues():
    assert not codes("---\n- a\n- b\n---\nbody\n")
    assert not codes("---\n---\nbody\n")


def test_issue_codes_follow_the_top_level_key():
    text = agent(
        "model: [a]\npermissionMode: x\neffort: 9.5\nhooks: 1\nmcpServers: 1\ncolor: 1\ntools: 1\n"
    )
    got = {(d.line, d.code) for d in codes(text)}
    assert got == {(4, "AL502"), (5, "AL304"), (6, "AL305"), (7, "AL503"), (8, "AL504"), (9, "AL303"), (10, "AL502")}


def test_simple_files_do_not_import_jsonschema():
    code = (
        "import sys\n"
        "from agentlint.engine import lint_text\n"
        "lint_text('---\\nname: r\\ndescription: d\\ntools: [Read]\\nmodel: sonnet\\ncolor: red\\nmaxTurns: 3\\n---\\nbody\\n')\n"
        "print('jsonschema' in sys.modules, 'pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_validator_is_built_once():
    schema_check.validator.cache_clear()
    codes(agent("maxTurns: x\n"))
    codes(agent("maxTurns: y\n"))
    assert schema_check.validator.cache_info().misses == 1


def test_nearest_color():
    assert schema_check.nearest_color("#3B82F6") == "blue"
    assert schema_check.nearest_color("#EF4444") == "red"
    assert schema_check.nearest_color("#10B981") == "green"
    assert schema_check.nearest_color("#14B8A6") == "cyan"
    assert schema_check.nearest_color("#888888") is None
    assert schema_check.nearest_color("#zzzzzz") is None
    assert schema_check.color_for("neon-cyan") == "cyan"
    assert schema_check.color_for("Blue") == "blue"


# ---- robustness: any YAML value, never a crash, always a real position ------------------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["", "sonnet", "Read", "command", "PreToolUse", "#fff", "yes"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(["type", "hooks", "matcher", "command", "url", "Stop"])), inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from([f for f in vocab.FIELDS if f not in ("name", "description")]), value=_values)
def test_any_value_is_checked_without_crashing(key, value):
    body = json.dumps({key: value}, ensure_ascii=False)  # JSON is YAML: a flow mapping
    text = "---\nname: reviewer\ndescription: Reviews code.\n" + body[1:-1] + "\n---\nYou review code.\n"
    diags = lint_text(text)
    assert not [d for d in diags if d.code == "AL000"], [d.message for d in diags if d.code == "AL000"]
    for d in diags:
        if d.code in STRUCTURAL | {"AL302", "AL306"}:
            assert d.line == 4, (d.code, d.message, d.span)
            assert d.span.end_line > d.line or d.span.end_column > d.column


# ---- AL505 on disk, whatever the working directory ---------------------------------------


def _plugin(tmp_path: Path, manifest: dict) -> Path:
    root = tmp_path / "my-plugin"
    (root / ".claude-plugin").mkdir(parents=True)
    (root / ".claude-plugin" / "plugin.json").write_text(json.dumps(manifest))
    return root


def test_plugin_agent_found_on_disk(tmp_path):
    root = _plugin(tmp_path, {"name": "my-plugin"})
    path = root / "agents" / "deep" / "reviewer.md"
    diags = [d for d in lint_text(agent("mcpServers: [gh]\n"), str(path)) if d.code == "AL505"]
    assert [(d.line, d.column) for d in diags] == [(4, 1)]
    assert "`my-plugin`" in diags[0].message


def test_plugin_manifest_agents_string(tmp_path):
    root = _plugin(tmp_path, {"name": "my-plugin", "agents": "./roles"})
    inside = root / "roles" / "reviewer.md"
    outside = root / "agents" / "reviewer.md"
    assert [d for d in lint_text(agent("permissionMode: plan\n"), str(inside)) if d.code == "AL505"]
    assert not [d for d in lint_text(agent("permissionMode: plan\n"), str(outside)) if d.code == "AL505"]


def test_broken_manifest_falls_back_to_agents_folder(tmp_path):
    root = tmp_path / "p"
    (root / ".claude-plugin").mkdir(parents=True)
    (root / ".claude-plugin" / "plugin.json").write_text("{not json")
    assert [d for d in lint_text(agent("hooks: {}\n"), str(root / "agents" / "a.md")) if d.code == "AL505"]


def test_extra_keys_option_ignores_bad_values():
    cfg = from_mapping({"rules": {"AL501": {"extra-keys": "category"}}})
    assert [d for d in lint_text(agent("category: x\n"), config=cfg) if d.code == "AL501"]


def test_many_bad_items_are_reported_once_each_up_to_a_limit():
    text = agent("skills: [" + ", ".join(["[a]"] * 2000) + "]\n")
    diags = codes(text)
    assert len(diags) == schema_check.MAX_ERRORS_PER_KEY + 1
    assert diags[0].column == 1 and "more problems than the 20 shown" in diags[0].message
    assert [d.column for d in diags[1:4]] == [10, 15, 20]  # the first items, in order


def test_huge_values_get_short_messages():
    big = "x" * 200_000
    for line in (f"model: claude-{big}\n", f"color: {big}\n", f"permissionMode: {big}\n", f"{big[:900]}: 1\n"):
        diags = [d for d in lint_text(agent(line)) if d.code.startswith(("AL3", "AL5"))]
        assert diags and all(len(d.message) < 400 for d in diags), line[:20]
