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
