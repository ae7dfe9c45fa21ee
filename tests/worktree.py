"""A copy of this checkout's current working tree, for tests that install agentlint from it
(the pre-commit hooks, the GitHub Action): what a user would get from this commit."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SKIP = {".git", "__pycache__", ".pytest_cache", ".venv", "venv", "build", "dist", ".benchmarks", ".hypothesis"}


def working_tree_files() -> list[str]:
    """Tracked and new files as they are now, less what .gitignore ignores."""
    try:
        res = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, timeout=60
        )
    except OSError:
        res = None
    if res is not None and res.returncode == 0:
        names = [n for n in os.fsdecode(res.stdout).split("\0") if n]
    else:  # not a git checkout (an unpacked sdist): the tree less the usual clutter
        names = []
        for d, dirs, files in os.walk(ROOT):
            dirs[:] = [x for x in dirs if x not in _SKIP and not x.endswith(".egg-info")]
            names.extend(os.path.relpath(os.path.join(d, f), ROOT) for f in files)
    return [n for n in names if (ROOT / n).is_file() and not set(Path(n).parts) & _SKIP]


def copy_working_tree(dest: Path) -> Path:
    for name in working_tree_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return dest
