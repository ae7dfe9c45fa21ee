"""Code fences in a Markdown body, found as CommonMark finds them, without a Markdown parser.

AL603 asks where each fenced code block of the system prompt opens and ends, and so which one
runs to the end of the prompt.  The answer depends on the whole block structure: a fence in a
list item ends with the item, a ```` ``` ```` line inside an HTML block is no fence at all, a
fence line may sit behind ``>`` quote markers.  This module follows the block phase of CommonMark
(spec.commonmark.org 0.31, "Appendix: A parsing strategy"), line by line and nothing else:

1. the open containers (block quotes, list items) are matched from the outside in;
2. the open leaf (fenced or indented code, HTML block) takes the line if all of them matched;
3. otherwise new blocks may start (quotes and list items nest on one line);
4. the line then continues a paragraph (lazily, if some container did not match), or starts one.

Inline content never changes the block structure and is not parsed, with one exception: link
reference definitions (CommonMark 4.7).  A paragraph that opens with ``[`` keeps its text, and
at a setext heading underline its definitions are read as commonmark.js reads them: if the
paragraph is nothing else, the line is no underline (CommonMark 4.3) but a thematic break or
more of the paragraph, which then goes on (a following ``<x>``, for example, cannot interrupt it
to start an HTML block, as it could after a heading).  Nothing else in the block structure
depends on definitions: a paragraph of definitions is a paragraph until it closes (commonmark.js
removes it when the document ends).

Tabs count to the next multiple of four columns, partly consumed tabs included (in a fence's
content, the columns left of such a tab become spaces).  NUL characters are read as U+FFFD.

Most lines of an agent file (prose, headings, list items that hold text, blank lines, code)
have an effect that their first characters and the open blocks make plain: those are taken at
once, and only the others go through the four steps (``scan(src, shortcuts=False)`` sends
every line through them, for the tests).  :func:`html_block_may_reach` serves AL603's pre-check.

:func:`scan` decides every body, link reference definitions included, with no other parser.
``tests/test_fences.py`` holds it to commonmark.js's answers on generated bodies, and to
markdown-it's on the corpus (markdown-it-py is a test dependency only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional


@dataclass
class Fence:
    """One fenced code block; lines count from 0, the first line of ``src``."""

    first: int  # the opening fence's line
    end: int  # the line after the block's last line (the closing fence is in the block)
    markup: str  # the opening fence: ```` ``` ````, ``~~~~``
    info: str  # the rest of the opening line, as written
    content: str  # the lines inside, container markers removed
    closed: bool  # ended by a closing fence, not by its container or the end of the text


_SPECIAL = frozenset("#`~*+_=<>0123456789-")
_SPACE_RUN = re.compile(r"[ \t]*")
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE_OPEN = re.compile(r"`{3,}(?!.*`)|~{3,}")
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ \t]*$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_THEMATIC = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ORDERED = re.compile(r"([0-9]{1,9})[.)]")  # ASCII digits (\d takes any)
# A paragraph whose first line may open a link reference definition: "[" and then anything but
# a plain label closed by "]" that is not followed by ":" (a task box "[ ]", a link "[a](b)").
_NOT_A_DEFINITION = re.compile(r"\[[^\]\[\\]*\](?!:)")
# The start of a line's text (after its indentation) that can start no block, whatever came
# before, nor a link reference definition: a character that starts none, or a run of one that
# would, and then a character that rules it out ("**bold**" is no list item nor thematic break,
# "``x" no fence, "#tag" no heading, "-x" no list item, "=x" no setext underline), or a link
# label that no ":" follows.
_PLAIN = (
    r"(?:[^ \t\[" + re.escape("".join(sorted(_SPECIAL))) + r"]"
    r"|\*+[^* \t]|_+[^_ \t]|-+[^- \t]|\++[^+ \t]|=+[^= \t]|#+[^# \t]|`{1,2}[^`]|~{1,2}[^~]"
    r"|\[[^\]\[\\]*\](?!:))"
)
_PLAIN_TEXT = re.compile(_PLAIN)
# The start of a list item whose content starts a paragraph: a marker, one to four spaces
# (five would start indented code) and plain text.
_PLAIN_ITEM = re.compile(r"(?:[*+-]|([0-9]{1,9})[.)])( {1,4})" + _PLAIN)

# HTML blocks (CommonMark 4.6): the start conditions of types 1 to 7, and the end conditions of
# types 1 to 5 (types 6 and 7 end at a blank line).
_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    "dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|"
    "head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|"
    "p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_ATTRIBUTE = r"""(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)"""
_HTML_START = (
    re.compile(r"<(?a:script|pre|style|textarea)(?=\s|>|$)", re.I),
    re.compile(r"<!--"),
    re.compile(r"<\?"),
    re.compile(r"<![A-Za-z]"),
    re.compile(r"<!\[CDATA\["),
    re.compile(r"</?(?a:" + _BLOCK_NAMES + r")(?=\s|/?>|$)", re.I),
    re.compile(r"(?:<[A-Za-z][A-Za-z0-9-]*" + _ATTRIBUTE + r"*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"),
)
_HTML_END = (
    re.compile(r"</(?a:script|pre|style|textarea)>", re.I),
    re.compile(r"-->"),
    re.compile(r"\?>"),
    re.compile(r">"),
    re.compile(r"\]\]>"),
)
# A blank line, with the line breaks around it.
_BLANK_LINE = re.compile(r"\n[ \t]*\n")

# Link reference definitions (CommonMark 4.7), read as commonmark.js reads them (its inline
# parser's parseReference), from a paragraph's text: its lines, each from its first character
# that is no space or tab, and each ended by "\n".  Where commonmark.js is stricter or looser
# than the spec's wording (tabs, control characters, UTF-16), it is followed: it is the reference
# the tests hold this module to.
# A label: "[", at most 999 characters (UTF-16 code units in commonmark.js) with no unescaped
# bracket, "]".  A backslash escapes any character, a line break included.
_LABEL = re.compile(r"\[(?:[^\\\[\]]|\\.)*\]", re.S)
# Spaces, at most one line break, spaces (commonmark.js's "spnl": no tabs, which the spec allows).
_SPNL = re.compile(r" *(?:\n *)?")
# A destination in angle brackets: no line break, no unescaped "<" or ">" (a backslash escapes
# any character but a JavaScript line terminator).
_POINTY_DESTINATION = re.compile(r"<(?:[^<>\n\\\x00]|\\[^\n\r\u2028\u2029])*>")
# A title: "...", '...' or (...), in which a backslash escapes any character (a line break too)
# and the delimiter (both parentheses for the third form) appears only escaped.
_TITLE = re.compile(r""""(?:\\.|[^\\"\x00])*"|'(?:\\.|[^\\'\x00])*'|\((?:\\.|[^\\()\x00])*\)""", re.S)
# The end of a line: spaces (no tabs, for commonmark.js), then a line break or the end of the text.
_LINE_END = re.compile(r" *(?:\n|\Z)")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # ASCII punctuation
# What ends a destination (commonmark.js lets other ASCII control characters in, the spec not).
_DESTINATION_END = frozenset(" \t\n\v\f\r")
# What JavaScript's String.prototype.trim removes: a label must hold something else.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def _definition(s: str, pos: int) -> Optional[int]:
    """The end of the link reference definition at ``pos`` in a paragraph's text ``s`` (after
    the line break that ends it), or None: commonmark.js's parseReference, step by step."""
    m = _LABEL.match(s, pos)
    if not m:
        return None
    label = m.group()
    # at most 999 characters inside the brackets, counted in UTF-16 code units
    if len(label) > 500 and len(label) + sum(1 for ch in label if ch > "\uffff") > 1001:
        return None
    if not label[1:-1].strip(_JS_SPACE):
        return None  # no label: nothing but whitespace
    q = m.end()
    if s[q : q + 1] != ":":
        return None
    q = _SPNL.match(s, q + 1).end()
    # the destination
    if s[q : q + 1] == "<":
        m = _POINTY_DESTINATION.match(s, q)
        if not m:
            return None  # a destination that starts with "<" must end with ">"
        q = m.end()
    else:
        # Anything up to whitespace, with balanced parentheses ("\(" and "\)" do not count).
        start, n, parens = q, len(s), 0
        while q < n:
            c = s[q]
            if c == "\\" and s[q + 1 : q + 2] in _ESCAPABLE:
                q += 2
            elif c == "(":
                parens += 1
                q += 1
            elif c == ")":
                if not parens:
                    break
                parens -= 1
                q += 1
            elif c in _DESTINATION_END:
                break
            else:
                q += 1
        if (q == start and s[q : q + 1] != ")") or parens:
            # (an empty destination before ")" passes here, and fails below: ")" is no title
            # and no line end)
            return None
    # The title, if whitespace separates it from the destination and only spaces follow it
    # on its line.  Otherwise the definition ends at the destination, if its line ends there:
    # '[a]: /u "t" x' is no definition, '[a]: /u\n"t" x' is "[a]: /u\n" and then a paragraph's
    # text.
    before_title = q
    q = _SPNL.match(s, q).end()
    if q != before_title:
        m = _TITLE.match(s, q)
        if m:
            m = _LINE_END.match(s, m.end())
            if m:
                return m.end()
    m = _LINE_END.match(s, before_title)
    return m.end() if m else None


