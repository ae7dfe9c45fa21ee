"""Which agents Claude Code sees from a directory, under which id, and which one wins.

One module used everywhere (``agentlint list``/``show``/``run`` and the AL7xx rules), after
Claude Code 2.1.332 (``research/spec.md`` §1.1, §1.2, §1.8):

``project``
    ``.claude/agents/`` of the working directory and of every directory above it up to the
    repository root (the nearest directory holding ``.git``; outside a repository: up to the
    home directory, or to the file-system root when the working directory is not under home).
    The nearest definition wins a ``name`` clash.
``user``
    ``~/.claude/agents/`` (``$CLAUDE_CONFIG_DIR/agents/`` when that is set).
``plugin``
    The ``agents/`` folder of a plugin (a directory with ``.claude-plugin/plugin.json``), or the
    path(s) in the manifest's ``agents`` field, which replace it.  Plugins are the installed ones
    (``~/.claude/plugins/installed_plugins.json``; enabled unless a settings file sets
    ``enabledPlugins`` to false for them) and those inside the project (found at most four levels
    below its root, or listed with a relative source in ``.claude-plugin/marketplace.json``).
    Subfolders are part of the id: ``agents/review/security.md`` of plugin ``p`` is
    ``p:review:security``.  A plugin agent without a usable ``name`` (or whose YAML does not parse)
    still loads, under its file name (placeholder description ``Agent from <plugin> plugin``).
``local``
    ``agents/`` folders of the project (the working directory and its parents up to the root)
    that are not a plugin's.  Claude Code does not read them by itself; they are listed, linted
    and resolvable by name with the lowest precedence (a collection, a plugin in the making).

Every folder is scanned recursively; documentation files (README.md, …) are passed over, symlinked
folders are followed once (loops are cut) and unreadable folders are skipped (``files.walk_markdown``).
Precedence on an id clash: project (nearest first) > user > plugin > local; the loser's
``shadowed_by`` names the winner.  Two loaded agents with the same id under one scope root are
duplicates: Claude Code loads one of them, chosen by file-system order; here the first in path
order wins and the other's ``duplicate_of`` names it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from .files import SKIP_DIRS, first_visit, walk_markdown
from .load import LoadedAgent, load_agent, resolve_tools

SCOPES = ("project", "user", "plugin", "local")
SCOPE_RANK = {s: i for i, s in enumerate(SCOPES)}
PLUGIN_MANIFEST = os.path.join(".claude-plugin", "plugin.json")
MARKETPLACE_MANIFEST = os.path.join(".claude-plugin", "marketplace.json")
# How deep below the project root plugins are looked for, and how many folders at most.
PLUGIN_SEARCH_DEPTH = 4
PLUGIN_SEARCH_MAX_DIRS = 20_000
MAX_MANIFEST_BYTES = 1024 * 1024

# Skip reasons after which Claude Code still loads a plugin agent, under its file name.
_PLUGIN_FALLBACK_REASONS = (
    "no name (treated as documentation)",
    "frontmatter is not YAML, even after Claude Code's repair",
)


class AgentNotFound(LookupError):
    """No agent file at that path and no agent of that name; ``suggestions`` holds close names."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no agent named {name!r}{hint}")


# ---- places ----------------------------------------------------------------------------------

def config_dir(home: Optional[Path] = None) -> Path:
    """Claude Code's user folder: ``$CLAUDE_CONFIG_DIR``, else ``<home>/.claude``.

    An explicit ``home`` (tests, ``--home``) wins over the environment."""
    if home is not None:
        return Path(home) / ".claude"
    env = os.environ.get("CLAUDE_CONFIG_DIR")
    if env:
        return Path(os.path.expanduser(env))
    return _home() / ".claude"


def _home() -> Path:
    try:
        return Path.home()
    except (RuntimeError, KeyError):  # no HOME and no passwd entry
        return Path(os.sep)


def user_agents_dir(home: Optional[Path] = None) -> Path:
    return config_dir(home) / "agents"


def repo_root(start: Path) -> Optional[Path]:
    """The nearest directory at or above ``start`` holding ``.git`` (a folder, or a file for worktrees)."""
    for d in _ancestors(_abs(start)):
        if os.path.lexists(os.path.join(d, ".git")):
            return Path(d)
    return None


def project_dirs(cwd: Path, home: Optional[Path] = None) -> list[Path]:
    """The working directory and its parents whose ``.claude/agents`` Claude Code reads, nearest first."""
    cwd = _abs(cwd)
    root = repo_root(Path(cwd))
    stop: Optional[str]
    if root is not None:
        stop = str(root)
    else:
        h = _abs(Path(home) if home is not None else _home())
        stop = h if _is_under(cwd, h) else None
    out = []
    for d in _ancestors(cwd):
        out.append(Path(d))
        if stop is not None and d == stop:
            break
    return out


