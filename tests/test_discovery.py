"""Discovery: Claude Code's scopes, ids and precedence; resolving an agent by name or path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agentlint import discovery
from agentlint.discovery import AgentNotFound, Placer, find_agents, resolve_agent


def agent(name: str | None, description: str | None = "Does things. Use when asked.", extra: str = "", body: str = "You help.\n") -> str:
    lines = ["---"]
    if name is not None:
        lines.append(f"name: {name}")
    if description is not None:
        lines.append(f"description: {description}")
    if extra:
        lines.append(extra.rstrip("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def env(repo_and_home):
    return repo_and_home


def by_path(found):
    return {fa.path.resolve(): fa for fa in found}


# ---- scopes and precedence -------------------------------------------------------------------


def test_project_walks_up_to_the_repository_root_and_the_nearest_wins(env, tmp_path):
    repo, home = env
    outer = write(tmp_path / ".claude" / "agents" / "outside.md", agent("outside"))  # above the repo root
    top = write(repo / ".claude" / "agents" / "reviewer.md", agent("reviewer", "Top level reviewer."))
    near = write(repo / "pkg" / ".claude" / "agents" / "reviewer.md", agent("reviewer", "Package reviewer."))
    only_top = write(repo / ".claude" / "agents" / "writer.md", agent("writer"))
    cwd = repo / "pkg" / "src"
    cwd.mkdir(parents=True)
    found = find_agents(cwd, home)
    paths = [fa.path.resolve() for fa in found]
    assert paths == [near.resolve(), top.resolve(), only_top.resolve()]
    assert outer.resolve() not in paths
    got = by_path(found)
    assert got[near.resolve()].scope == "project" and got[near.resolve()].shadowed_by is None
    assert got[top.resolve()].shadowed_by.resolve() == near.resolve()
    assert got[top.resolve()].duplicate_of is None  # a different .claude/agents folder: precedence
    assert got[only_top.resolve()].active
    assert got[near.resolve()].scope_root.resolve() == (repo / "pkg" / ".claude" / "agents").resolve()


def test_user_scope_and_project_precedence(env):
    repo, home = env
    proj = write(repo / ".claude" / "agents" / "reviewer.md", agent("reviewer"))
    user = write(home / ".claude" / "agents" / "reviewer.md", agent("reviewer", "Mine."))
    helper = write(home / ".claude" / "agents" / "helper.md", agent("helper", extra="model: haiku"))
    found = by_path(find_agents(repo, home))
    assert found[user.resolve()].scope == "user"
    assert found[user.resolve()].shadowed_by.resolve() == proj.resolve()
    assert found[helper.resolve()].active and found[helper.resolve()].model == "haiku"
    assert found[proj.resolve()].active


def test_home_from_the_environment_and_claude_config_dir(env, monkeypatch, tmp_path):
    repo, home = env
    write(home / ".claude" / "agents" / "from-home.md", agent("from-home"))
    assert [fa.name for fa in find_agents(repo)] == ["from-home"]  # HOME, no explicit home
    cfg = tmp_path / "cfg"
    write(cfg / "agents" / "from-config-dir.md", agent("from-config-dir"))
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(cfg))
    found = find_agents(repo)
    assert [(fa.name, fa.scope) for fa in found] == [("from-config-dir", "user")]
    # an explicit home wins over the environment
    assert [fa.name for fa in find_agents(repo, home)] == ["from-home"]


def test_running_in_home_lists_the_user_folder_once_as_user(env):
    _, home = env
    (home / ".git").mkdir()
    write(home / ".claude" / "agents" / "mine.md", agent("mine"))
    found = find_agents(home, home)
    assert [(fa.name, fa.scope) for fa in found] == [("mine", "user")]


def test_recursive_doc_files_and_skipped_files(env):
    repo, home = env
    deep = write(repo / ".claude" / "agents" / "team" / "backend" / "deep.md", agent("deep"))
    write(repo / ".claude" / "agents" / "README.md", "# Our agents\n")
    write(repo / ".claude" / "agents" / "team" / "CHANGELOG.md", "# Changes\n")
    skipped = write(repo / ".claude" / "agents" / "notes.md", "# Just notes\n")
    found = find_agents(repo, home)
    assert sorted(fa.path.name for fa in found) == ["deep.md", "notes.md"]
    got = by_path(found)
    assert got[deep.resolve()].loaded and got[deep.resolve()].id == "deep"  # subfolders do not change the id
    assert not got[skipped.resolve()].loaded
    assert got[skipped.resolve()].skip_reason == "no frontmatter"
    assert got[skipped.resolve()].name is None and not got[skipped.resolve()].active


def test_duplicates_within_one_folder(env):
    repo, home = env
    a = write(repo / ".claude" / "agents" / "a.md", agent("reviewer"))
    b = write(repo / ".claude" / "agents" / "sub" / "b.md", agent("reviewer", "Another one."))
    got = by_path(find_agents(repo, home))
    assert got[a.resolve()].active and got[a.resolve()].duplicate_of is None
    assert got[b.resolve()].duplicate_of.resolve() == a.resolve()
    assert got[b.resolve()].shadowed_by.resolve() == a.resolve()


def test_symlink_loop_and_unreadable_folder(env, monkeypatch):
    repo, home = env
    agents = repo / ".claude" / "agents"
    write(agents / "a.md", agent("a"))
    write(agents / "locked" / "hidden.md", agent("hidden"))
    os.symlink(agents, agents / "loop")  # agents/loop -> agents
    os.symlink(agents / "nowhere", agents / "dangling")  # a broken folder link
    real_scandir = os.scandir
    locked = str(agents / "locked")

    def scandir(path="."):
        if os.path.abspath(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = find_agents(repo, home)
    assert [fa.name for fa in found] == ["a"]


# ---- plugins -------------------------------------------------------------------------------------


def test_project_plugin_ids_carry_subfolders_and_fall_back_to_the_file_name(env):
    repo, home = env
    plugin = repo / "plugins" / "kit"
    write(plugin / ".claude-plugin" / "plugin.json", json.dumps({"name": "tool-kit"}))
    write(plugin / "agents" / "checker.md", agent("checker"))
    write(plugin / "agents" / "review" / "checker.md", agent("checker", "Checks reviews."))
    write(plugin / "agents" / "nameless.md", agent(None, "Has no name."))
    write(plugin / "agents" / "broken-yaml.md", "---\nname: x\ndescription: a: b\n  c: d\n---\nBody\n")
    found = {fa.path.relative_to(plugin).as_posix(): fa for fa in find_agents(repo, home)}
    assert found["agents/checker.md"].id == "tool-kit:checker"
    assert found["agents/review/checker.md"].id == "tool-kit:review:checker"
    assert found["agents/review/checker.md"].namespace == ("review",)
    assert all(fa.scope == "plugin" and fa.plugin == "tool-kit" and fa.active for fa in found.values())
    nameless = found["agents/nameless.md"]
    assert nameless.fallback and nameless.name == "nameless" and nameless.id == "tool-kit:nameless"
    assert nameless.description == "Has no name."
    broken = found["agents/broken-yaml.md"]
    assert broken.loaded and broken.id == "tool-kit:broken-yaml"
    assert broken.description == "Agent from tool-kit plugin"
    assert not broken.agent.loaded  # as a project agent Claude Code would skip it


def test_manifest_agents_paths_replace_the_default_folder(env):
    repo, home = env
    write(repo / ".claude-plugin" / "plugin.json", json.dumps({"name": "me", "agents": ["./custom/", "./extra/solo.md"]}))
    write(repo / "agents" / "ignored.md", agent("ignored"))
    write(repo / "custom" / "deep" / "one.md", agent("one"))
    write(repo / "extra" / "solo.md", agent("solo"))
    write(repo / "extra" / "other.md", agent("other"))
    found = find_agents(repo, home)
    assert sorted(fa.id for fa in found) == ["me:deep:one", "me:solo"]


def test_installed_plugins_and_enabled_setting(env):
    repo, home = env
    cache = home / ".claude" / "plugins" / "cache" / "market"
    on = cache / "good" / "1.0.0"
    off = cache / "bad" / "2.0.0"
    other_project = cache / "elsewhere" / "1.0.0"
    for root, name in ((on, "good"), (off, "bad"), (other_project, "elsewhere")):
        write(root / ".claude-plugin" / "plugin.json", json.dumps({"name": name}))
        write(root / "agents" / f"{name}-agent.md", agent(f"{name}-agent"))
    installed = {
        "version": 2,
        "plugins": {
            "good@market": [{"scope": "user", "installPath": str(on), "version": "1.0.0", "lastUpdated": "2026-01-01"}],
            "bad@market": [{"scope": "user", "installPath": str(off), "version": "2.0.0"}],
            "elsewhere@market": [{"scope": "project", "projectPath": "/some/other/project", "installPath": str(other_project)}],
            "missing@market": [{"scope": "user", "installPath": str(cache / "gone")}],
            "junk@market": "not a list",
        },
    }
    write(home / ".claude" / "plugins" / "installed_plugins.json", json.dumps(installed))
    write(repo / ".claude" / "settings.json", json.dumps({"enabledPlugins": {"bad@market": False}}))
    found = find_agents(repo, home)
    assert [(fa.id, fa.scope) for fa in found] == [("good:good-agent", "plugin")]


def test_marketplace_sources(env):
    repo, home = env
    write(repo / ".claude-plugin" / "marketplace.json", json.dumps({
        "name": "market",
        "plugins": [
            {"name": "inline", "source": "./tools/inline", "agents": "./bots"},
            {"name": "remote", "source": {"source": "github", "repo": "x/y"}},
        ],
    }))
    write(repo / "tools" / "inline" / "bots" / "bot.md", agent("bot"))
    found = find_agents(repo, home)
    assert [(fa.id, fa.scope) for fa in found] == [("inline:bot", "plugin")]


def test_local_agents_folder_has_the_lowest_precedence(env):
    repo, home = env
    local = write(repo / "agents" / "reviewer.md", agent("reviewer", "Collection copy."))
    solo = write(repo / "agents" / "lone.md", agent("lone"))
    proj = write(repo / ".claude" / "agents" / "reviewer.md", agent("reviewer"))
    found = find_agents(repo, home)
    assert [fa.scope for fa in found] == ["project", "local", "local"]
    got = by_path(found)
    assert got[local.resolve()].shadowed_by.resolve() == proj.resolve()
    assert got[solo.resolve()].active and got[solo.resolve()].scope_root.name == "agents"


def test_nothing_found(env):
    repo, home = env
    assert find_agents(repo, home) == []


# ---- placing one file ------------------------------------------------------------------------------


def test_placer(env, tmp_path):
    repo, home = env
    write(repo / "plug" / ".claude-plugin" / "plugin.json", "{not json")  # a broken manifest: the folder name
    placer = Placer(home)
    p = placer.place(repo / ".claude" / "agents" / "a" / "b.md")
    assert (p.scope, p.root, p.anchored) == ("project", repo / ".claude" / "agents", True)
    p = placer.place(home / ".claude" / "agents" / "b.md")
    assert p.scope == "user"
    p = placer.place(repo / "plug" / "agents" / "x" / "y" / "z.md")
    assert (p.scope, p.plugin, p.namespace) == ("plugin", "plug", ("x", "y"))
    assert p.agent_id("z") == "plug:x:y:z"
    p = placer.place(repo / "plug" / "docs" / "z.md")  # in the plugin, not one of its agents
    assert (p.scope, p.anchored) == ("local", False)
    p = placer.place(repo / "collection" / "agents" / "deep" / "z.md")
    assert (p.scope, p.root, p.anchored) == ("local", repo / "collection" / "agents", True)
    p = placer.place("relative/file.md")
    assert not p.anchored and p.root == Path(os.path.abspath("relative"))
    assert p.agent_id(None) is None


# ---- resolving --------------------------------------------------------------------------------------


def test_resolve_by_name_path_and_loose_match(env, monkeypatch):
    repo, home = env
    near = write(repo / "pkg" / ".claude" / "agents" / "reviewer.md", agent("code-reviewer"))
    write(repo / ".claude" / "agents" / "reviewer.md", agent("code-reviewer", "Far."))
    plugin = repo / "plugins" / "kit"
    write(plugin / ".claude-plugin" / "plugin.json", json.dumps({"name": "kit"}))
    sec = write(plugin / "agents" / "review" / "sec.md", agent("sec"))
    broken = write(repo / ".claude" / "agents" / "broken.md", "---\nname: broken\ndescription: never closed\n")
    named_file = write(repo / "pkg" / "code-reviewer", "a file named like the agent\n")
    cwd = repo / "pkg"
    assert resolve_agent("code-reviewer", cwd, home) == named_file  # an existing path wins
    named_file.unlink()
    assert resolve_agent("code-reviewer", cwd, home).resolve() == near.resolve()
    assert resolve_agent("Code Reviewer", cwd, home).resolve() == near.resolve()  # case and separators
    assert resolve_agent("code_reviewer", cwd, home).resolve() == near.resolve()
    assert resolve_agent("kit:review:sec", cwd, home).resolve() == sec.resolve()
    assert resolve_agent("sec", cwd, home).resolve() == sec.resolve()  # the bare name of a plugin agent
    assert resolve_agent("broken", cwd, home).resolve() == broken.resolve()  # skipped, but named so
    assert resolve_agent(str(broken), Path("/"), home) == broken  # an absolute path
    assert resolve_agent("../.claude/agents/broken.md", cwd, home) == cwd / "../.claude/agents/broken.md"
    monkeypatch.chdir(cwd)
    assert resolve_agent("code-reviewer", Path.cwd()).resolve() == near.resolve()  # HOME from the environment


def test_resolve_not_found_with_suggestions(env):
    repo, home = env
    write(repo / ".claude" / "agents" / "reviewer.md", agent("code-reviewer"))
    write(repo / ".claude" / "agents" / "writer.md", agent("doc-writer"))
    with pytest.raises(AgentNotFound) as info:
        resolve_agent("code-reviwer", repo, home)
    assert info.value.name == "code-reviwer"
    assert info.value.suggestions == ["code-reviewer"]
    assert "did you mean code-reviewer" in str(info.value)
    with pytest.raises(AgentNotFound) as info:
        resolve_agent("zzz", repo, home)
    assert info.value.suggestions == []
    for odd in ("", "   ", "a\x00b", "../" * 50, "x" * 5000):
        with pytest.raises(AgentNotFound):
            resolve_agent(odd, repo, home)


def test_agent_not_found_is_a_lookup_error():
    exc = AgentNotFound("x", ("y",))
    assert isinstance(exc, LookupError) and exc.suggestions == ["y"] and exc.name == "x"


def test_project_dirs_without_a_repository_stop_at_home(tmp_path):
    home = tmp_path / "home"
    cwd = home / "a" / "b"
    cwd.mkdir(parents=True)
    dirs = discovery.project_dirs(cwd, home)
    assert dirs == [cwd, home / "a", home]
