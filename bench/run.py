"""Benchmark agentlint against a bare floor and against agnix, side by side in one run.

    python3 bench/run.py                    # 5 rounds, the corpus and 10,000 generated agents
    python3 bench/run.py --rounds 3 --files 2000 --no-agnix
    python3 bench/run.py floor DIR...       # the floor alone (what the benchmark times)
    python3 bench/run.py importtime [FILE]  # what a one-file `agentlint check` imports
    python3 bench/run.py generate N         # only write the generated tree

Every command runs once per round, in an order that rotates from round to round, and the
table reports the median of the rounds (and the fastest).  See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
CORPUS = ROOT.parent / "shared" / "corpus"
PY = sys.executable
# Installed packages are byte-compiled; a working tree under PYTHONDONTWRITEBYTECODE=1 is not,
# and would compile every module on every run.  The benchmark caches bytecode out of the tree.
ENV = dict(os.environ)
GENERATOR_VERSION = "1"
# The two agnix rules that compare every pair of agents (description budget, duplicate names).
AGNIX_PROJECT_RULES = ("CC-AG-021", "CC-AG-023")
HEAVY_MODULES = ("agentlint.runtime", "anthropic", "openai", "pydantic", "jsonschema", "markdown_it", "httpx")

# ---- the floor ---------------------------------------------------------------------------------

_OPEN = re.compile(r"---\s*\n")


def floor(paths: list[str]) -> int:
    """Read every *.md file, split the frontmatter as Claude Code does, parse it with PyYAML's
    C loader, nothing else.  Returns the number of files read."""
    import yaml

    loader = yaml.CSafeLoader
    n = 0
    for top in paths:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(".md"):
                    continue
                n += 1
                with open(os.path.join(dirpath, name), "rb") as fh:
                    text = fh.read().decode("utf-8", "replace").lstrip("\ufeff")
                m = _OPEN.match(text)
                if not m:
                    continue
                end = text.find("---", m.end())
                if end < 0:
                    continue
                try:
                    yaml.load(text[m.end() : end], Loader=loader)
                except yaml.YAMLError:
                    pass
    return n


# ---- the generated tree ------------------------------------------------------------------------

WORDS = (
    "api database schema migration cache queue latency review security audit frontend backend "
    "kubernetes terraform docker pipeline testing coverage refactor performance profiling logging "
    "metrics tracing incident postmortem accessibility design tokens component state router "
    "payments billing invoice compliance privacy encryption secrets rotation deployment rollback "
    "python typescript rust golang java kotlin swift sql graphql grpc websocket streaming batch "
    "analytics dashboard report forecast pricing onboarding documentation tutorial changelog release"
).split()
ROLES = ("reviewer", "expert", "architect", "engineer", "specialist", "auditor", "writer", "tester", "planner", "debugger")
TOOLS = ("Read", "Grep", "Glob", "Bash", "Edit", "Write", "WebFetch", "WebSearch", "TodoWrite", "NotebookEdit")
MODELS = ("sonnet", "opus", "haiku", "inherit")
COLORS = ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan")
# (defect, weight): 56 % clean, the rest one defect each, as in research/peers.md §9.
DEFECTS = (
    ("clean", 56), ("no-name", 3), ("no-description", 3), ("bad-model", 4), ("bad-color", 3),
    ("bad-tool", 3), ("bad-yaml", 3), ("unquoted-colon", 5), ("crlf", 4), ("bom", 4),
    ("name-not-file", 4), ("upper-name", 3), ("unknown-key", 4), ("duplicate-name", 1), ("near-copy", 1),
)


def _sentence(rng: random.Random, lo: int = 6, hi: int = 16) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random) -> str:
    parts = [f"You are a senior {rng.choice(WORDS)} {rng.choice(ROLES)}. {_sentence(rng)}"]
    for _ in range(rng.randint(2, 12)):
        parts.append(f"## {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}")
        kind = rng.random()
        if kind < 0.45:
            parts.append("\n".join(f"- {_sentence(rng, 4, 10)}" for _ in range(rng.randint(2, 7))))
        elif kind < 0.6:
            parts.append("\n".join(f"{i}. {_sentence(rng, 4, 10)}" for i in range(1, rng.randint(3, 7))))
        elif kind < 0.7:
            lang = rng.choice(("bash", "python", "yaml", ""))
            code = "\n".join(f"{rng.choice(WORDS)} --{rng.choice(WORDS)}={rng.randint(1, 99)}" for _ in range(rng.randint(1, 5)))
            parts.append(f"```{lang}\n{code}\n```")
        else:
            parts.append(" ".join(_sentence(rng) for _ in range(rng.randint(2, 6))))
    return "\n\n".join(parts) + "\n"


def _description(rng: random.Random, topic: str) -> str:
    first = f"Use this agent for {topic} work: {_sentence(rng, 8, 20)}"
    if rng.random() < 0.3:  # the long form with examples, as in many published collections
        ex = " ".join(
            f"<example>Context: the user works on {rng.choice(WORDS)}. user: '{_sentence(rng, 4, 9)}' "
            f"assistant: 'I will use the {topic} agent.'</example>"
            for _ in range(rng.randint(1, 3))
        )
        first += " Examples: " + ex
    return first


def agent_defect(i: int, seed: int = 0) -> str:
    rng = random.Random(seed * 1_000_003 + i)
    return rng.choices([d for d, _ in DEFECTS], weights=[w for _, w in DEFECTS])[0]


def agent_text(i: int, seed: int = 0) -> tuple[str, bytes]:
    """File name and content of generated agent ``i`` (the same for every tree size)."""
    rng = random.Random(seed * 1_000_003 + i)
    defect = rng.choices([d for d, _ in DEFECTS], weights=[w for _, w in DEFECTS])[0]
    topic = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}"
    name = f"{topic}-{rng.choice(ROLES)}-{i}"
    fname = f"{name}.md"
    desc = _description(rng, topic)
    if defect == "near-copy" and i > 0:
        desc = _description(random.Random(seed * 1_000_003 + i - 1), topic) + " Also " + rng.choice(WORDS) + "."
    lines = []
    if defect == "duplicate-name" and i > 0:
        lines.append(f"name: {agent_text(i - 1, seed)[0][:-3]}")
    elif defect == "upper-name":
        lines.append(f"name: {name.title().replace('-', '')}")
    elif defect == "name-not-file":
        lines.append(f"name: {name}-x")
    elif defect != "no-name":
        lines.append(f"name: {name}")
    if defect == "unquoted-colon":
        lines.append(f"description: {desc}")
    elif defect == "bad-yaml":
        lines.append(f"description: {json.dumps(desc)}\n  broken: [unclosed")
    elif defect != "no-description":
        lines.append(f"description: {json.dumps(desc)}")
    tools = rng.sample(TOOLS, rng.randint(1, 6))
    if defect == "bad-tool":
        tools.append(rng.choice(("LS", "Serach", "bash", "WebBrowse")))
    if rng.random() < 0.7:
        lines.append(f"tools: {', '.join(tools)}" if rng.random() < 0.8 else "tools:\n" + "\n".join(f"  - {t}" for t in tools))
    if rng.random() < 0.8 or defect == "bad-model":
        lines.append(f"model: {'gpt-4o' if defect == 'bad-model' else rng.choice(MODELS)}")
    if rng.random() < 0.6 or defect == "bad-color":
        lines.append(f"color: {'magenta' if defect == 'bad-color' else rng.choice(COLORS)}")
    if defect == "unknown-key":
        lines.append(rng.choice(("temperature: 0.2", "allowed-tools: Read", "version: 2", "author: someone")))
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + _body(rng)
    if defect == "crlf":
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if defect == "bom":
        data = b"\xef\xbb\xbf" + data
    return fname, data


def generate(n: int, seed: int = 0) -> Path:
    """bench/.work/tree-N/.claude/agents/*.md (reused when already there)."""
    root = WORK / f"tree-{n}"
    stamp = root / "STAMP"
    want = f"{GENERATOR_VERSION} {n} {seed}"
    if stamp.is_file() and stamp.read_text() == want:
        return root
    if root.exists():
        shutil.rmtree(root)
    agents = root / ".claude" / "agents"
    agents.mkdir(parents=True)
    for i in range(n):
        fname, data = agent_text(i, seed)
        (agents / fname).write_bytes(data)
    stamp.write_text(want)
    return root


# ---- agnix -------------------------------------------------------------------------------------


def find_agnix(install: bool) -> Optional[str]:
    venv = WORK / "venv-agnix"
    exe = venv / ("Scripts" if os.name == "nt" else "bin") / "agnix"
    if exe.exists():
        return str(exe)
    on_path = shutil.which("agnix")
    if on_path:
        return on_path
    if not install:
        return None
    print("installing agnix into bench/.work/venv-agnix (pip install agnix) ...", flush=True)
    try:
        subprocess.run([PY, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "agnix"], check=True, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"agnix could not be installed ({exc}); continuing without it", flush=True)
        return None
    return str(exe) if exe.exists() else None


# ---- timing ------------------------------------------------------------------------------------


@dataclass
class Job:
    label: str
    cmd: list[str]
    cwd: Optional[str] = None
    timeout: float = 600.0
    env: Optional[dict] = None  # None: ENV
    times: list[float] = field(default_factory=list)  # wall clock
    cpu: list[float] = field(default_factory=list)  # user + system of the process and its workers
    timed_out: bool = False
    failed: Optional[str] = None

    def run(self, record: bool = True) -> None:
        if self.timed_out or self.failed:
            return
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(self.cmd, cwd=self.cwd, env=self.env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            return
        elapsed = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode not in (0, 1):
            self.failed = f"exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()[-300:]}"
            return
        if record:
            self.times.append(elapsed)
            self.cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    @property
    def median(self) -> Optional[float]:
        return statistics.median(self.times) if self.times else None

    @property
    def median_cpu(self) -> Optional[float]:
        return statistics.median(self.cpu) if self.cpu else None

    def shown(self) -> str:
        if self.timed_out:
            return f"> {self.timeout:.0f} s (timed out)"
        if self.failed:
            return "failed"
        m = self.median
        assert m is not None and self.median_cpu is not None
        return f"{_fmt(m):>9}  (min {_fmt(min(self.times))}, n={len(self.times)})   cpu {_fmt(self.median_cpu):>9}"


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def run_rounds(jobs: list[Job], rounds: int, repeat: dict[str, int]) -> None:
    for job in jobs:  # warm-up: page cache, bytecode cache; not recorded
        job.run(record=False)
    for r in range(rounds):
        shift = r % len(jobs)
        order = jobs[shift:] + jobs[:shift]  # alternate the order from round to round
        for job in order:
            for _ in range(repeat.get(job.label, 1)):
                job.run()
        done = ", ".join(f"{j.label}={_fmt(j.times[-1])}" for j in jobs if j.times)
        print(f"round {r + 1}/{rounds}: {done}", flush=True)


def ratio(a: Optional[Job], b: Optional[Job], cpu: bool = False) -> str:
    if a is None or b is None or a.median is None or b.median is None:
        return "n/a" if not (a and a.timed_out) else "> " + (f"{a.timeout / b.median:.0f}x" if b and b.median else "?")
    if cpu:
        return f"{a.median_cpu / b.median_cpu:.2f}x" if b.median_cpu else "n/a"
    return f"{a.median / b.median:.2f}x"


# ---- imports of a one-file run -------------------------------------------------------------------

IMPORT_SNIPPET = (
    "import sys\n"
    "from agentlint.cli import main\n"
    "try:\n"
    "    main(['check', '--isolated', '--format', 'json', sys.argv[1]])\n"
    "except SystemExit:\n"
    "    pass\n"
)


def importtime(path: str, top: int = 15) -> list[tuple[int, int, str]]:
    """(cumulative µs, self µs, module) of a one-file check, heaviest first."""
    proc = subprocess.run([PY, "-X", "importtime", "-c", IMPORT_SNIPPET, path], capture_output=True, text=True, cwd=str(ROOT), env=ENV)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            depth = (len(m.group(3)) - 1) // 2
            rows.append((int(m.group(2)), int(m.group(1)), m.group(4), depth))
    shallow = [(c, s, name) for c, s, name, depth in rows if depth <= 1]
    shallow.sort(reverse=True)
    loaded = {name for _, _, name, _ in rows}
    heavy = [h for h in HEAVY_MODULES if any(m == h or m.startswith(h + ".") for m in loaded)]
    print(f"\nImports of `agentlint check --isolated --format json {os.path.relpath(path)}` (python -X importtime):")
    print(f"  {'cumulative':>10}  {'self':>8}  module (top-level and first-level imports)")
    for c, s, name in shallow[:top]:
        print(f"  {c / 1000:8.1f} ms  {s / 1000:6.1f} ms  {name}")
    print("  heavy modules loaded: " + (", ".join(heavy) or "none") + f" (of {', '.join(HEAVY_MODULES)})")
    return shallow[:top]


# ---- main --------------------------------------------------------------------------------------


def bench(args: argparse.Namespace) -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    if not args.no_bytecode_cache:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    agentlint = [PY, "-m", "agentlint", "check", "--isolated", "--select", "ALL", "--format", "json"]
    small_n = max(1, args.files // 10)
    t0 = time.perf_counter()
    big = generate(args.files, args.seed)
    small = generate(small_n, args.seed)
    print(f"generated trees: {big} and {small} ({time.perf_counter() - t0:.1f} s)", flush=True)
    agents_big = str(big / ".claude" / "agents")
    agents_small = str(small / ".claude" / "agents")
    # The one-file run lints the first generated agent without a defect.
    first_clean = next((i for i in range(small_n) if agent_defect(i, args.seed) == "clean"), 0)
    one_file = str(small / ".claude" / "agents" / agent_text(first_clean, args.seed)[0])

    agnix = None if args.no_agnix else find_agnix(install=True)
    agnix_cfg = WORK / "agnix-no-project-rules.toml"
    agnix_cfg.write_text("[rules]\ndisabled_rules = [" + ", ".join(f'"{r}"' for r in AGNIX_PROJECT_RULES) + "]\n")

    jobs: dict[str, Job] = {}

    def add(label: str, cmd: list[str], timeout: float = 600.0, cwd: Optional[str] = None, env: Optional[dict] = None) -> None:
        jobs[label] = Job(label, cmd, cwd=cwd or str(ROOT), timeout=timeout, env=env)

    sets = []
    if CORPUS.is_dir() and not args.no_corpus:
        sets.append(("corpus", str(CORPUS)))
    sets.append((f"{args.files // 1000}k" if args.files % 1000 == 0 else str(args.files), agents_big))
    sets.append((f"{small_n // 1000}k" if small_n % 1000 == 0 else str(small_n), agents_small))
    for tag, folder in sets:
        add(f"floor {tag}", [PY, __file__, "floor", folder])
        add(f"agentlint {tag}", agentlint + [folder])
        if not args.no_serial:
            add(f"agentlint -j1 {tag}", agentlint + ["--jobs", "1", folder])
        if agnix:
            add(f"agnix-fast {tag}", [agnix, "-c", str(agnix_cfg), "--format", "json", folder])
            add(f"agnix {tag}", [agnix, "--format", "json", folder], timeout=args.agnix_timeout)
    add("python -c 'import yaml'", [PY, "-c", "import yaml"])
    add("agentlint 1 file", agentlint + [one_file])
    if not args.no_bytecode_cache:
        # As the working tree runs under PYTHONDONTWRITEBYTECODE=1: every module compiled again.
        add("agentlint 1 file, no pyc", agentlint + [one_file], env={**{k: v for k, v in ENV.items() if k != "PYTHONPYCACHEPREFIX"}, "PYTHONDONTWRITEBYTECODE": "1"})
    if agnix:
        add("agnix 1 file", [agnix, "--format", "json", one_file])
    repeat = {k: args.one_file_runs for k in ("python -c 'import yaml'", "agentlint 1 file", "agentlint 1 file, no pyc", "agnix 1 file")}

    print(f"{len(jobs)} commands x {args.rounds} rounds (one-file commands {args.one_file_runs}x per round) ...", flush=True)
    run_rounds(list(jobs.values()), args.rounds, repeat)

    print(f"\nMedians of {args.rounds} rounds (wall time; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end)")
    width = max(len(k) for k in jobs)
    for job in jobs.values():
        print(f"  {job.label:<{width}}  {job.shown()}")
        if job.failed:
            print(f"  {'':<{width}}  {job.failed}")
    print("\nRatios of medians (wall; cpu = user+system time, less sensitive to a busy machine)")
    rows: list[tuple[str, Optional[Job], Optional[Job], str]] = []
    for tag, _ in sets:
        rows.append((f"agentlint / floor, {tag}", jobs.get(f"agentlint {tag}"), jobs.get(f"floor {tag}"), "target <= 2x" if tag == "corpus" else ""))
        if f"agentlint -j1 {tag}" in jobs:
            rows.append((f"agentlint -j1 / floor, {tag}", jobs.get(f"agentlint -j1 {tag}"), jobs.get(f"floor {tag}"), ""))
            rows.append((f"agentlint auto / -j1, {tag}", jobs.get(f"agentlint {tag}"), jobs.get(f"agentlint -j1 {tag}"), "wall < 1: the pool helps"))
        if agnix:
            rows.append((f"agnix-fast / floor, {tag}", jobs.get(f"agnix-fast {tag}"), jobs.get(f"floor {tag}"), "agnix without its 2 project rules"))
            rows.append((f"agnix / floor, {tag}", jobs.get(f"agnix {tag}"), jobs.get(f"floor {tag}"), "agnix, default rules"))
            rows.append((f"agentlint / agnix-fast, {tag}", jobs.get(f"agentlint {tag}"), jobs.get(f"agnix-fast {tag}"), ""))
    big_tag, small_tag = sets[-2][0], sets[-1][0]
    scale = args.files / small_n
    for who in ("agentlint", "agentlint -j1", "floor", "agnix-fast", "agnix"):
        a, b = jobs.get(f"{who} {big_tag}"), jobs.get(f"{who} {small_tag}")
        if a and b:
            rows.append((f"{who}: {big_tag} / {small_tag}", a, b, f"linear: {scale:.0f}x minus start-up" if who == "agentlint" else ""))
    rows.append(("agentlint 1 file / python -c 'import yaml'", jobs.get("agentlint 1 file"), jobs.get("python -c 'import yaml'"), "target <= 3x"))
    if "agentlint 1 file, no pyc" in jobs:
        rows.append(("agentlint 1 file, no pyc / python -c 'import yaml'", jobs.get("agentlint 1 file, no pyc"), jobs.get("python -c 'import yaml'"), "agentlint compiled on every run"))
    if agnix:
        rows.append(("agnix 1 file / python -c 'import yaml'", jobs.get("agnix 1 file"), jobs.get("python -c 'import yaml'"), ""))
    w = max(len(r[0]) for r in rows)
    print(f"  {'':<{w}}  {'wall':>8}  {'cpu':>8}")
    for label, a, b, note in rows:
        print(f"  {label:<{w}}  {ratio(a, b):>8}  {ratio(a, b, cpu=True):>8}  {note}")
    importtime(one_file)
    if args.json:
        out = {j.label: {"wall": j.times, "cpu": j.cpu, "median": j.median, "median_cpu": j.median_cpu, "timed_out": j.timed_out, "failed": j.failed} for j in jobs.values()}
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "floor":
        print(floor(argv[1:]))
        return 0
    if argv and argv[0] == "importtime":
        target = argv[1] if len(argv) > 1 else str(next((generate(10) / ".claude" / "agents").iterdir()))
        importtime(target, top=25)
        return 0
    if argv and argv[0] == "generate":
        print(generate(int(argv[1]) if len(argv) > 1 else 10_000))
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--files", type=int, default=10_000, help="size of the generated tree (a tree of a tenth is timed too)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--one-file-runs", type=int, default=5, help="one-file runs per round")
    p.add_argument("--agnix-timeout", type=float, default=120.0, help="give up on agnix's default rules after this")
    p.add_argument("--no-agnix", action="store_true")
    p.add_argument("--no-corpus", action="store_true")
    p.add_argument("--no-serial", action="store_true", help="do not time agentlint --jobs 1 separately")
    p.add_argument("--no-bytecode-cache", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is in the environment")
    p.add_argument("--json", help="write every timing to this file")
    return bench(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
