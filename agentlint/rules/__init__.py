"""The rule registry: every rule class, by code.

Rules live by family, one small class each: ``file`` (AL0xx), ``name`` (AL1xx),
``description`` (AL2xx), ``settings`` (AL3xx), ``tools`` (AL4xx), ``keys`` (AL5xx),
``body`` (AL6xx), ``project`` (AL7xx) and ``meta`` (AL9xx).
"""

from __future__ import annotations

from typing import Optional

from . import body, description, file, keys, meta, name, project, settings, tools
from .base import Rule

_MODULES = (file, name, description, settings, tools, keys, body, project, meta)

ALL_RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            obj
            for mod in _MODULES
            for obj in vars(mod).values()
            if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == mod.__name__ and "code" in vars(obj)
        ),
        key=lambda r: r.code,
    )
)
BY_CODE = {r.code: r for r in ALL_RULES}
BY_NAME = {r.name: r for r in ALL_RULES}


def get(code_or_name: str) -> Optional[type[Rule]]:
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())
