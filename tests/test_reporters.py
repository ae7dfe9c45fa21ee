"""The CI output formats: SARIF 2.1.0 (checked against the official schema), GitHub workflow
commands, JUnit XML, and ``--statistics``; all run through ``agentlint check``."""

from __future__ import annotations

import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint.cli import cli
from agentlint.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from agentlint.engine import FileResult, lint_text
from agentlint.reporters import FORMATS, Options, get
from agentlint.reporters import _util, github, junit, sarif, statistics
from agentlint.reporters import json as json_reporter
from agentlint.rules import ALL_RULES

DATA = Path(__file__).parent / "data"
SCHEMA_PATH = DATA / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

GOOD = (
    "---\nname: good\ndescription: Reviews code changes for bugs. Use this agent after every change.\n"
    "model: sonnet\n---\nYou are a careful code reviewer. Report bugs first, then style.\n"
)
BROKEN = "---\nname: broken\ndescription: Never closes its frontmatter.\n"  # AL002 at 1:1
QUOTING = (  # AL004 (warning, safe text fix) on the description value: line 3, columns 14..45
    "---\nname: quoting\ndescription: Use this agent: it reviews code\nmodel: sonnet\n---\nYou review code.\n"
)
# BOM (AL008), CRLF (AL007), a closing fence with trailing blanks (AL011): three different fixes.
BOM_CRLF = "\ufeff---\r\nname: bom-crlf\r\ndescription: Reviews code. Use this agent after changes.\r\n---  \r\nYou review.\r\n"
WEIRD_NAME = "we,ird:50%.md"  # needs escaping in workflow-command properties and in URIs


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


