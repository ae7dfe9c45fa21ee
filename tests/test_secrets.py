"""Secrets (AL605): what counts as one, and that no output ever carries it."""

from __future__ import annotations

import json
import random
import string

import pytest
from click.testing import CliRunner

from agentlint import secrets
from agentlint.cli import cli
from agentlint.engine import lint_text

_ALNUM = string.ascii_letters + string.digits


def _random(n: int, alphabet: str = _ALNUM, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(n))


# Fake but realistic credentials, built at run time so that no literal key sits in the repository.
ANTHROPIC = "sk-ant-" + "api03-" + _random(93) + "AA"
GITHUB = "gh" + "p_" + _random(36, seed=8)
AWS_ID = "AK" + "IA" + _random(16, string.ascii_uppercase + string.digits, seed=9)
PEM_LINES = [_random(64, _ALNUM + "+/", seed=s) for s in (10, 11, 12)]
PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(PEM_LINES) + "\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"


def _agent(body: str, description: str = "Calls the API. Use for API tasks.") -> str:
    return f"---\nname: caller\ndescription: {description}\n---\n{body}"


# ---- what is a secret ----------------------------------------------------------------------------

@pytest.mark.parametrize("secret", [ANTHROPIC, GITHUB, AWS_ID, "sk-" + "proj-" + _random(80, seed=3), "github_pat_" + _random(22) + "_" + _random(59, seed=4)])
def test_realistic_keys_are_found(secret):
    text = f"key: {secret} end"
    found = secrets.find(text)
    assert [(s.start, s.end) for s in found] == [(5, 5 + len(secret))]


@pytest.mark.parametrize(
    "text",
    [
        "sk-ant-xxxx", "sk-...", "sk-ant-api03-...", "YOUR_API_KEY", "ghp_your_token_here",
        "AKIAIOSFODNN7EXAMPLE", "sk-ant-api03-" + "x" * 95, "sk-ant-api03-" + "YOUR_KEY_HERE" * 8,
        "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789", "sk-" + "a1" * 24,
        "risk-" + _random(40), "task-" + _random(40), "desk_" + _random(40),
        "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
    ],
)
def test_placeholders_are_not_secrets(text):
    assert secrets.find(f"value {text} end") == []


def test_key_glued_to_a_word_is_not_a_match():
    assert secrets.find("xsk-" + _random(48)) == []


def test_private_key_block_masks_every_line_of_key_material():
    text = "before\n" + PEM
    found = secrets.find(text)
    assert len(found) == 1
    s = found[0]
    assert text[s.report_start:s.report_end] == "-----BEGIN OPENSSH PRIVATE KEY-----"
    for line_no, line in enumerate(text.split("\n")):
        start = sum(len(x) + 1 for x in text.split("\n")[:line_no])
        masked = secrets.mask(line, start, found)
        assert len(masked) == len(line)
        for material in PEM_LINES + ["AAAA"]:
            assert material not in masked


def test_redacted_form_shows_only_the_public_prefix_and_length():
    text = f"x {ANTHROPIC}"
    (s,) = secrets.find(text)
    assert s.redacted(text) == f"sk-ant-api03-… ({len(ANTHROPIC)} characters)"
    assert secrets.mask(text, 0, [s]) == "x sk-ant-api03-" + "*" * (len(ANTHROPIC) - 13)


def test_huge_and_odd_text_does_not_crash():
    assert secrets.find("sk-" * 100_000) == []
    assert secrets.find("-----BEGIN PRIVATE KEY-----" * 1000) == []
    assert secrets.find("\x00\ufffd" * 1000 + "ghp_") == []


# ---- no output carries it ---------------------------------------------------------------------------

def _all_text(diags) -> str:
    out = []
    for d in diags:
        out += [d.message, d.source_line or "", json.dumps(d.to_json(), ensure_ascii=False)]
    return "\n".join(out)


def test_diagnostics_never_carry_the_secret():
    # The key sits on a description line that other rules also report on (AL004 would quote
    # the whole value in its fix), and in a tools entry that AL401 names in its message.
    content = (
        "---\nname: caller\n"
        f"description: Calls the API: use key {ANTHROPIC} for it\n"
        f"tools: Read, {GITHUB}\n---\n"
        f"Use {AWS_ID} to deploy.\n{PEM}"
    )
    diags = lint_text(content)
    al605 = [d for d in diags if d.code == "AL605"]
    assert len(al605) == 4
    others = [d for d in diags if d.code != "AL605"]
    assert any(d.span.line == 3 for d in others)  # another rule reports on the key's line
    assert any(d.code == "AL401" for d in others)
    assert any(d.code == "AL004" and d.fix is None for d in others)  # its fix would carry the key
    text = _all_text(diags)
    for secret in (ANTHROPIC, GITHUB, AWS_ID, *PEM_LINES):
        assert secret not in text
    for d in al605:
        if "private key" in d.message:
            assert d.source_line == "-----BEGIN OPENSSH PRIVATE KEY-----"  # the header is no secret
        else:
            assert d.source_line is not None and "*" * 10 in d.source_line


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "diff"])
def test_cli_output_never_contains_the_secret(tmp_path, fmt):
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "caller.md").write_text(
        _agent(f"Call the API with {ANTHROPIC} and push with {GITHUB}.\n{PEM}", "Calls the API: use it for API tasks."),
        encoding="utf-8",
    )
    args = ["--diff"] if fmt == "diff" else ["--format", fmt]
    result = CliRunner().invoke(cli, ["check", "--isolated", *args, str(agents / "caller.md")])
    assert result.exit_code == 1, result.output
    out = result.output
    if fmt == "diff":  # the diff (quoting the description) has the key's line as context
        assert out.startswith("--- a/") and "+description:" in out
        for secret in (ANTHROPIC, GITHUB, *PEM_LINES):
            assert secret not in out
        return
    assert "AL605" in out
    if fmt in ("sarif", "github", "junit"):
        for secret in (ANTHROPIC, GITHUB, *PEM_LINES):
            assert secret not in out
        return
    for secret in (ANTHROPIC, GITHUB, *PEM_LINES):
        assert secret not in out
    # Not even a long fragment of it.
    assert ANTHROPIC[13:40] not in out and GITHUB[4:30] not in out
    if fmt == "json":
        data = json.loads(out)
        assert sum(d["code"] == "AL605" for d in data) == 3
        assert all(d["fix"] is None or ANTHROPIC not in json.dumps(d["fix"]) for d in data)
    else:
        assert "sk-ant-api03-… (108 characters)" in out
        assert "sk-ant-api03-****" in out  # the code frame shows the masked line
