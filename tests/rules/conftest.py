from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _run_from_the_repository_root(monkeypatch):
    # Case files name paths relative to the repository (e.g. the plugin fixtures for AL505).
    monkeypatch.chdir(ROOT)