# Leaf kinds.
_PARA, _FENCED, _INDENTED, _HTML = 1, 2, 3, 4


class _Item:
    __slots__ = ("width", "has_child")

    def __init__(self, width: int) -> None:
        self.width = width  # columns of the item's content, from its container's content
        self.has_child = False


_QUOTE = None  # a block quote in the container stack; a list item is an _Item


def scan(src: str, shortcuts: bool = True) -> list[Fence]:
    """The fenced code blocks of ``src`` (lines split at ``\\n`` only), in order.

    ``shortcuts=False`` takes every line the long way (the tests compare the two)."""
    if "\x00" in src:
        src = src.replace("\x00", "\ufffd")  # as commonmark.js and markdown-it do
    return _Scanner(shortcuts).run(src)


def html_block_may_reach(src: str, start: int, stop: int) -> bool:
    """Whether an HTML block starting on the line at ``start`` could still be open on the later
    line at ``stop`` (both offsets of a line's first character).

    Supposes that the line is at the top level and in no other block, as an upper bound: in a
    container the block may end sooner, never later, and elsewhere it does not start at all.
    A line that can start no HTML block gives False.
    """
    end = src.find("\n", start, stop)
    if end < 0:
        return False  # no later line
    ln = src[start:end].replace("\x00", "\ufffd")  # (as scan reads it)
    nn = len(ln) - len(ln.lstrip(" "))
    t = _Scanner._html_type(ln[nn:]) if nn <= 3 else 0
    if not t:
        return False
    if t >= 6:
        return not _BLANK_LINE.search(src, end, stop)  # types 6 and 7 end at a blank line
    return not _HTML_END[t - 1].search(src, start, stop)  # the others at their end condition


