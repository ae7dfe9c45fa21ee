from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "claude").is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture(autouse=True)
def _not_on_github_actions(monkeypatch):
    # `check` picks the github format by default there; tests ask for formats explicitly.
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def repo_and_home(tmp_path, monkeypatch):
    """A git repository and an empty home, both under tmp_path; HOME points at that home."""
    home = tmp_path / "home"
    home.mkdir()
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    return repo, home
