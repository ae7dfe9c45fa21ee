"""Grep's search, run as a child process so a runaway regular expression can be killed.

Standalone and stdlib-only (it runs under ``python -I -S``). Reads one JSON job on stdin
(the parent has already confined and listed the files) and writes one JSON result.
"""

import json
import re
import sys

SNIFF = 8192


def _clip(line, limit):
    return line if len(line) <= limit else line[:limit] + " [line truncated]"


def _text(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if b"\x00" in data[:SNIFF]:
        return None
    return data.decode("utf-8", errors="replace")


def _content_lines(job, rx, shown, text):
    lines = text.splitlines()
    if job["multiline"]:
        hits = set()
        for match in rx.finditer(text):
            first = text.count("\n", 0, match.start())
            last = text.count("\n", 0, max(match.end() - 1, match.start()))
            hits.update(range(first, last + 1))
    else:
        hits = {i for i, line in enumerate(lines) if rx.search(line)}
    if not hits:
        return []
    keep = set()
    for i in hits:
        keep.update(range(max(i - job["before"], 0), min(i + job["after"] + 1, len(lines))))
    out, previous = [], None
    for i in sorted(keep):
        if previous is not None and i != previous + 1:
            out.append("--")
        sep = ":" if i in hits else "-"
        number = f"{i + 1}{sep}" if job["line_numbers"] else ""
        out.append(f"{shown}{sep}{number}{_clip(lines[i], job['max_line_chars'])}")
        previous = i
    return out


def main():
    job = json.load(sys.stdin)
    flags = re.IGNORECASE if job["ignore_case"] else 0
    if job["multiline"]:
        flags |= re.DOTALL | re.MULTILINE
    rx = re.compile(job["pattern"], flags)
    wanted = job["offset"] + job["head_limit"]
    entries, total = [], 0
    for path, shown in job["files"]:
        try:
            text = _text(path)
        except OSError:
            continue
        if text is None:
            continue
        if job["mode"] == "content":
            found = _content_lines(job, rx, shown, text)
        elif job["mode"] == "count":
            n = len(rx.findall(text)) if job["multiline"] else sum(1 for line in text.splitlines() if rx.search(line))
            found = [f"{shown}:{n}"] if n else []
        elif job["multiline"]:
            found = [shown] if rx.search(text) else []
        else:
            found = [shown] if any(rx.search(line) for line in text.splitlines()) else []
        total += len(found)
        entries.extend(found[: max(wanted + 1 - len(entries), 0)])
        if len(entries) > wanted:
            break
    page = entries[job["offset"] : wanted]
    json.dump({"lines": page, "total": total, "more": len(entries) > wanted}, sys.stdout)


if __name__ == "__main__":
    main()
