"""Configuration: ``.agentlint.toml`` or ``[tool.agentlint]`` in ``pyproject.toml``.

The nearest file above the starting directory wins (``.agentlint.toml`` before
``pyproject.toml`` in the same directory).  Keys::

    select = ["AL"]                 # code prefixes to enable (default: all)
    ignore = ["AL103"]              # code prefixes to disable (longest prefix wins)
    extend-select / extend-ignore   # added to the above
    per-file-ignores = { "agents/legacy/*.md" = ["AL4"] }
    severity = { AL103 = "warning" }
    extra-tools = ["mcp__corp__*", "CorpTool"]
    extra-models = ["gateway/sonnet"]
    [rules.AL203]                   # per-rule options, see `agentlint rule CODE`
    max-length = 1500
"""

from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from .diagnostics import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(Exception):
    pass


@dataclass
class Config:
    select: list[str] = field(default_factory=lambda: ["AL"])
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    extra_tools: list[str] = field(default_factory=list)
    extra_models: list[str] = field(default_factory=list)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Optional[str] = None
    root: Optional[str] = None  # directory of the config file: per-file-ignores are relative to it

    # ---- selection -----------------------------------------------------------
    def enabled(self, code: str, name: str = "") -> bool:
        best_sel = max((len(p) for p in self.select if _matches(p, code, name)), default=-1)
        best_ign = max((len(p) for p in self.ignore if _matches(p, code, name)), default=-1)
        return best_sel >= 0 and best_sel > best_ign

    def ignored_for(self, path: str, code: str, name: str = "") -> bool:
        if not self.per_file_ignores:
            return False
        rel = path
        if self.root:
            try:
                rel = os.path.relpath(os.path.abspath(path), self.root)
            except ValueError:
                rel = path
        rel = rel.replace(os.sep, "/")
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(os.path.basename(rel), pattern):
                if any(_matches(p, code, name) for p in codes):
                    return True
        return False

    def option(self, code: str, key: str, default: Any) -> Any:
        opts = self.rules.get(code, {})
        return opts.get(key, default)

    def with_cli(self, select: Iterable[str] = (), ignore: Iterable[str] = (), extend_select: Iterable[str] = ()) -> "Config":
        select, ignore, extend_select = list(select), list(ignore), list(extend_select)
        if select:
            self.select = select
        self.select = self.select + extend_select
        self.ignore = self.ignore + ignore
        return self


def _matches(prefix: str, code: str, name: str) -> bool:
    prefix = prefix.strip()
    if prefix in ("ALL", "AL"):
        return True
    return code.startswith(prefix.upper()) or (bool(name) and prefix == name)


def _codes(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"`{key}` must be a list of rule codes")


def from_mapping(data: dict[str, Any], source: Optional[str] = None) -> Config:
    cfg = Config(source=source, root=str(Path(source).parent) if source else None)
    data = {k.replace("_", "-"): v for k, v in data.items()}
    known = {"select", "ignore", "extend-select", "extend-ignore", "per-file-ignores", "severity",
             "extra-tools", "extra-models", "rules", "run"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"unknown configuration key(s): {', '.join(unknown)}")
    if "select" in data:
        cfg.select = _codes(data["select"], "select")
    cfg.select += _codes(data.get("extend-select", []), "extend-select")
    cfg.ignore = _codes(data.get("ignore", []), "ignore") + _codes(data.get("extend-ignore", []), "extend-ignore")
    pfi = data.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError("`per-file-ignores` must be a table of glob = [codes]")
    cfg.per_file_ignores = {k: _codes(v, f"per-file-ignores.{k}") for k, v in pfi.items()}
    sev = data.get("severity", {})
    if not isinstance(sev, dict):
        raise ConfigError("`severity` must be a table of CODE = \"error\"|\"warning\"|\"info\"")
    for code, level in sev.items():
        try:
            cfg.severity[code.upper()] = Severity(str(level).lower())
        except ValueError:
            raise ConfigError(f"severity for {code} must be error, warning or info, not {level!r}") from None
    cfg.extra_tools = _codes(data.get("extra-tools", []), "extra-tools")
    cfg.extra_models = _codes(data.get("extra-models", []), "extra-models")
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise ConfigError("`rules` must be a table of CODE = { option = value }")
    cfg.rules = {k.upper(): {o.replace("_", "-"): v for o, v in opts.items()} for k, opts in rules.items()}
    return cfg


def find_config_file(start: Path) -> Optional[Path]:
    start = start if start.is_dir() else start.parent
    for d in [start, *start.parents]:
        own = d / ".agentlint.toml"
        if own.is_file():
            return own
        py = d / "pyproject.toml"
        if py.is_file():
            try:
                data = tomllib.loads(py.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "agentlint" in data.get("tool", {}):
                return py
        if (d / ".git").exists():
            break
    return None


def load_config(path: Optional[Path] = None, start: Optional[Path] = None, isolated: bool = False) -> Config:
    if isolated:
        return Config()
    if path is None:
        path = find_config_file((start or Path.cwd()).resolve())
        if path is None:
            return Config()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if Path(path).name == "pyproject.toml":
        data = data.get("tool", {}).get("agentlint", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.agentlint] must be a table")
    return from_mapping(data, str(Path(path).resolve()))
