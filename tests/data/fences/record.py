"""Record CommonMark's own answers for tests/test_fences.py (run by hand, not by the tests).

Generates Markdown bodies line by line from the pieces that decide block structure (indentation
with spaces and tabs, quote and list markers, fences, HTML block starts and ends, headings,
thematic breaks, setext underlines, link reference definitions, plain text), parses each with
commonmark.js, the CommonMark reference implementation, and writes its fenced code blocks to
commonmark-js.jsonl: one JSON object per line, {"src": ..., "fences": [[first, end, markup, info]]}
with lines counted from 0 and ``end`` the line after the block.

    npm install --prefix /tmp/cmjs commonmark@0.31.2
    python3 tests/data/fences/record.py /tmp/cmjs [N]
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

INDENT = ["", "", "", " ", "  ", "   ", "    ", "      ", "\t", " \t", "\t\t"]
PREFIX = ["", "", "", "", ">", "> ", ">>", "> > ", "-", "- ", "-  ", "-     ", "* ", "+ ", "1. ", "2) ", "1.",
          "10. ", "- > ", "> - ", "1) > ", "-\t", ">\t"]
CONTENT = ["```", "````", "~~~", "~~~~", "```py", "``` `x`", "```\t", "~~~ x ```", "``", "text", "foo bar", "", "",
           "<div>", "</div>", "<example>", "</example>", "<a href='x'>", "<!--", "-->", "a -->", "<script>",
           "</script>", "<pre>", "<?", "?>", "<!X", "x >", "<![CDATA[", "]]>", "# h", "#h", "---", "***", "- - -",
           "===", "___", "[a]: /u", "[ ] x", "[x](y)", "code", "1. x", "- x", " ", "\t", "```  ", "~~~~~ ", ">",
           "<div/>", "<custom-tag>"]

SCRIPT = r"""
const cm = require('commonmark');
const rd = require('readline').createInterface({input: process.stdin});
const parser = new cm.Parser();
rd.on('line', (l) => {
  const walker = parser.parse(JSON.parse(l)).walker();
  const out = []; let e;
  while ((e = walker.next())) {
    const n = e.node;
    if (e.entering && n.type === 'code_block' && n._isFenced)
      out.push([n.sourcepos[0][0] - 1, n.sourcepos[1][0], n._fenceChar.repeat(n._fenceLength), n.info]);
  }
  console.log(JSON.stringify(out));
});
"""


def body(r: random.Random) -> str:
    lines = [r.choice(INDENT) + r.choice(PREFIX) + r.choice(INDENT[:5]) + r.choice(CONTENT) for _ in range(r.randint(1, 12))]
    return "\n".join(lines) + "\n"


def main(node_modules_parent: str, n: int = 2000) -> None:
    proc = subprocess.Popen(["node", "-e", SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            cwd=node_modules_parent)
    r = random.Random(20261126)
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "commonmark-js.jsonl")
    with open(out_path, "w", encoding="utf-8") as out:
        for _ in range(n):
            src = body(r)
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(json.dumps(src) + "\n")
            proc.stdin.flush()
            fences = json.loads(proc.stdout.readline())
            out.write(json.dumps({"src": src, "fences": fences}, ensure_ascii=False) + "\n")
    proc.terminate()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
