"""Record CommonMark's own answers for tests/test_fences.py (run by hand, not by the tests).

Generates Markdown bodies, parses each with commonmark.js, the CommonMark reference
implementation, and writes its fenced code blocks, one JSON object per line:
{"src": ..., "fences": [[first, end, markup, info, closed, content]]}, with lines counted from 0,
``end`` the line after the block, ``closed`` whether a closing fence ended it.

* commonmark-js.jsonl: 2,500 bodies made line by line from the pieces that decide block
  structure (indentation with spaces and tabs, quote and list markers, fences, HTML block starts
  and ends, headings, thematic breaks, setext underlines, link reference definitions, plain text).
* commonmark-js-definitions.jsonl: 400 bodies full of link reference definitions, valid or
  nearly so (labels, destinations and titles over several lines, escapes, trailing text, in list
  items and block quotes, lazy lines), followed by setext underlines, HTML block starts and
  fences.  Only the bodies whose fences the definitions decide are kept: half where commonmark.js
  finds other fences once its parseReference finds no definition, half where it finds other
  fences once parseReference takes all of a paragraph's text for definitions (near misses).

    npm install --prefix /tmp/cmjs commonmark@0.31.2
    python3 tests/data/fences/record.py /tmp/cmjs
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

# The parts of a link reference definition, valid and not ("\n" breaks a line).  (Few escapes in a
# row: commonmark.js's title regex backtracks exponentially over escapes in a title never closed.)
LABELS = ["[a]", "[a]", "[foo bar]", "[ a ]", "[]", "[ ]", "[\\]]", "[a\\[b]", "[a[b]", "[\\\\]", "[a\\]", "[a\nb]",
          "[a\n\nb]", "[\na]", "[ \n ]", "[\u00a0]", "[\ufeff]", "[\u0085]", "[é]", "[x\\\nb]", "[a\x00]",
          "[" + "x" * 999 + "]", "[" + "x" * 1000 + "]", "[" + "x" * 998 + "\U0001F600]", "[" + "\\]" * 8 + "x" * 983 + "]",
          "[\\", "[a]]", "[[a]]", "[a](b)", "[File/location]", "[1]", "[^1]", "[a\tb]", "[a\u2028b]"]
COLONS = [":", ":", ":", ":", "", " :", "::", ":\n"]
SPACE = ["", " ", " ", "  ", "\n", " \n ", "\n  ", "\t", "\n\t", " \n\n"]
DESTINATIONS = ["/u", "/u", "http://x.y/z?q=1", "<>", "<a b>", "<a", "<a>b", "<a\\>b>", "<a<b>", "<a\nb>", "<a\\\nb>",
                "a(b)c", "a(b", "a)b", "(a)", "((a))", "a((b)", "\\(", "a\\)", "\\", "", "a\tb", "a\x01b", "a\u00a0b",
                "a\\ b", "é", "<\u2028>", "<a\\\u2028>", "/u\x00", "[Issue]", "(", ")", '"t"', "<b>c"]
TITLES = ["", "", '"t"', "'t'", "(t)", '"t', '"t" x', '"t\\""', "(t(x))", "(t\\(x\\))", '"t""', '"a\nb"', "'a\n\nb'",
          "(a\nb)", '"a\\\nb"', '""', "()", "(\\))", '"a\nb" x', "'x\ny' z\n", "[Fix]", "- [Fix]", "x", '"x\n===\ny"',
          "'x\n--\ny'", '"x\n- y"', '"x\n> y"', "(x\n```\ny)"]
TRAILING = ["", "", "", " ", "  ", "\t", " x", "x", "\n", "\n", " \nfoo", "\u00a0"]
# valid definitions, more often
GOOD_LABELS = ["[a]", "[foo bar]", "[ a ]", "[\\]]", "[a\\[b]", "[a\nb]", "[\u0085]", "[File/location]", "[1]"]
GOOD_DESTINATIONS = ["/u", "<>", "<a b>", "a(b)c", "((a))", "\\(", "é", "a\x01b", "<a\\>b>", '/u"t"']
GOOD_TITLES = ["", "", ' "t"', " 't'", " (t)", '\n"t"', " 'a\nb'", " (a\nb)", ' "t\\""', '\n  "x"  ']
# what may follow definitions
AFTER = ["===", "---", "--", "=", "-", "- ", "  ===", "    ===", "***", "= =", "==  ", "<x>", "<div>", "    code",
         "```", "~~~", "text", "", "[b]: /v", "> q", "- item", "1. item", "2. item", "# h", "\t===", "   ---"]
FRAGMENTS = ["[a]:", "[a]: /u", "[a]: /u 't'", "[a]: <b c>", "[a]:/u", "/u", "<u>", '"t', 't"', "'t", "t'", "(t", "t)",
             "b]: /u", "[a", "b]", "]: /u", '"t" x', "[a]: /u x", "[]: /u", "[\\]]: /u", "===", "--", "=", "[a]: (", ")"]
END = ["```", "~~~", "x", "<x>", "", "```py", "    ```", "> ```"]

SCRIPT = r"""
const cm = require('commonmark');
const rd = require('readline').createInterface({input: process.stdin});
const parser = new cm.Parser();
// a fence closed by a closing fence (commonmark.js does not keep that)
const code = parser.blocks.code_block, cont = code.continue;
code.continue = function (p, block) {
  const r = cont.call(this, p, block);
  if (r === 2 && block._isFenced) block._closedByFence = true;
  return r;
};
const reference = parser.inlineParser.parseReference;
function fences(src) {
  const walker = parser.parse(src).walker();
  const out = []; let e;
  while ((e = walker.next())) {
    const n = e.node;
    if (e.entering && n.type === 'code_block' && n._isFenced)
      out.push([n.sourcepos[0][0] - 1, n.sourcepos[1][0], n._fenceChar.repeat(n._fenceLength), n.info,
                !!n._closedByFence, n.literal]);
  }
  return out;
}
rd.on('line', (l) => {
  const q = JSON.parse(l), out = {fences: fences(q.src)};
  if (q.variants) {
    parser.inlineParser.parseReference = () => 0;  // no definition anywhere
    out.none = fences(q.src);
    parser.inlineParser.parseReference = (s) => s.length;  // a paragraph's whole text
    out.all = fences(q.src);
    parser.inlineParser.parseReference = reference;
  }
  console.log(JSON.stringify(out));
});
"""


def body(r: random.Random) -> str:
    lines = [r.choice(INDENT) + r.choice(PREFIX) + r.choice(INDENT[:5]) + r.choice(CONTENT) for _ in range(r.randint(1, 12))]
    return "\n".join(lines) + "\n"


def definition(r: random.Random) -> str:
    """A text that may be a link reference definition, maybe over several lines."""
    if r.random() < 0.4:
        return (r.choice(GOOD_LABELS) + ":" + r.choice(["", " ", "\n", "  "]) + r.choice(GOOD_DESTINATIONS)
                + r.choice(GOOD_TITLES) + r.choice(["", "", " ", "  "]))
    return (r.choice(LABELS) + r.choice(COLONS) + r.choice(SPACE) + r.choice(DESTINATIONS) + r.choice(SPACE)
            + r.choice(TITLES) + r.choice(TRAILING))


def continuation(prefix: str, r: random.Random) -> str:
    """What goes on a later line of a block opened behind ``prefix``: the same block quote markers
    with spaces for list markers, some indentation more or less, nothing (a lazy line), or any."""
    k = r.random()
    if k < 0.2:
        return ""
    if k < 0.3:
        return r.choice(INDENT) + r.choice(PREFIX)
    same = "".join(c if c in "> \t" else " " for c in prefix)
    return same + r.choice(["", "", "", " ", "  ", "\t"])


def definitions_body(r: random.Random) -> str:
    if r.random() < 0.2:
        # lines as in body(), some of them fragments of definitions
        lines = [r.choice(INDENT) + r.choice(PREFIX) + r.choice(INDENT[:5]) + r.choice(CONTENT + FRAGMENTS * 2)
                 for _ in range(r.randint(1, 14))]
        return "\n".join(lines) + "\n"
    lines = []
    for _ in range(r.randint(1, 6)):
        if r.random() < 0.35:
            lines.append(r.choice(INDENT) + r.choice(PREFIX) + r.choice(INDENT[:5]) + r.choice(CONTENT))
            continue
        # definitions in one paragraph (maybe after some text), then what may follow them
        prefix = r.choice(INDENT[:6]) + r.choice(PREFIX) + r.choice(["", "", " ", "  ", "\t"])
        text = "\n".join(definition(r) for _ in range(r.choice([1, 1, 1, 2, 3])))
        if r.random() < 0.1:
            text = r.choice(["foo\n", "- x\n", "> y\n"]) + text
        for j, part in enumerate(text.split("\n")):
            lines.append((prefix if j == 0 else continuation(prefix, r)) + part)
        for k in range(r.choice([0, 1, 1, 2, 3])):
            after = r.choice(AFTER[:3] if k == 0 and r.random() < 0.5 else AFTER)
            lines.append((continuation(prefix, r) if r.random() < 0.7 else "") + after)
    lines += [r.choice(END) for _ in range(r.randint(0, 3))]
    return "\n".join(lines) + ("\n" if r.random() < 0.9 else "")


def main(node_modules_parent: str) -> None:
    proc = subprocess.Popen(["node", "-e", SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            cwd=node_modules_parent)
    assert proc.stdin is not None and proc.stdout is not None
    here = os.path.dirname(os.path.abspath(__file__))

    def ask(src: str, variants: bool = False) -> dict:
        proc.stdin.write(json.dumps({"src": src, "variants": variants}) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    def write(name: str, cases: list) -> None:
        with open(os.path.join(here, name), "w", encoding="utf-8") as out:
            for src, fences in cases:
                out.write(json.dumps({"src": src, "fences": fences}) + "\n")

    r = random.Random(20261126)
    write("commonmark-js.jsonl", [(src, ask(src)["fences"]) for src in (body(r) for _ in range(2500))])

    r = random.Random(20270315)
    found, near = [], []  # definitions made a difference / a near miss did
    while len(found) < 200 or len(near) < 200:
        src = definitions_body(r)
        a = ask(src, variants=True)
        if a["fences"] != a["none"]:
            if len(found) < 200:
                found.append((src, a["fences"]))
        elif a["fences"] != a["all"] and len(near) < 200:
            near.append((src, a["fences"]))
    write("commonmark-js-definitions.jsonl", found + near)
    proc.terminate()


if __name__ == "__main__":
    main(sys.argv[1])
