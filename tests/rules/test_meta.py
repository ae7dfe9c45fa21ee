"""Every rule is documented, unique, and has failing and passing data cases."""

from pathlib import Path

import yaml

from agentlint.rules import ALL_RULES

CASES_DIR = Path(__file__).parent / "cases"


def _cases():
    out = {}
    for f in CASES_DIR.glob("*.yaml"):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        out.setdefault(data["rule"], []).extend(data["cases"])
        elsewhere = data.get("failing_cases_in")
        if elsewhere:
            # Cases that need a file system or several files live in a pytest module.
            path = Path(__file__).resolve().parents[2] / elsewhere
            assert path.is_file(), elsewhere
            assert data["rule"] in path.read_text(encoding="utf-8"), (elsewhere, data["rule"])
            out[data["rule"]].append({"expect": [{"in": elsewhere}]})
    return out


def test_codes_and_names_unique():
    codes = [r.code for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


def test_every_rule_documented():
    for r in ALL_RULES:
        doc = r.docs()
        assert "## What it does" in doc, r.code
        assert "## Why is this bad?" in doc, r.code
        assert r.summary, r.code


def test_every_rule_has_failing_and_passing_cases():
    cases = _cases()
    for r in ALL_RULES:
        assert r.code in cases, f"{r.code} has no case file in tests/rules/cases"
        assert any(c.get("expect") for c in cases[r.code]), f"{r.code} has no failing case"
        assert any(not c.get("expect") for c in cases[r.code]), f"{r.code} has no passing case"


def test_catalogue_codes_all_implemented():
    catalogue = Path(__file__).resolve().parents[3] / "shared" / "spec" / "rules.md"
    if not catalogue.exists():
        import pytest

        pytest.skip("catalogue not present")
    import re

    wanted = set(re.findall(r"^\| (AL\d{3}) \|", catalogue.read_text(), re.M))
    have = {r.code for r in ALL_RULES}
    assert wanted <= have, sorted(wanted - have)