@pytest.fixture
def project(tmp_path, monkeypatch):
    agents = tmp_path / ".claude" / "agents"
    _write(agents / "good.md", GOOD)
    _write(agents / "broken.md", BROKEN)
    _write(agents / "quoting.md", QUOTING)
    _write(agents / "bom-crlf.md", BOM_CRLF)
    _write(agents / WEIRD_NAME, BROKEN.replace("broken", "weird"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def check(*args: str, env=None):
    # Only the file-level rules (AL0xx): the expectations below stay exact as rules are added.
    return CliRunner().invoke(cli, ["check", "--isolated", "--select", "AL0", *args], env=env)


def reference(*args: str) -> list[dict]:
    """What the JSON reporter says about the same run: the other formats must agree with it."""
    res = check("--format", "json", *args)
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def facts(diags) -> Counter:
    return Counter((d["path"], d["line"], d["column"], d["code"], d["severity"]) for d in diags)


def test_formats_registered_and_importable():
    for name in ("text", "json", "github", "sarif", "junit"):
        assert name in FORMATS
        assert callable(get(name))


def test_docs_url_matches_the_json_url():
    d = lint_text(BROKEN, "broken.md")[0]
    assert _util.docs_url(d.code) == d.to_json()["url"]


# ---- SARIF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator():
    raw = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "tests/data/sarif-schema-2.1.0.json changed"
    assert (DATA / "sarif-schema-2.1.0.LICENSE.md").is_file()
    schema = json.loads(raw)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_sarif_is_valid_and_agrees_with_json(project, sarif_validator):
    res = check("--format", "sarif", ".claude/agents")
    assert res.exit_code == 1  # AL002 errors
    log = json.loads(res.stdout)
    assert_valid(sarif_validator, log)
    assert log["version"] == "2.1.0" and log["$schema"] == sarif.SCHEMA_URI
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "agentlint" and driver["version"] and driver["informationUri"].startswith("https://")
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.as_uri() + "/"
    assert run["invocations"] == [{"executionSuccessful": True}]

    got = Counter()
    for r in run["results"]:
        rule = driver["rules"][r["ruleIndex"]]
        assert rule["id"] == r["ruleId"]
        (loc,) = r["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "%SRCROOT%"
        reg = loc["physicalLocation"]["region"]
        level = {"error": "error", "warning": "warning", "note": "info"}[r["level"]]
        got[(unquote(art["uri"]), reg["startLine"], reg["startColumn"], r["ruleId"], level)] += 1
    assert got == facts(reference(".claude/agents"))

    by_rule = {r["ruleId"]: r for r in run["results"]}
    broken = by_rule["AL002"]
    assert broken["level"] == "error"
    assert "never closed" in broken["message"]["text"]
    region = broken["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (1, 1, 1, 4)
    assert region["snippet"] == {"text": "---"}
    quoting = by_rule["AL004"]
    assert quoting["level"] == "warning"
    region = quoting["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (3, 14, 3, 45)


def test_sarif_rules_carry_metadata_for_every_rule(project, sarif_validator):
    log = json.loads(check("--format", "sarif", ".claude/agents/good.md").stdout)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [cls.code for cls in ALL_RULES]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for cls, rule in zip(ALL_RULES, rules):
        assert rule["name"] == cls.name
        assert rule["shortDescription"]["text"] == cls.summary
        assert rule["fullDescription"]["text"]
        assert rule["help"]["markdown"] == cls.docs()
        assert rule["help"]["text"].strip() and "## " not in rule["help"]["text"].split("```")[0]
        assert rule["helpUri"] == _util.docs_url(cls.code)
        assert rule["defaultConfiguration"]["level"] == levels[cls.severity.value]
        assert rule["properties"]["fixable"] is bool(cls.fixable)
    al001 = next(r for r in rules if r["id"] == "AL001")
    assert al001["fullDescription"]["text"].startswith("Checks that the file starts with")
    # A heading inside a code example stays as it is in the plain-text help.
    assert "# Code reviewer" in al001["help"]["text"]


def _offsets(text: str, line: int, col: int) -> int:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return starts[line - 1] + col - 1


def apply_sarif_fix(raw: bytes, fix: dict) -> bytes:
    """Apply a SARIF fix as a SARIF consumer would: every region refers to the unmodified file."""
    (change,) = fix["artifactChanges"]
    reps = change["replacements"]
    binary = [r for r in reps if "byteOffset" in r["deletedRegion"]]
    if binary:
        out = raw
        for r in sorted(binary, key=lambda r: -r["deletedRegion"]["byteOffset"]):
            reg = r["deletedRegion"]
            out = out[: reg["byteOffset"]] + out[reg["byteOffset"] + reg["byteLength"] :]
        return out
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0 :].decode("utf-8")  # text regions do not count the BOM
    spans = []
    for r in reps:
        reg = r["deletedRegion"]
        start = _offsets(text, reg["startLine"], reg["startColumn"])
        end = _offsets(text, reg.get("endLine", reg["startLine"]), reg["endColumn"])
        spans.append((start, end, r.get("insertedContent", {}).get("text", "")))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def test_sarif_fixes_reproduce_agentlint_fixes(project, sarif_validator):
    log = json.loads(check("--format", "sarif", ".claude/agents/quoting.md", ".claude/agents/bom-crlf.md").stdout)
    assert_valid(sarif_validator, log)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert {"AL004", "AL007", "AL008", "AL011"} <= set(results)

    quoting = (project / ".claude/agents/quoting.md").read_bytes()
    (fix,) = results["AL004"]["fixes"]
    assert fix["properties"] == {"applicability": "safe"}
    assert fix["artifactChanges"][0]["artifactLocation"] == results["AL004"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert apply_sarif_fix(quoting, fix).decode() == QUOTING.replace(
        "Use this agent: it reviews code", '"Use this agent: it reviews code"'
    )

    raw = (project / ".claude/agents/bom-crlf.md").read_bytes()
    assert apply_sarif_fix(raw, results["AL008"]["fixes"][0]) == raw[3:]
    assert apply_sarif_fix(raw, results["AL007"]["fixes"][0]) == raw.replace(b"\r\n", b"\n")
    assert len(results["AL007"]["fixes"][0]["artifactChanges"][0]["replacements"]) == raw.count(b"\r\n")
    assert apply_sarif_fix(raw, results["AL011"]["fixes"][0]) == raw.replace(b"---  \r\n", b"---\r\n")


def test_sarif_uris_are_escaped_and_relative(project, sarif_validator, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "far away.md"
    outside.write_text(BROKEN)
    log = json.loads(check("--format", "sarif", f".claude/agents/{WEIRD_NAME}", str(outside)).stdout)
    assert_valid(sarif_validator, log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    weird = next(u for u in uris if "we" in u["uri"])
    assert weird == {"uri": ".claude/agents/we%2Cird%3A50%25.md", "uriBaseId": "%SRCROOT%"}
    far = next(u for u in uris if u["uri"].startswith("file://"))
    assert far == {"uri": outside.as_uri()} and "%20" in far["uri"]


def test_sarif_engine_codes_bad_names_and_unknown_fixes(sarif_validator):
    # AL000 is no registered rule, a file name that is not UTF-8 reaches us with a lone
    # surrogate, and a fix kind SARIF cannot express must be left out, not guessed.
    crash = Diagnostic("bad\udcff.md", "AL000", "internal-error", Severity.ERROR, "rule AL999 failed\nbadly", Span(1, 1, 1, 2))
    odd_fix = Diagnostic(
        "x.md", "AL011", "nonstandard-fence", Severity.WARNING, "m", Span(1, 1, 1, 4), fix=Fix("f", (Edit(0, 1, "", kind="other"),))
    )
    out = io.StringIO()
    sarif.render([FileResult("bad\udcff.md", None, [crash]), FileResult("x.md", None, [odd_fix])], out, Options())
    log = json.loads(out.getvalue())
    assert_valid(sarif_validator, log)
    run = log["runs"][0]
    assert run["invocations"] == [{"executionSuccessful": False}]
    r0, r1 = run["results"]
    assert run["tool"]["driver"]["rules"][r0["ruleIndex"]]["id"] == "AL000"
    assert r0["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad%FF.md"  # the original byte
    assert "fixes" not in r1  # no file context and an unknown kind: nothing to state


def test_sarif_empty_run_is_valid(project, sarif_validator):
    log = json.loads(check("--format", "sarif", ".claude/agents/good.md").stdout)
    assert_valid(sarif_validator, log)
    assert log["runs"][0]["results"] == []


def test_sarif_crlf_fix_left_out_past_the_limit(monkeypatch, sarif_validator):
    text = "---\r\nname: many\r\ndescription: Many lines. Use this agent for tests.\r\n---\r\n" + "line\r\n" * 30
    monkeypatch.setattr(sarif, "MAX_EOL_REPLACEMENTS", 10)
    from agentlint.config import Config
    from agentlint.engine import FileContext, analyse, from_bytes, lint_contexts

    config = Config()
    ctx = FileContext(analyse(from_bytes("many.md", text.encode())), config, "many.md")
    (res,) = lint_contexts([ctx], config)
    out = io.StringIO()
    sarif.render([res], out, Options())
    log = json.loads(out.getvalue())
    assert_valid(sarif_validator, log)
    crlf = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "AL007")
    assert "fixes" not in crlf


# ---- GitHub workflow commands ---------------------------------------------------------------

COMMAND_RE = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m.group(1)], text)


def parse_commands(output: str) -> list[tuple[str, dict, str]]:
    out = []
    for line in output.splitlines():
        m = COMMAND_RE.match(line)
        assert m, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        out.append((m.group(1), {k: unescape(v) for k, v in props.items()}, unescape(m.group(3))))
    return out


def test_github_commands_agree_with_json(project):
    res = check("--format", "github", ".claude/agents")
    assert res.exit_code == 1
    commands = parse_commands(res.stdout)
    level = {"error": "error", "warning": "warning", "notice": "info"}
    got = Counter((p["file"], int(p["line"]), int(p["col"]), p["title"], level[lvl]) for lvl, p, _ in commands)
    assert got == facts(reference(".claude/agents"))
    broken = next(c for c in commands if c[1]["file"] == ".claude/agents/broken.md")
    assert broken[0] == "error"
    assert broken[1] == {"file": ".claude/agents/broken.md", "line": "1", "col": "1", "endColumn": "3", "title": "AL002"}
    assert broken[2].startswith(".claude/agents/broken.md:1:1: AL002 the frontmatter opened here is never closed")
    assert broken[2].endswith("[unclosed-frontmatter]")


def test_github_escapes_properties_and_data(project):
    res = check("--format", "github", f".claude/agents/{WEIRD_NAME}")
    line = res.stdout.splitlines()[0]
    assert "file=.claude/agents/we%2Cird%3A50%25.md," in line
    ((_, props, message),) = parse_commands(res.stdout)
    assert props["file"] == f".claude/agents/{WEIRD_NAME}"
    assert message.startswith(f".claude/agents/{WEIRD_NAME}:1:1: AL002 ")
    assert github.escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert github.escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_multiline_message_stays_one_command():
    d = Diagnostic("a.md", "AL003", "yaml-syntax", Severity.ERROR, "bad YAML:\n  line 2\r\n100%", Span(2, 3, 4, 1))
    info = Diagnostic("a.md", "AL901", "unused-suppression", Severity.INFO, "unused", Span(5, 1, 5, 2))
    out = io.StringIO()
    github.render([FileResult("a.md", None, [d, info])], out, Options())
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    ((lvl, props, message), (lvl2, _, _)) = parse_commands(out.getvalue())
    assert (lvl, lvl2) == ("error", "notice")
    assert props == {"file": "a.md", "line": "2", "endLine": "4", "col": "3", "title": "AL003"}
    assert message == "a.md:2:3: AL003 bad YAML:\n  line 2\r\n100% [yaml-syntax]"


def test_github_is_the_default_on_github_actions(project):
    on = check(".claude/agents/broken.md", env={"GITHUB_ACTIONS": "true"})
    assert on.stdout.startswith("::error file=.claude/agents/broken.md,")
    off = check(".claude/agents/broken.md")
    assert off.stdout.startswith(".claude/agents/broken.md:1:1: AL002 ")
    forced = check("--format", "text", ".claude/agents/broken.md", env={"GITHUB_ACTIONS": "true"})
    assert forced.stdout.startswith(".claude/agents/broken.md:1:1: AL002 ")
    other = check(".claude/agents/broken.md", env={"GITHUB_ACTIONS": "false"})
    assert not other.stdout.startswith("::")


def test_github_clean_run_prints_nothing(project):
    res = check("--format", "github", ".claude/agents/good.md")
    assert (res.exit_code, res.stdout) == (0, "")


# ---- JUnit XML -------------------------------------------------------------------------------


def test_junit_one_testcase_per_file(project):
    res = check("--format", "junit", ".claude/agents")
    assert res.exit_code == 1
    root = ET.fromstring(res.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    names = [c.get("name") for c in cases]
    assert sorted(names) == sorted(
        f".claude/agents/{n}" for n in ("good.md", "broken.md", "quoting.md", "bom-crlf.md", WEIRD_NAME)
    )
    ref = reference(".claude/agents")
    by_case = {c.get("name"): c for c in cases}
    for path in names:
        expected = sorted(d["code"] for d in ref if d["path"] == path and d["severity"] in ("error", "warning"))
        got = sorted(f.get("type") for f in by_case[path].findall("failure"))
        assert got == expected, path
        for f in by_case[path].findall("failure"):
            assert f.get("message").startswith(f.get("type") + " ")
            assert f.text.startswith(path + ":")
    assert by_case[".claude/agents/good.md"].findall("failure") == []
    failed = sum(1 for c in cases if c.findall("failure"))
    assert suite.get("tests") == str(len(cases)) and suite.get("failures") == str(failed)
    assert suite.get("errors") == "0" and root.get("failures") == str(failed)
    broken = by_case[".claude/agents/broken.md"].find("failure")
    assert broken.text == ".claude/agents/broken.md:1:1: AL002 the frontmatter opened here is never closed with `---`: Claude Code skips the file [error: unclosed-frontmatter]"


def test_junit_info_is_output_internal_error_is_error_and_bad_characters_are_escaped():
    crash = Diagnostic("a\udcff.md", "AL000", "internal-error", Severity.ERROR, "boom \x00\x1b[31m", Span(1, 1, 1, 2))
    info = Diagnostic("a\udcff.md", "AL901", "unused-suppression", Severity.INFO, "unused <disable> & co", Span(2, 1, 2, 2))
    out = io.StringIO()
    junit.render([FileResult("a\udcff.md", None, [crash, info]), FileResult("ok.md", None, [])], out, Options())
    text = out.getvalue()
    text.encode("utf-8")  # writable as UTF-8
    root = ET.fromstring(text.encode("utf-8"))
    suite = root.find("testsuite")
    bad, ok = suite.findall("testcase")
    assert bad.get("name") == "a\\udcff.md" and ok.get("name") == "ok.md"
    err = bad.find("error")
    assert err is not None and err.get("type") == "AL000" and "\\x00\\x1b[31m" in err.get("message")
    assert bad.find("failure") is None
    assert "unused <disable> & co" in bad.find("system-out").text
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "0", "1")


# ---- --statistics ---------------------------------------------------------------------------


def test_statistics_prints_only_the_table(project):
    res = check("--statistics", ".claude/agents")
    assert res.exit_code == 1  # the exit code is the same as without --statistics
    ref = reference(".claude/agents")
    counts = Counter(d["code"] for d in ref)
    fixable = {d["code"] for d in ref if d["fix"]}
    names = {d["code"]: d["name"] for d in ref}
    lines = res.stdout.splitlines()
    rows = [line for line in lines if re.match(r"^\s*\d+\s+AL\d{3}\s", line)]
    assert len(rows) == len(counts)
    seen = {}
    for row in rows:
        m = re.match(r"^\s*(\d+)\s+(AL\d{3})\s+\[( |\*)\] (\S+)$", row)
        assert m, row
        seen[m.group(2)] = int(m.group(1))
        assert (m.group(3) == "*") == (m.group(2) in fixable)
        assert m.group(4) == names[m.group(2)]
    assert seen == dict(counts)
    assert [int(r.split()[0]) for r in rows] == sorted((int(r.split()[0]) for r in rows), reverse=True)
    assert counts["AL002"] == 2  # broken.md and the weird one
    assert lines[len(rows):] == ["[*] fixable with `agentlint check --fix`"]
    assert ".claude/agents/" not in res.stdout  # no per-diagnostic lines


def test_statistics_json_and_empty(project):
    res = check("--statistics", "--format", "json", ".claude/agents")
    rows = json.loads(res.stdout)
    assert {r["code"]: r["count"] for r in rows} == dict(Counter(d["code"] for d in reference(".claude/agents")))
    assert all(set(r) == {"code", "name", "count", "fixable"} for r in rows)
    assert next(r for r in rows if r["code"] == "AL004")["fixable"] is True
    assert next(r for r in rows if r["code"] == "AL002")["fixable"] is False
    clean = check("--statistics", ".claude/agents/good.md")
    assert (clean.exit_code, clean.stdout) == (0, "")
    assert json.loads(check("--statistics", "--format", "json", ".claude/agents/good.md").stdout) == []


def test_statistics_table_function_counts():
    a = Diagnostic("a.md", "AL002", "unclosed-frontmatter", Severity.ERROR, "m", Span(1, 1, 1, 2))
    b = Diagnostic("a.md", "AL011", "nonstandard-fence", Severity.WARNING, "m", Span(1, 1, 1, 2), fix=Fix("f", (Edit(0, 1, "x"),)))
    rows = statistics.table([FileResult("a.md", None, [a, b, b]), FileResult("b.md", None, [a])])
    assert rows == [
        {"code": "AL002", "name": "unclosed-frontmatter", "count": 2, "fixable": False},
        {"code": "AL011", "name": "nonstandard-fence", "count": 2, "fixable": True},
    ]


def test_every_format_handles_a_missing_path(project, sarif_validator):
    for fmt in ("github", "sarif", "junit", "json", "text"):
        res = check("--format", fmt, "no/such/file.md")
        assert res.exit_code == 1, (fmt, res.output)
        assert "AL015" in res.stdout
    assert_valid(sarif_validator, json.loads(check("--format", "sarif", "no/such/file.md").stdout))


# ---- --format json: the templated encoder against json.dumps -------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=()), max_size=30)  # controls, quotes, surrogates too
_EDITS = st.builds(Edit, st.integers(-5, 10**12), st.integers(0, 10**12), _TEXT, st.sampled_from(["text", "bom", "eol"]))
_FIXES = st.builds(Fix, _TEXT, st.lists(_EDITS, max_size=3).map(tuple), st.booleans())
_DIAGNOSTICS = st.builds(
    Diagnostic,
    _TEXT,
    st.sampled_from([r.code for r in ALL_RULES]),
    _TEXT,
    st.sampled_from(list(Severity)),
    _TEXT,
    st.builds(Span, st.integers(1, 10**9), st.integers(1, 10**9), st.integers(1, 10**9), st.integers(1, 10**9)),
    st.none() | _FIXES,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_DIAGNOSTICS, max_size=4))
def test_json_encoder_equals_json_dumps(diagnostics):
    objects = [d.to_json() for d in diagnostics]
    assert json_reporter.dumps(objects) == json.dumps(objects, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "odd",
    [
        {"path": "a.md"},  # another shape
        {**Diagnostic("a.md", "AL101", "n", Severity.ERROR, "m", Span(1, 1, 1, 2)).to_json(), "line": True},
        {**Diagnostic("a.md", "AL101", "n", Severity.ERROR, "m", Span(1, 1, 1, 2)).to_json(), "fix": 3},
        {**Diagnostic("a.md", "AL101", "n", Severity.ERROR, "m", Span(1, 1, 1, 2)).to_json(), "fix": {"message": "x", "applicability": "safe", "edits": [{"start": 1.5, "end": 2, "content": "", "kind": "text"}]}},
        {**Diagnostic("a.md", "AL101", "n", Severity.ERROR, "m", Span(1, 1, 1, 2)).to_json(), "fix": {"edits": [], "message": "x", "applicability": "safe"}},
        [1, 2],
    ],
)
def test_json_encoder_falls_back_to_json_dumps_on_another_shape(odd):
    good = Diagnostic("b.md", "AL102", "n", Severity.WARNING, "é\n\"", Span(2, 3, 2, 4)).to_json()
    objects = [good, odd, good]
    assert json_reporter.dumps(objects) == json.dumps(objects, indent=2, ensure_ascii=False)
    assert json_reporter.dumps([]) == "[]"