def _abs(p: "Path | str") -> str:
    return os.path.normpath(os.path.abspath(os.path.expanduser(str(p))))


def _ancestors(d: str) -> Iterable[str]:
    while True:
        yield d
        parent = os.path.dirname(d)
        if parent == d:
            return
        d = parent


def _is_under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _same_dir(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(a) == os.path.normcase(b)


# ---- plugins -----------------------------------------------------------------------------------

@dataclass
class Plugin:
    name: str
    root: Path
    agent_paths: list[Path]  # folders (scanned recursively) or single files
    source: str = "project"  # "project" | "installed"


def _read_json(path: str) -> Any:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_MANIFEST_BYTES:
        return None
    try:
        return json.loads(raw.decode("utf-8-sig", errors="replace"))
    except ValueError:
        return None


def _path_list(value: Any) -> Optional[list[str]]:
    if isinstance(value, str) and value.strip():
        return [value]
    if isinstance(value, list):
        items = [v for v in value if isinstance(v, str) and v.strip()]
        return items or None
    return None


def load_plugin(root: "Path | str", entry: Optional[dict] = None, source: str = "project") -> Optional[Plugin]:
    """The plugin at ``root`` (its manifest, or a marketplace ``entry`` standing in for it)."""
    root_s = _abs(root)
    manifest_path = os.path.join(root_s, PLUGIN_MANIFEST)
    manifest = _read_json(manifest_path)
    if not isinstance(manifest, dict):
        # An unreadable manifest still marks a plugin: it is named after its folder.
        manifest = {} if os.path.isfile(manifest_path) else None
    if manifest is None and entry is None:
        return None
    data: dict = dict(entry or {})
    data.update(manifest or {})
    if manifest is not None and "agents" not in manifest and entry and "agents" in entry:
        data["agents"] = entry["agents"]
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        name = os.path.basename(root_s)
    paths = _path_list(data.get("agents"))
    if paths is None:
        agent_paths = [Path(root_s, "agents")]
    else:
        agent_paths = [Path(os.path.normpath(os.path.join(root_s, os.path.expanduser(p)))) for p in paths]
    return Plugin(name=name.strip(), root=Path(root_s), agent_paths=agent_paths, source=source)


def _walk_dirs(root: str, max_depth: int, max_dirs: int) -> Iterable[str]:
    """Folders below ``root`` (itself included), breadth first, bounded, without loops."""
    seen: set[tuple[int, int]] = set()
    queue = deque([(root, 0)])
    count = 0
    while queue and count < max_dirs:
        d, depth = queue.popleft()
        if not first_visit(d, seen):
            continue
        count += 1
        yield d
        if depth >= max_depth:
            continue
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.name in SKIP_DIRS or e.name.startswith("."):
                continue
            try:
                if e.is_dir():
                    queue.append((e.path, depth + 1))
            except OSError:
                continue


def project_plugins(root: Path) -> list[Plugin]:
    """Plugins inside a project: ``.claude-plugin/plugin.json`` near the root, and the relative
    sources of a ``.claude-plugin/marketplace.json`` at the root."""
    root_s = _abs(root)
    found: dict[str, Plugin] = {}
    market = _read_json(os.path.join(root_s, MARKETPLACE_MANIFEST))
    if isinstance(market, dict) and isinstance(market.get("plugins"), list):
        for entry in market["plugins"]:
            if not isinstance(entry, dict):
                continue
            src = entry.get("source")
            if not isinstance(src, str) or not src.startswith("."):
                continue  # a git or URL source: not in this project
            proot = _abs(os.path.join(root_s, src))
            if not os.path.isdir(proot):
                continue
            plugin = load_plugin(proot, entry)
            if plugin is not None:
                found[proot] = plugin
    for d in _walk_dirs(root_s, PLUGIN_SEARCH_DEPTH, PLUGIN_SEARCH_MAX_DIRS):
        if d not in found and os.path.isfile(os.path.join(d, PLUGIN_MANIFEST)):
            plugin = load_plugin(d)
            if plugin is not None:
                found[d] = plugin
    return [found[k] for k in sorted(found)]


def _settings_enabled(paths: Iterable[str]) -> dict[str, bool]:
    enabled: dict[str, bool] = {}
    for p in paths:
        data = _read_json(p)
        if isinstance(data, dict) and isinstance(data.get("enabledPlugins"), dict):
            for k, v in data["enabledPlugins"].items():
                if isinstance(v, bool):
                    enabled[str(k)] = v
    return enabled


def installed_plugins(home: Optional[Path] = None, project_root: Optional[Path] = None) -> list[Plugin]:
    """Plugins installed in Claude Code's user folder and enabled for this project."""
    cfg = str(config_dir(home))
    data = _read_json(os.path.join(cfg, "plugins", "installed_plugins.json"))
    if not isinstance(data, dict) or not isinstance(data.get("plugins"), dict):
        return []
    settings = [os.path.join(cfg, "settings.json")]
    proj = _abs(project_root) if project_root is not None else None
    if proj is not None:
        settings += [os.path.join(proj, ".claude", "settings.json"), os.path.join(proj, ".claude", "settings.local.json")]
    enabled = _settings_enabled(settings)
    out: list[Plugin] = []
    for pid in sorted(data["plugins"]):
        if enabled.get(pid, True) is False:
            continue
        entries = data["plugins"][pid]
        entries = entries if isinstance(entries, list) else [entries]
        usable = []
        for e in entries:
            if not isinstance(e, dict) or not isinstance(e.get("installPath"), str):
                continue
            scope = e.get("scope", "user")
            if scope in ("project", "local"):
                pp = e.get("projectPath")
                if proj is None or not isinstance(pp, str) or _abs(pp) != proj:
                    continue
            usable.append(e)
        if not usable:
            continue
        best = max(usable, key=lambda e: str(e.get("lastUpdated", "")))
        plugin = load_plugin(best["installPath"], {"name": pid.split("@", 1)[0]}, source="installed")
        if plugin is not None and os.path.isdir(plugin.root):
            out.append(plugin)
    return out


# ---- placing one file ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Placement:
    """Where a file sits for Claude Code: its scope, the root of that scope, and its id namespace."""

    scope: str  # project | user | plugin | local
    root: Path  # the .claude/agents folder, the plugin's root, or the agents folder
    anchored: bool = True  # False: in no agents folder at all (root is then the file's folder)
    plugin: Optional[str] = None
    namespace: tuple[str, ...] = ()  # plugin subfolders between the agents path and the file

    def agent_id(self, name: Optional[str]) -> Optional[str]:
        if name is None:
            return None
        if self.plugin is None:
            return name
        return ":".join((self.plugin, *self.namespace, name))


class Placer:
    """Places files, with the folder look-ups cached (for thousands of files in one run)."""

    def __init__(self, home: Optional[Path] = None, plugins: Iterable[Plugin] = ()) -> None:
        self.user_dir = _abs(user_agents_dir(home))
        self._plugins: dict[str, Optional[Plugin]] = {}
        self._by_dir: dict[str, Placement] = {}
        for p in plugins:
            self._plugins[_abs(p.root)] = p

    def plugin_at(self, d: str) -> Optional[Plugin]:
        if d not in self._plugins:
            self._plugins[d] = load_plugin(d) if os.path.isfile(os.path.join(d, PLUGIN_MANIFEST)) else None
        return self._plugins[d]

    def _scope_of_claude_dir(self, d: str) -> str:
        return "user" if d == self.user_dir or _same_dir(d, self.user_dir) else "project"

    def place(self, path: "Path | str") -> Placement:
        return self.place_absolute(_abs(path))

    def place_absolute(self, path_s: str) -> Placement:
        """``place`` for a path that is already absolute and normalised (``os.path.abspath``
        of a path not starting with ``~``): spares a look-up of the working directory per file."""
        parent = os.path.dirname(path_s)
        hit = self._by_dir.get(parent)
        if hit is not None:
            return hit
        placement, by_file = self._place(path_s, parent)
        if not by_file:
            self._by_dir[parent] = placement
        return placement

    def _place(self, path_s: str, parent: str) -> tuple[Placement, bool]:
        """The placement, and whether it depends on the file itself (a manifest naming files)."""
        generic: Optional[str] = None
        by_file = False
        for d in _ancestors(parent):
            base = os.path.basename(d)
            if base == "agents" and os.path.basename(os.path.dirname(d)) == ".claude":
                return Placement(self._scope_of_claude_dir(d), Path(d)), by_file
            plugin = self.plugin_at(d)
            if plugin is not None:
                by_file = by_file or any(str(ap).lower().endswith(".md") for ap in plugin.agent_paths)
                where = _plugin_member(plugin, path_s)
                if where is not None:
                    return Placement("plugin", plugin.root, plugin=plugin.name, namespace=where), by_file
            if base == "agents" and generic is None:
                generic = d
        if generic is not None:
            return Placement("local", Path(generic)), by_file
        return Placement("local", Path(parent), anchored=False), by_file


def _plugin_member(plugin: Plugin, path_s: str) -> Optional[tuple[str, ...]]:
    """The id namespace of ``path_s`` in ``plugin`` (subfolders), or None when not one of its agents."""
    for ap in plugin.agent_paths:
        ap_s = _abs(ap)
        if path_s == ap_s:
            return ()
        if _is_under(path_s, ap_s) and path_s != ap_s:
            rel = os.path.relpath(os.path.dirname(path_s), ap_s)
            return () if rel == "." else tuple(rel.split(os.sep))
    return None


def place(path: "Path | str", home: Optional[Path] = None) -> Placement:
    return Placer(home).place(path)


# ---- what is found -----------------------------------------------------------------------------

@dataclass
class FoundAgent:
    path: Path
    scope: str
    scope_root: Path
    agent: LoadedAgent
    plugin: Optional[str] = None
    namespace: tuple[str, ...] = ()
    shadowed_by: Optional[Path] = None  # the file whose agent Claude Code uses for this id instead
    duplicate_of: Optional[Path] = None  # an earlier file of the same scope root with the same id
    fallback: Optional[str] = None  # why a plugin agent loads under its file name
    _fallback_fields: dict = field(default_factory=dict, repr=False)

    @property
    def loaded(self) -> bool:
        return self.agent.loaded or self.fallback is not None

    @property
    def active(self) -> bool:
        """Loaded and not shadowed: the definition Claude Code uses for this id."""
        return self.loaded and self.shadowed_by is None

    @property
    def name(self) -> Optional[str]:
        if self.fallback is not None:
            return self._fallback_fields.get("name")
        return self.agent.name

    @property
    def id(self) -> Optional[str]:
        name = self.name
        if name is None:
            return None
        return ":".join((self.plugin, *self.namespace, name)) if self.plugin else name

    @property
    def description(self) -> Optional[str]:
        if self.fallback is not None:
            return self._fallback_fields.get("description")
        return self.agent.description

    @property
    def tools(self) -> Optional[list[str]]:
        if self.fallback is not None:
            return self._fallback_fields.get("tools")
        return self.agent.tools

    @property
    def model(self) -> Optional[str]:
        return self.agent.model if self.fallback is None else self._fallback_fields.get("model")

    @property
    def skip_reason(self) -> Optional[str]:
        return None if self.loaded else self.agent.skip_reason


def make_found(path: "Path | str", placement: Placement, agent: Optional[LoadedAgent] = None) -> FoundAgent:
    agent = agent if agent is not None else load_agent(str(path))
    found = FoundAgent(
        path=Path(path), scope=placement.scope, scope_root=placement.root, agent=agent,
        plugin=placement.plugin, namespace=placement.namespace,
    )
    if placement.plugin is not None and not agent.loaded and agent.skip_reason in _PLUGIN_FALLBACK_REASONS:
        # Only a frontmatter that parsed has values; one that did not gives the placeholder.
        values = agent.fields if agent.fm is not None and agent.fm.loads else {}
        desc = values.get("description")
        desc = desc.replace("\\n", "\n") if isinstance(desc, str) else None
        tools, _ = resolve_tools(values)
        model = values.get("model") if isinstance(values.get("model"), str) else None
        found.fallback = agent.skip_reason
        found._fallback_fields = {
            "name": Path(path).stem,
            "description": desc or f"Agent from {placement.plugin} plugin",
            "tools": tools,
            "model": model,
        }
    return found


def find_agents(cwd: Path, home: Optional[Path] = None) -> list[FoundAgent]:
    """Every agent file Claude Code would look at from ``cwd``, in precedence order.

    Skipped files are included (``loaded`` false) so they can be reported; ``shadowed_by`` is set on
    loaded agents that lose an id clash."""
    cwd_s = _abs(cwd)
    root = repo_root(Path(cwd_s))
    project_root = str(root) if root is not None else cwd_s
    udir = _abs(user_agents_dir(home))
    plugins = project_plugins(Path(project_root)) + installed_plugins(home, Path(project_root))
    placer = Placer(home, plugins)
    found: list[FoundAgent] = []
    seen_roots: set[str] = set()

    def add_root(scope: str, scope_root: str, files: Iterable[str], plugin: Optional[Plugin] = None) -> None:
        for f in files:
            if plugin is not None:
                ns = _plugin_member(plugin, _abs(f))
                placement = Placement("plugin", plugin.root, plugin=plugin.name, namespace=ns or ())
            else:
                placement = Placement(scope, Path(scope_root))
            found.append(make_found(f, placement))

    # project: nearest first; a folder that is the user's own is the user scope
    for d in project_dirs(Path(cwd_s), home):
        adir = os.path.join(str(d), ".claude", "agents")
        if os.path.isdir(adir) and not _same_dir(adir, udir):
            key = os.path.realpath(adir)
            if key not in seen_roots:
                seen_roots.add(key)
                add_root("project", adir, walk_markdown(adir))
    if os.path.isdir(udir):
        seen_roots.add(os.path.realpath(udir))
        add_root("user", udir, walk_markdown(udir))
    plugin_agent_dirs: set[str] = set()
    for plugin in plugins:
        files: list[str] = []
        for ap in plugin.agent_paths:
            ap_s = str(ap)
            if os.path.isdir(ap_s):
                plugin_agent_dirs.add(os.path.realpath(ap_s))
                files.extend(walk_markdown(ap_s))
            elif os.path.isfile(ap_s) and ap_s.lower().endswith(".md"):
                files.append(ap_s)
        add_root("plugin", str(plugin.root), dict.fromkeys(files), plugin)
    # local: agents/ folders of the project that are not a plugin's
    for d in project_dirs(Path(cwd_s), home):
        adir = os.path.join(str(d), "agents")
        if not os.path.isdir(adir):
            continue
        key = os.path.realpath(adir)
        if key in plugin_agent_dirs or key in seen_roots:
            continue
        if placer.plugin_at(str(d)) is not None:
            continue
        seen_roots.add(key)
        add_root("local", adir, walk_markdown(adir))
    mark_shadowed(found)
    return found


def mark_shadowed(found: Sequence[FoundAgent]) -> None:
    """Set ``shadowed_by`` and ``duplicate_of``: the first loaded agent of an id, in precedence
    order, is the one in use; within one scope root, a later file with the same id is a duplicate
    of the first (Claude Code loads one of them, chosen by file-system order)."""
    winners: dict[str, FoundAgent] = {}
    firsts: dict[tuple[str, str, str], FoundAgent] = {}
    for fa in found:
        if not fa.loaded or fa.id is None:
            continue
        key = (fa.scope, _abs(fa.scope_root), fa.id)
        first = firsts.setdefault(key, fa)
        if first is not fa:
            fa.duplicate_of = first.path
        win = winners.setdefault(fa.id, fa)
        if win is not fa:
            fa.shadowed_by = win.path


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long, a NUL byte, no permission
        return False


# ---- by name -----------------------------------------------------------------------------------

_SEP = re.compile(r"[\s_\-]+")


def _loose(name: str) -> str:
    """Claude Code matches ``subagent_type`` ignoring case and separators (2.1.140)."""
    return _SEP.sub("-", name.strip().lower())


def resolve_agent(name_or_path: str, cwd: Path, home: Optional[Path] = None) -> Path:
    """The agent file meant by ``name_or_path``.

    An existing file wins (relative to ``cwd``).  Otherwise the name is matched against the agents
    found from ``cwd`` in Claude Code's precedence: exact id or name of a loaded agent, then the
    same ignoring case and separators; then a file Claude Code skips whose ``name`` or file name
    matches (so that its errors can be shown).  Raises :class:`AgentNotFound` with close names."""
    query = str(name_or_path)
    candidate = Path(os.path.expanduser(query))
    if not candidate.is_absolute():
        candidate = Path(cwd) / candidate
    if query.strip() and _is_file(candidate):
        return candidate
    found = find_agents(Path(cwd), home)
    active = [fa for fa in found if fa.active]
    for pick in (
        lambda fa: fa.id == query,
        lambda fa: fa.name == query,
        lambda fa: fa.id is not None and _loose(fa.id) == _loose(query),
        lambda fa: fa.name is not None and _loose(fa.name) == _loose(query),
    ):
        for fa in active:
            if pick(fa):
                return fa.path
    for fa in found:
        if not fa.loaded:
            raw = fa.agent.fields.get("name") if isinstance(fa.agent.fields, dict) else None
            if (isinstance(raw, str) and raw == query) or fa.path.stem == query:
                return fa.path
    choices: list[str] = []
    for fa in found:
        for c in (fa.id, fa.name):
            if c and c not in choices:
                choices.append(c)
    close = difflib.get_close_matches(query, choices, n=3, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[c] for c in difflib.get_close_matches(query.lower(), list(lowered), n=3, cutoff=0.6)]
    raise AgentNotFound(query, close)
