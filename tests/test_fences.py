"""agentlint.fences: CommonMark's fenced code blocks, line by line, without a Markdown parser.

Three sources of truth:
* hand-written cases, each checked against commonmark.js 0.31.2 when written;
* tests/data/fences/commonmark-js.jsonl: 2,500 generated bodies with the fences commonmark.js
  (the CommonMark reference implementation) finds in them, and commonmark-js-definitions.jsonl:
  400 generated bodies whose fences link reference definitions decide
  (tests/data/fences/record.py);
* markdown-it on every corpus body with a fence (where both follow the spec).

Every hand-written case, and generated bodies, are also scanned without the shortcuts (each line
through the four steps): the answers must not change.  AL603's pre-check is held to the scanner.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint.fences import scan

DATA = Path(__file__).parent / "data" / "fences" / "commonmark-js.jsonl"
DEFINITIONS_DATA = DATA.with_name("commonmark-js-definitions.jsonl")
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def fences(src):
    found = scan(src)
    assert scan(src, shortcuts=False) == found  # the shortcuts change nothing
    return None if found is None else [(f.first, f.end, f.markup, f.closed) for f in found]


CASES = [
    # (body, [(first line, line after the block, opening fence, closed by a fence)])
    ("```py\nx\n```\n", [(0, 3, "```", True)]),
    ("```\nx\n", [(0, 2, "```", False)]),
    ("````\n```\n````\n", [(0, 3, "````", True)]),  # a shorter fence inside is content
    ("~~~\nx\n~~\n", [(0, 3, "~~~", False)]),
    ("``` a`b\nx\n", []),  # a backtick in a backtick fence's info string: no fence
    ("- a\n  ```\n  x\nb\n", [(1, 3, "```", False)]),  # ends with its list item
    ("- a\n  ```\n\n  x\n", [(1, 4, "```", False)]),  # a blank line does not end the item
    ("> ```\n> x\ny\n", [(0, 2, "```", False)]),  # ends with its block quote: a fence is never lazy
    ("<div>\n```\n</div>\n", []),  # inside an HTML block (type 6)
    ("text\n<example>\n```\nx\n```\n", [(2, 5, "```", True)]),  # <example> cannot interrupt a paragraph
    ("text\n\n<example>\n```\n", []),  # but starts an HTML block after a blank line
    ("## Ex\n<example>\n```\n", []),  # or after a heading
    ("Title\n===\n<x>\n```\n", []),  # or after a setext heading
    ("    ```\n", []),  # indented code
    ("> foo\n```\n", [(1, 2, "```", False)]),
    ("-\tfoo\n\t```\n\tx\n", [(1, 3, "```", False)]),  # tabs count to the next multiple of 4
    ("1. ```\n   x\n  y\n", [(0, 2, "```", False)]),  # "  y" is indented less than the item's content
    ("<!--\n```\n-->\n```\n", [(3, 4, "```", False)]),  # a comment hides a fence until -->
    ("  ```\n  x\n   ```\n", [(0, 3, "```", True)]),
    ("- ```\n  a\n- b\n", [(0, 2, "```", False)]),
    ("> - ```\n>   a\n> b\n", [(0, 2, "```", False)]),
    ("```\nx\n```", [(0, 3, "```", True)]),  # no final line break
    ("```\n ", [(0, 2, "```", False)]),  # a last line of spaces is a line
    # lines that the scanner takes at once (test_cases also takes each the long way)
    ("**Bold** text\n```\nx\n```\n", [(1, 4, "```", True)]),  # "**" starts no list item
    ("- **Bold**: x\n  ```\n  code\n", [(1, 3, "```", False)]),
    ("- [ ] task\n  ```\n", [(1, 2, "```", False)]),
    ("- a\n  b\n  ```\n", [(2, 3, "```", False)]),
    ("- a\n\n  ```\n  x\n\n  y\n- b\n", [(2, 6, "```", False)]),  # blank lines in the item, in the fence
    ("- a\n  - b\n    ```\n    x\n    ```\n", [(2, 5, "```", True)]),
    ("1. a\n\n   ```\n   x\n\nb\n", [(2, 5, "```", False)]),
    ("- a\n\n```\n", [(2, 3, "```", False)]),  # at column 0 after a blank line: the list ends
    ("-\n\n  ```\n", [(2, 3, "```", False)]),  # an item that has only begun ends at a blank line
    ("- a\n-x\n```\n", [(2, 3, "```", False)]),  # "-x" is no item: a lazy line
    ("> a\n- b\n  ```\n", [(2, 3, "```", False)]),
    ("- a\n\t```\n", [(1, 2, "```", False)]),
    ("* * *\n```\n", [(1, 2, "```", False)]),  # a thematic break, no list item
    ("- ---\n  ```\n", [(1, 2, "```", False)]),  # a list item holding a thematic break
    ("#tag\n```\n", [(1, 2, "```", False)]),
    ("    code\n\n    ```\n```\n", [(3, 4, "```", False)]),  # indented code goes on past a blank line
    ("a\n01. ```\n", [(1, 2, "```", False)]),  # "01." starts at 1: it may interrupt a paragraph
    ("a\n2. ```\n", []),  # "2." may not
    ("1\u0663. ```\n", []),  # only ASCII digits make a list marker
]


@pytest.mark.parametrize("src,expected", CASES, ids=[repr(c[0])[:40] for c in CASES])
def test_cases(src, expected):
    assert fences(src) == expected


# ---- link reference definitions ---------------------------------------------------------------
# (the text of a paragraph, whether it is link reference definitions and nothing else), as
# commonmark.js 0.31.2 reads them
DEFINITIONS = [
    ("[a]: /u", True),
    ("[a]: /u 'title'", True),
    ('[a]: /u "title"  ', True),
    ("[a]: /u (title)", True),
    ("[a]: <b c>", True),  # spaces in angle brackets
    ("[a]: <>", True),  # an empty destination, in angle brackets only
    ("[a]:\n/u", True),
    ("[a]:\n\t/u", True),  # a paragraph's line starts at its first non-space character
    ("[a\nb]: /u", True),  # a label over two lines
    ("[a]: /u\n'multi\nline'", True),  # a title on the next line, over two lines
    ("[a]: /u\n[b]: /v 't'\n[c]: /w", True),
    ('[a]: /u"t"', True),  # no space before the title: the quotes are the destination's
    ("[a]: a(b)c", True),  # balanced parentheses
    ("[a]: \\(", True),  # an escaped one does not count
    ("[a]: <b\\>c>", True),
    ("[a]: /u (t\\(x\\))", True),
    ("[a\\[b]: /u", True),  # an escaped bracket in the label
    ("[\\]]: /u", True),
    ("[\u0085]: /u", True),  # not whitespace to JavaScript's trim
    ("[a]: /u\x01", True),  # commonmark.js lets control characters into a destination
    ("[a]: /u\x00", True),  # (a NUL is read as U+FFFD)
    ("[" + "x" * 999 + "]: /u", True),
    ("[a]: /u\n'x\ny'", True),
    ("[a]: /u x", False),
    ("[a]: /u 'x' y", False),  # text after the title, and the destination's line goes on
    ("[a]: /u 'x\ny' z", False),
    ("[a]: /u\n'x\ny' z", False),  # a definition without the title, then text
    ('[a]: /u\n"t" x', False),
    ("[File/location]: [Issue] - [Fix]", False),
    ("[a]: /u\t", False),  # commonmark.js: only spaces may end the line ...
    ("[a]:\t/u", False),  # ... or separate the colon from the destination
    ("[a]: /u 't'\t", False),
    ("[a]:", False),  # no destination
    ("[a] : /u", False),
    ("[]: /u", False),  # no label
    ("[ ]: /u", False),
    ("[\u00a0]: /u", False),
    ("[a[b]: /u", False),  # an unescaped bracket in the label
    ("[" + "x" * 1000 + "]: /u", False),  # a label of 1,000 characters
    ("[" + "x" * 998 + "\U0001F600]: /u", False),  # 1,000 UTF-16 code units
    ("[a]: <b", False),
    ("[a]: <b>c", False),
    ('[a]: <b>"t"', False),  # no space before the title
    ("[a]: <b\nc>", False),  # no line break in angle brackets
    ("[a]: (b", False),  # unbalanced parentheses
    ("[a]: a)b", False),
    ("[a]: /u (t(x))", False),  # an unescaped parenthesis in a (title)
    ("[a]: /u\n[b]", False),
    ("[a]: /u\ntext", False),
]


@pytest.mark.parametrize("text,expected", DEFINITIONS, ids=[repr(c[0])[:40] for c in DEFINITIONS])
def test_link_reference_definitions(text, expected):
    """A paragraph of definitions and nothing else has no text to make a setext heading of: the
    underline is then more of the paragraph, and "<x>" cannot interrupt it to start an HTML block
    that would hide the fence.  After a heading, it does."""
    fence = text.count("\n") + 3  # the fence's line
    for underline in ("===", "--"):
        assert fences(f"{text}\n{underline}\n<x>\n```\n") == ([(fence, fence + 1, "```", False)] if expected else [])


DEFINITION_CASES = [
    ("> [a]: /u\n> ===\n<x>\n```\n", [(3, 4, "```", False)]),  # in a block quote, "<x>" is a lazy line
    ("> [a]: /u x\n> ===\n<x>\n```\n", []),
    ("- [a]: /u\n  ===\n<x>\n```\n", [(3, 4, "```", False)]),
    ("- [a]: /u x\n  ===\n<x>\n```\n", []),
    ("- [a]:\n  /u\n  ===\n  <x>\n  ```\n", [(4, 5, "```", False)]),
    ("> [a]: /u x\n===\n<x>\n```\n", [(3, 4, "```", False)]),  # a lazy line is never an underline
    ("[a]: /u\n===\n===\n<x>\n```\n", []),  # the second underline has the first to make a heading of
    ("[a]: /u\n===\n[b]: /v\n===\n<x>\n```\n", []),  # "===" and a definition are not all definitions
    ("[a]: /u 'x\n===\n<x>\n```\n", []),  # the title is not closed when the underline comes
    ("[a]: /u\n---\n<x>\n```\n", []),  # no underline, but a thematic break
    ("[a]: /u\n    ```\n<x>\n```\n", [(3, 4, "```", False)]),  # indented code cannot interrupt a paragraph
    ("[a]: /url\n<x>\n```\n", [(2, 3, "```", False)]),  # nor can "<x>", definitions or not (markdown-it: it can)
    ("- [File/location]: [Issue] - [Fix]\n```\nx\n", [(1, 3, "```", False)]),
    ("- [a]: /u\n\n\n  ```\n  x\ny\n", [(3, 5, "```", False)]),  # the item is not empty: two blank lines go on
    ("[a\nb]: /u\n===\n<x>\n```\n", [(4, 5, "```", False)]),
    # a task box or a link is no definition
    ("- [ ] task\n```\n", [(1, 2, "```", False)]),
    ("[a](b) text\n```\n", [(1, 2, "```", False)]),
]


@pytest.mark.parametrize("src,expected", DEFINITION_CASES, ids=[repr(c[0])[:40] for c in DEFINITION_CASES])
def test_link_reference_definitions_in_context(src, expected):
    assert fences(src) == expected


def test_tabs_partly_consumed_become_spaces_in_a_fence():
    # (commonmark.js's addLine: the columns of a tab left after the fence's indentation)
    assert [f.content for f in scan("  ```\n\tx\n")] == ["  x\n"]
    assert [f.content for f in scan("- ```\n \tx\n")] == ["  x\n"]
    assert [f.content for f in scan("> ```\n>\t\tx\n")] == ["  \tx\n"]


def test_a_nul_is_read_as_a_replacement_character():
    assert fences("<a b=x\x00y>\n```\n") == []  # an HTML block, as with U+FFFD
    (f,) = scan("```\na\x00\n")
    assert f.content == "a\ufffd\n"


def test_content_and_info():
    (f,) = scan("> ```py run\n> a\n>   b\n> ```\n")
    assert (f.info, f.content, f.closed) == ("py run", "a\n  b\n", True)


@pytest.mark.parametrize("path,count", [(DATA, 2500), (DEFINITIONS_DATA, 400)], ids=["blocks", "definitions"])
def test_agrees_with_commonmark_js(path, count):
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(cases) == count
    for case in cases:
        for shortcuts in (True, False):
            found = scan(case["src"], shortcuts)
            # commonmark.js trims the info string (the generated bodies hold no escapes or entities)
            got = [[f.first, f.end, f.markup, f.info.strip(" \t"), f.closed, f.content] for f in found]
            assert got == case["fences"], case["src"]
    assert sum(1 for c in cases if c["fences"]) > count * 0.4  # the data does exercise fences


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_agrees_with_markdown_it_on_the_corpus():
    from markdown_it import MarkdownIt

    from agentlint.document import read_document
    from agentlint.files import expand

    md = MarkdownIt("commonmark")
    md.disable(["inline", "text_join"], ignoreInvalid=True)
    files, _ = expand([str(CORPUS)])
    checked = 0
    for path in files:
        doc = read_document(path)
        if not doc.closed:
            continue
        src = doc.body.replace("\r\n", "\n").replace("\r", " ")
        if "```" not in src and "~~~" not in src:
            continue
        found = scan(src)
        tokens = [t for t in md.parse(src if src.endswith("\n") else src + "\n") if t.type == "fence"]
        assert [(f.first, f.end, f.markup, f.info, f.content) for f in found] == [
            (t.map[0], t.map[1], t.markup, t.info, t.content) for t in tokens
        ], path
        checked += 1
    assert checked > 900


LINE = st.builds(
    lambda ind, pre, body: ind + pre + body,
    st.sampled_from(["", " ", "   ", "    ", "\t", " \t"]),
    st.sampled_from(["", ">", "> ", "- ", "1. ", "* ", "-\t"]),
    st.one_of(st.sampled_from(["```", "~~~~", "<div>", "<x>", "<!--", "-->", "# h", "---", "===", "[a]: b", ""]), st.text(max_size=12)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=15), st.booleans())
def test_never_raises_and_stays_in_range(lines, final_break):
    src = "\n".join(lines) + ("\n" if final_break else "")
    found = scan(src)
    n = len(src.split("\n")) - (1 if src.endswith("\n") else 0)
    last = -1
    for f in found:
        assert last <= f.first < f.end <= max(n, 1)
        last = f.end


SHORTCUT_LINE = st.builds(
    lambda ind, pre, body: ind + pre + body,
    st.sampled_from(["", "", " ", "  ", "   ", "    ", "     ", "\t", " \t"]),
    st.sampled_from(["", "", "", ">", "> ", "- ", "-  ", "-     ", "* ", "+ ", "1. ", "01. ", "2) ", "-\t", "- - "]),
    st.one_of(
        st.sampled_from(
            ["```", "~~~", "```py", "``` `x`", "text", "**b** x", "*x", "_x", "-x", "+x", "=x", "===", "---", "***",
             "#x", "# h", "``x", "~~x", "[a] b", "[a]: b", "[a", "<div>", "<x>", "<!--", "-->", "- x", "1. x", ""]
        ),
        st.text(alphabet=" \t>-*+_=#`~<[]1.)x\u00a0", max_size=8),
    ),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(SHORTCUT_LINE, max_size=14), st.booleans())
def test_the_shortcuts_change_nothing(lines, final_break):
    src = "\n".join(lines) + ("\n" if final_break else "")
    assert scan(src) == scan(src, shortcuts=False)


# ---- AL603's pre-check -----------------------------------------------------------------------

PIECES = ["```", "````", "~~~", "~~", "``", "`", " ", "  ", "\t", ">", "- ", "1. ", "1)", "x", "<div>", "<a", "\r", "\n", "\n", "text", "#", "---", "    ",
          "\u00a0", "<a>", "<!--", "-->", "<pre>", "</pre>", "<?", "?>", "<!X", "\n\n"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16))
def test_precheck_never_contradicts_the_scanner(pieces):
    """The pre-check may say "all closed" only when the scanner finds every fence closed."""
    from agentlint.rules.body import _all_fences_closed

    body = "".join(pieces)
    # AL603 gives both the body with a lone CR made a space (no line break for the document)
    src = body.replace("\r\n", "\n").replace("\r", " ")
    if _all_fences_closed(src):
        found = scan(src)
        assert found is None or all(f.closed for f in found)


PRECHECK_CASES = [
    # (body, what the pre-check says: True only when every fence is certainly closed)
    ("```\nx\n```\n", True),
    ("```\nx\n", False),
    ("```\nx\n```\u00a0\n", False),  # only spaces and tabs may follow a closing fence
    ("```\nx\n   ```\n", True),  # behind three spaces, a fence still closes
    ("```\n    ```\n", False),  # behind four it is content
    ("```\n> ```\n", False),  # and a quote marker is content in a top-level fence
    ("- a\n  ```\n  x\n  ```\n", False),  # a fence in a list item is for the scanner
    ("<div>\nx\n\n```\nx\n```\n", True),  # the HTML block ended at the blank line
    ("<div>\n```\nx\n```\n", False),  # it may hide the fence
    ("<example>\n</example>\n\n```\n```\n<b>\n\n```\n```\n", True),
    ("```\n```\n<b>\n```\n", False),  # an HTML block after a closed fence hides the next one
    ("<!--\n\n```\n-->\n```\n```\n", False),  # a comment runs past blank lines
    ("<!-- x -->\n```\n```\n", True),  # but this one ended on its line
    ("<pre>\n\n</pre>\n\n```\n```\n", True),
    ("    <div>\n```\n```\n", True),  # indented code, no HTML block
    ("a <div>\n```\n```\n", True),  # "<" inside the line
    ("```\n<div>\n```\n", True),  # inside a fence, "<div>" is content
]


@pytest.mark.parametrize("src,expected", PRECHECK_CASES, ids=[repr(c[0])[:40] for c in PRECHECK_CASES])
def test_precheck_cases(src, expected):
    from agentlint.rules.body import _all_fences_closed

    assert _all_fences_closed(src) is expected
    found = scan(src)
    assert found is not None
    if expected:
        assert all(f.closed for f in found)