class _Scanner:
    def __init__(self, shortcuts: bool = True) -> None:
        # With shortcuts, run() takes the lines whose effect is plain from their first
        # characters at once (_skip, _fence_body), and in line() a line without a tab takes
        # each column for an offset.  Without, every line goes through line() and the column
        # arithmetic (for the tests: both must give the same answers).
        self.shortcuts = shortcuts
        self.containers: list[Optional[_Item]] = []
        self.leaf = 0  # 0, or one of the leaf kinds
        self.fence: Optional[list] = None  # [first, markup, info, indent, content lines]
        self.html_type = 0
        # The open paragraph's text (its lines, from their first non-space character) while it
        # may open with a link reference definition, else None (see _only_definitions)
        self.defs: Optional[list[str]] = None
        self.fences: list[Fence] = []
        # the line being read
        self.ln = ""
        self.offset = 0
        self.column = 0
        self.nn = 0  # next non-space character
        self.nn_column = 0
        self.indent = 0
        self.blank = False
        self.tabs = True  # the line may hold a tab (then a column is not an offset)
        self.partial = False  # the offset is at a tab of which some columns were taken

    # ---- the current line (CommonMark's offset/column bookkeeping) -------------------------
    def find_next_nonspace(self) -> None:
        ln, i, cols = self.ln, self.offset, self.column
        if i < len(ln) and ln[i] != " " and ln[i] != "\t":  # the usual case: no space to skip
            self.nn, self.nn_column, self.indent, self.blank = i, cols, 0, False
            return
        j = _SPACE_RUN.match(ln, i).end()
        if "\t" in ln[i:j]:
            while i < j:
                cols += 1 if ln[i] == " " else 4 - cols % 4
                i += 1
        else:
            cols += j - i
        self.blank = j >= len(ln)
        self.nn, self.nn_column = j, cols
        self.indent = cols - self.column

    def advance_next_nonspace(self) -> None:
        self.offset, self.column = self.nn, self.nn_column
        self.partial = False

    def advance_offset(self, count: int, columns: bool) -> None:
        ln = self.ln
        n = len(ln)
        if not self.tabs:  # every character is one column
            count = min(count, n - self.offset)
            if count > 0:
                self.offset += count
                self.column += count
            return
        partial = self.partial  # (as it was, if nothing is taken)
        while count > 0 and self.offset < n:
            if ln[self.offset] == "\t":
                to_tab = 4 - self.column % 4
                if columns:
                    partial = to_tab > count
                    step = count if partial else to_tab
                    self.column += step
                    self.offset += 0 if partial else 1
                    count -= step
                else:
                    partial = False
                    self.column += to_tab
                    self.offset += 1
                    count -= 1
            else:
                partial = False
                self.offset += 1
                self.column += 1
                count -= 1
        self.partial = partial

    def rest(self) -> str:
        """The line from the offset on, as a block's content: the columns left of a partly
        consumed tab become spaces (commonmark.js's addLine)."""
        if self.partial:
            return " " * (4 - self.column % 4) + self.ln[self.offset + 1 :]
        return self.ln[self.offset :]

    # ---- blocks ----------------------------------------------------------------------------------
    def close_leaf(self, line: int, closed: bool = False) -> None:
        if self.leaf == _FENCED and self.fence is not None:
            first, markup, info, _indent, content = self.fence
            body = "\n".join(content) + "\n" if content else ""
            self.fences.append(Fence(first, line, markup, info, body, closed))
            self.fence = None
        self.leaf = 0
        self.defs = None

    def add_child(self) -> None:
        """A block starts in the innermost open container."""
        if self.containers:
            top = self.containers[-1]
            if top is not None:
                top.has_child = True

    def run(self, src: str) -> list[Fence]:
        lines = src.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # a final line break ends the last line; it does not start another one
        n = len(lines)
        # After the last line holding a fence's characters no fence can open: once none is
        # open there, the rest of the text cannot change the answer.
        last = max(src.rfind("```"), src.rfind("~~~"))
        last_line = src.count("\n", 0, last) if last >= 0 else -1
        i = 0
        line = self.line
        skip = self._skip if self.shortcuts else None
        containers = self.containers
        while i < n:
            if i > last_line and self.fence is None:
                break
            ln = lines[i]
            if skip and self.defs is None:  # (a paragraph's text is kept by line())
                if not containers:
                    # At the top level, where no container can claim the line: the commonest
                    # cases at once.
                    leaf = self.leaf
                    if leaf == _FENCED:
                        i = self._fence_body(lines, i)
                        continue
                    if leaf == _PARA or not leaf:
                        c = ln[:1]
                        if not c:
                            self.leaf = 0  # a blank line ends a paragraph
                            i += 1
                            continue
                        if c not in _SPECIAL and c not in " \t[":
                            self.leaf = _PARA  # a paragraph starts or goes on
                            i += 1
                            continue
                if skip(i, ln):
                    i += 1
                    continue
            line(i, ln)
            i += 1
        self.close_leaf(n)
        return self.fences

    def _skip(self, i: int, ln: str) -> bool:
        """Takes line ``i`` at once, as line() would, when the state and the line's first
        characters make its effect plain; False when line() must read it.

        Tabs in the indentation, block quote markers, HTML and anything unusual are left to
        line(); list items are what agent files are made of."""
        containers, leaf = self.containers, self.leaf
        text = ln.lstrip(" \t")
        if not text:
            # A blank line: list items that hold a block go on (a block quote would not, nor
            # an item that has only begun), and so does a leaf that blank lines do not end.
            if not all(box is not None and box.has_child for box in containers):
                return False
            if leaf == _PARA or not leaf:
                self.leaf = 0  # a blank line ends a paragraph
                return True
            if leaf == _FENCED and containers:
                self.fence[4].append("")  # (a list item takes the whole blank line)
                return True
            return leaf == _INDENTED
        c = text[0]
        plain = None  # the text can start no block, nor a link reference definition
        if leaf == _PARA:
            plain = (c not in _SPECIAL and c != "[") or _PLAIN_TEXT.match(text)
            if plain or c == "[":
                # Whatever the containers: text that can start no block continues the
                # paragraph, in all its containers or lazily.  Nothing changes.
                return True
        lead = len(ln) - len(text)
        if c == ">" or (lead and "\t" in ln[:lead]):
            # Top-level indented code goes on through lines indented four columns or more
            # (four spaces, or a tab after fewer); the rest is for line().
            return leaf == _INDENTED and not containers and (lead >= 4 or "\t" in ln[:lead])
        # The containers that go on: the list items whose content the indentation reaches, up
        # to the first block quote (no ">" here).
        col = matched = 0
        for box in containers:
            if box is None or col + box.width > lead:
                break
            col += box.width
            matched += 1
        indent = lead - col  # past the last container that goes on
        if matched == len(containers) and leaf != _PARA and leaf:
            # The open leaf may take the line.
            if leaf == _FENCED:
                fence = self.fence
                if indent > 3 or c != fence[1][0]:  # no closing fence: content
                    fence[4].append(ln[col + min(fence[3], indent) :])
                    return True
                return False
            if leaf == _INDENTED and indent >= 4:
                return True
            if leaf == _HTML:
                return False
        if indent >= 4:
            # No block starts; a paragraph goes on (indented code cannot interrupt it).
            return leaf == _PARA
        # What starts here closes what did not go on, and the leaf but a paragraph that goes
        # on.  (Text that can start no block went on with a paragraph above.)
        if c in "*+-" or "0" <= c <= "9":
            m = _PLAIN_ITEM.match(text)
            # (an ordered item can interrupt a paragraph only from 1)
            if m and (leaf != _PARA or matched < len(containers) or not m.group(1) or int(m.group(1)) == 1):
                # A list item holding a paragraph (plain text after a list marker is no
                # thematic break either).
                self._start(matched, i)
                item = _Item(indent + m.end(2))  # its indentation, the marker and the spaces after
                item.has_child = True
                containers.append(item)
                self.leaf = _PARA
                return True
        if plain is None:
            plain = (c not in _SPECIAL and c != "[") or _PLAIN_TEXT.match(text)
        if plain:
            self._start(matched, i)  # a paragraph
            self.leaf = _PARA
            return True
        if (c == "#" and _ATX.match(text)) or (c in "*-_" and _THEMATIC.match(text)):
            # a heading, a thematic break or a setext underline: nothing new stays open
            self._start(matched, i)
            return True
        if c in "`~":
            m = _FENCE_OPEN.match(text)
            if m:
                self._start(matched, i)
                self.leaf = _FENCED
                self.fence = [i, m.group(0), text[m.end() :], indent, []]
                return True
        return False

    def _fence_body(self, lines: list[str], i: int) -> int:
        """Lines from ``i`` inside a top-level fence, up to its closing fence: returns the line
        after it (or after the last line).  Only a line of the fence's character indented
        less than four columns can close it, so every other line is skipped at once."""
        fence = self.fence
        assert fence is not None
        ch, size, indent, content = fence[1][0], len(fence[1]), fence[3], fence[4]
        n = len(lines)
        while i < n:
            ln = lines[i]
            stripped = ln.lstrip(" ")
            lead = len(ln) - len(stripped)
            if lead <= 3 and stripped[:1] == ch:
                m = _FENCE_CLOSE.match(stripped)
                if m and m.group(1)[0] == ch and len(m.group(1)) >= size:
                    self.close_leaf(i + 1, closed=True)
                    return i + 1
            if indent and (lead or ln[:1] == "\t"):
                self.ln, self.offset, self.column, self.tabs, self.partial = ln, 0, 0, True, False
                k = indent
                while k > 0 and self.offset < len(ln) and ln[self.offset] in " \t":
                    self.advance_offset(1, True)
                    k -= 1
                content.append(self.rest())
            else:
                content.append(ln)
            i += 1
        return i

    def line(self, i: int, ln: str) -> None:
        self.ln, self.offset, self.column, self.partial = ln, 0, 0, False
        self.tabs = not self.shortcuts or "\t" in ln
        containers = self.containers
        # 1. the open containers, from the outside in
        matched = 0
        for c in containers:
            self.find_next_nonspace()
            if c is None:  # block quote
                if self.indent < 4 and self.nn < len(ln) and ln[self.nn] == ">":
                    self.advance_next_nonspace()
                    self.advance_offset(1, False)
                    if self.offset < len(ln) and ln[self.offset] in " \t":
                        self.advance_offset(1, True)
                else:
                    break
            elif self.blank:
                if not c.has_child:
                    break  # a list item can begin with at most one blank line
                self.advance_next_nonspace()
            elif self.indent >= c.width:
                self.advance_offset(c.width, True)
            else:
                break
            matched += 1
        else:
            self.find_next_nonspace()
        # (after a break, the next non-space character was found where the line now stands)
        containers_matched = matched == len(containers)
        leaf = self.leaf
        # 2. the open leaf, when its container goes on
        leaf_matched = False
        if containers_matched and leaf:
            if leaf == _FENCED:
                fence = self.fence
                assert fence is not None
                if self.indent <= 3:
                    m = _FENCE_CLOSE.match(ln, self.nn)
                    if m and m.group(1)[0] == fence[1][0] and len(m.group(1)) >= len(fence[1]):
                        self.close_leaf(i + 1, closed=True)
                        return
                k = fence[3]
                while k > 0 and self.offset < len(ln) and ln[self.offset] in " \t":
                    self.advance_offset(1, True)
                    k -= 1
                fence[4].append(self.rest())
                return
            if leaf == _HTML:
                if self.blank and self.html_type >= 6:
                    self.close_leaf(i)
                    return
                if self.html_type <= 5 and _HTML_END[self.html_type - 1].search(ln, self.offset):
                    self.close_leaf(i + 1)
                return
            if leaf == _INDENTED:
                if self.indent >= 4 or self.blank:
                    return
            elif leaf == _PARA:
                leaf_matched = not self.blank
        all_closed = containers_matched and (leaf_matched or not leaf)
        # 3. new blocks (each pass starts with the next non-space character found)
        para_here = containers_matched and leaf == _PARA and leaf_matched  # CommonMark's container.type == paragraph
        started = False  # a block started on this line: everything unmatched closes
        leaf_started = False
        n = len(ln)
        while True:
            indented = self.indent >= 4
            nn = self.nn
            if not indented and (self.blank or ln[nn] not in _SPECIAL):
                break
            c = ln[nn] if nn < n else ""
            tip_is_para = self.leaf == _PARA and not started
            if not indented:
                if c == ">":
                    self.advance_next_nonspace()
                    self.advance_offset(1, False)
                    if self.offset < n and ln[self.offset] in " \t":
                        self.advance_offset(1, True)
                    self._start(matched, i)
                    containers.append(_QUOTE)
                    matched = len(containers)
                    started, para_here = True, False
                    self.find_next_nonspace()
                    continue
                if c == "#" and _ATX.match(ln, nn):
                    self._start(matched, i)
                    started = leaf_started = True
                    break
                if c in "`~":
                    m = _FENCE_OPEN.match(ln, nn)
                    if m:
                        self._start(matched, i)
                        self.leaf = _FENCED
                        self.fence = [i, m.group(0), ln[m.end() :], self.indent, []]
                        started = leaf_started = True
                        break
                if c == "<":
                    t = self._html_type(ln[nn:])
                    lazy_para = not all_closed and not self.blank and tip_is_para
                    if t and (t < 7 or not (para_here or lazy_para)):
                        self._start(matched, i)
                        self.leaf = _HTML
                        self.html_type = t
                        if t <= 5 and _HTML_END[t - 1].search(ln, self.offset):
                            self.close_leaf(i + 1)
                        started = leaf_started = True
                        break
                if para_here and c in "=-" and _SETEXT.match(ln, nn):
                    if self.defs is None or not self._only_definitions():
                        self._start(matched, i)  # the paragraph becomes a heading
                        started = leaf_started = True
                        break
                    # A paragraph of link reference definitions has no text to make a heading
                    # of: this line is no underline.  (commonmark.js removes the definitions from
                    # the paragraph's text, which then opens with this line: no definition.)
                    self.defs = None
                if c in "*-_" and _THEMATIC.match(ln, nn):
                    self._start(matched, i)
                    started = leaf_started = True
                    break
                width = self._list_marker(para_here)
                if width:
                    self._start(matched, i)
                    containers.append(_Item(width))
                    matched = len(containers)
                    started, para_here = True, False
                    self.find_next_nonspace()
                    continue
                break
            if not tip_is_para and not self.blank:
                self.advance_offset(4, True)
                self._start(matched, i)
                self.leaf = _INDENTED
                started = leaf_started = True
            break
        if leaf_started:
            return
        # 4. what is left of the line
        if not started and not all_closed and not self.blank and self.leaf == _PARA:
            # a lazy continuation line: the paragraph goes on, and so do its containers
            if self.defs is not None:
                self.defs.append(ln[self.nn :])
            return
        if matched < len(containers):
            del containers[matched:]
            if self.leaf:
                self.close_leaf(i)
        if self.leaf == _PARA and para_here:
            if self.defs is not None:  # the paragraph goes on
                self.defs.append(ln[self.nn :])
            return
        if self.leaf:
            self.close_leaf(i)
        if not self.blank:
            self.advance_next_nonspace()
            self.add_child()
            self.leaf = _PARA
            if ln[self.offset] == "[" and not _NOT_A_DEFINITION.match(ln, self.offset):
                self.defs = [ln[self.offset :]]  # it may open with a link reference definition

    def _only_definitions(self) -> bool:
        """Whether the open paragraph's text is link reference definitions and nothing else
        (CommonMark 4.3: then a setext heading underline is none).  commonmark.js reads the
        definitions at the start of the text one after the other, as here."""
        assert self.defs is not None
        s = "\n".join(self.defs) + "\n"
        pos = 0
        while s.startswith("[", pos):
            end = _definition(s, pos)
            if end is None:
                break
            pos = end
        return pos == len(s)

    def _start(self, matched: int, i: int) -> None:
        """A block starts on line ``i``, in the innermost matched container: the containers left
        unmatched close, and so does the open leaf (a paragraph cannot hold a container, and a
        new leaf replaces the old one).  The caller opens the new block."""
        containers = self.containers
        if matched < len(containers):
            del containers[matched:]
        if self.leaf:
            self.close_leaf(i)
        self.add_child()

    @staticmethod
    def _html_type(s: str) -> int:
        for t, rx in enumerate(_HTML_START, 1):
            if rx.match(s):
                return t
        return 0

    def _list_marker(self, para_here: bool) -> int:
        """The width of a list item starting here (its marker, spaces and indentation), or 0;
        when one starts, the line stands at its content."""
        ln, nn = self.ln, self.nn
        if ln[nn] in "*+-":
            end = nn + 1
        else:
            m = _ORDERED.match(ln, nn)
            if not m or (para_here and int(m.group(1)) != 1):  # "01." starts at 1 too
                return 0
            end = m.end()
        n = len(ln)
        if end < n and ln[end] not in " \t":
            return 0
        if para_here and not ln[end:].strip(" \t"):
            return 0  # an empty item cannot interrupt a paragraph
        marker_offset = self.indent
        if not self.tabs:
            # Each character one column: the spaces after the marker, at most five, at once.
            k = end + 1 if end < n else end
            while k < n and k - end < 5 and ln[k] == " ":
                k += 1
            spaces = k - end
            if spaces >= 5 or spaces < 1 or k >= n:
                padding = end - nn + 1
                k = end + 1 if end < n else end
            else:
                padding = end - nn + spaces
            self.offset = self.column = k
            return marker_offset + padding
        self.advance_next_nonspace()
        self.advance_offset(end - nn, True)
        start_col, start_offset = self.column, self.offset
        while True:
            self.advance_offset(1, True)
            if not (self.column - start_col < 5 and self.offset < n and ln[self.offset] in " \t"):
                break
        blank_item = self.offset >= n
        spaces = self.column - start_col
        if spaces >= 5 or spaces < 1 or blank_item:
            padding = end - nn + 1
            self.column, self.offset = start_col, start_offset
            if self.offset < n and ln[self.offset] in " \t":
                self.advance_offset(1, True)
        else:
            padding = end - nn + spaces
        return marker_offset + padding
