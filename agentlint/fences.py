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

Inline content never changes the block structure and is not parsed.  Tabs count to the next
multiple of four columns, partly consumed tabs included.

:func:`scan` returns None where CommonMark's answer depends on more than block structure: a
paragraph that may open with a link reference definition (whether it is one decides, for
example, whether the next line can start an HTML block).  The caller then uses markdown-it.
``tests/test_fences.py`` holds this scanner to markdown-it's answers, on generated bodies and
on the corpus.
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


class Unsure(Exception):
    """This body needs a full CommonMark parser."""


_SPECIAL = frozenset("#`~*+_=<>0123456789-")
_SPACE_RUN = re.compile(r"[ \t]*")
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE_OPEN = re.compile(r"`{3,}(?!.*`)|~{3,}")
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ \t]*$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_THEMATIC = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_BULLET = re.compile(r"[*+-]")
_ORDERED = re.compile(r"(\d{1,9})[.)]")
# A paragraph whose first line may open a link reference definition: "[" and then anything but
# a plain label closed by "]" that is not followed by ":" (a task box "[ ]", a link "[a](b)").
_NOT_A_DEFINITION = re.compile(r"\[[^\]\[\\]*\](?!:)")

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

# Leaf kinds.
_PARA, _FENCED, _INDENTED, _HTML = 1, 2, 3, 4


class _Item:
    __slots__ = ("width", "has_child")

    def __init__(self, width: int) -> None:
        self.width = width  # columns of the item's content, from its container's content
        self.has_child = False


_QUOTE = None  # a block quote in the container stack; a list item is an _Item


def scan(src: str) -> Optional[list[Fence]]:
    """The fenced code blocks of ``src`` (lines split at ``\\n`` only), in order; None when unsure."""
    try:
        return _Scanner().run(src)
    except Unsure:
        return None


class _Scanner:
    def __init__(self) -> None:
        self.containers: list[Optional[_Item]] = []
        self.leaf = 0  # 0, or one of the leaf kinds
        self.fence: Optional[list] = None  # [first, markup, info, indent, content lines]
        self.html_type = 0
        self.fences: list[Fence] = []
        # the line being read
        self.ln = ""
        self.offset = 0
        self.column = 0
        self.nn = 0  # next non-space character
        self.nn_column = 0
        self.indent = 0
        self.blank = False

    # ---- the current line (CommonMark's offset/column bookkeeping) -------------------------
    def find_next_nonspace(self) -> None:
        ln, i, cols = self.ln, self.offset, self.column
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

    def advance_offset(self, count: int, columns: bool) -> None:
        ln = self.ln
        n = len(ln)
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
                    self.column += to_tab
                    self.offset += 1
                    count -= 1
            else:
                self.offset += 1
                self.column += 1
                count -= 1

    # ---- blocks ----------------------------------------------------------------------------------
    def close_leaf(self, line: int, closed: bool = False) -> None:
        if self.leaf == _FENCED and self.fence is not None:
            first, markup, info, _indent, content = self.fence
            body = "\n".join(content) + "\n" if content else ""
            self.fences.append(Fence(first, line, markup, info, body, closed))
            self.fence = None
        self.leaf = 0

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
        while i < n:
            if i > last_line and self.fence is None:
                break
            ln = lines[i]
            if not self.containers:
                # Fast paths at the top level, where no container can claim the line.
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
            line(i, ln)
            i += 1
        self.close_leaf(n)
        return self.fences

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
                self.ln, self.offset, self.column = ln, 0, 0
                k = indent
                while k > 0 and self.offset < len(ln) and ln[self.offset] in " \t":
                    self.advance_offset(1, True)
                    k -= 1
                content.append(ln[self.offset :])
            else:
                content.append(ln)
            i += 1
        return i

    def line(self, i: int, ln: str) -> None:
        self.ln, self.offset, self.column = ln, 0, 0
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
        containers_matched = matched == len(containers)
        self.find_next_nonspace()
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
                fence[4].append(ln[self.offset :])
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
        # 3. new blocks
        para_here = containers_matched and leaf == _PARA and leaf_matched  # CommonMark's container.type == paragraph
        started = False  # a block started on this line: everything unmatched closes
        leaf_started = False
        n = len(ln)
        while True:
            self.find_next_nonspace()
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
                    matched = self._start_container(matched, i, _QUOTE)
                    started, para_here = True, False
                    continue
                if c == "#" and _ATX.match(ln, nn):
                    self._start_leaf(matched, i, 0)
                    started = leaf_started = True
                    break
                if c in "`~":
                    m = _FENCE_OPEN.match(ln, nn)
                    if m:
                        self._start_leaf(matched, i, _FENCED)
                        self.fence = [i, m.group(0), ln[m.end() :], self.indent, []]
                        started = leaf_started = True
                        break
                if c == "<":
                    t = self._html_type(ln[nn:])
                    lazy_para = not all_closed and not self.blank and tip_is_para
                    if t and (t < 7 or not (para_here or lazy_para)):
                        self._start_leaf(matched, i, _HTML)
                        self.html_type = t
                        if t <= 5 and _HTML_END[t - 1].search(ln, self.offset):
                            self.close_leaf(i + 1)
                        started = leaf_started = True
                        break
                if para_here and c in "=-" and _SETEXT.match(ln, nn):
                    self._start_leaf(matched, i, 0)  # the paragraph becomes a heading
                    started = leaf_started = True
                    break
                if c in "*-_" and _THEMATIC.match(ln, nn):
                    self._start_leaf(matched, i, 0)
                    started = leaf_started = True
                    break
                width = self._list_marker(para_here)
                if width:
                    matched = self._start_container(matched, i, _Item(width))
                    started, para_here = True, False
                    continue
                break
            if not tip_is_para and not self.blank:
                self.advance_offset(4, True)
                self._start_leaf(matched, i, _INDENTED)
                started = leaf_started = True
            break
        if leaf_started:
            return
        # 4. what is left of the line
        if not started and not all_closed and not self.blank and self.leaf == _PARA:
            return  # a lazy continuation line: the paragraph goes on, and so do its containers
        self._close_unmatched(matched, i)
        if self.leaf == _PARA and para_here:
            return  # the paragraph goes on
        if self.leaf:
            self.close_leaf(i)
        if not self.blank:
            self.advance_next_nonspace()
            if ln[self.offset] == "[" and not _NOT_A_DEFINITION.match(ln, self.offset):
                raise Unsure("a paragraph that may be a link reference definition")
            self.add_child()
            self.leaf = _PARA

    def _close_unmatched(self, matched: int, i: int) -> None:
        if matched < len(self.containers):
            del self.containers[matched:]
            if self.leaf:
                self.close_leaf(i)

    def _start_container(self, matched: int, i: int, container: Optional[_Item]) -> int:
        """A block quote or list item starts: what was open and unmatched closes, and so does
        the open leaf (a paragraph cannot hold a container).  Returns the new matched count."""
        self._close_unmatched(matched, i)
        if self.leaf:
            self.close_leaf(i)
        self.add_child()
        self.containers.append(container)
        return len(self.containers)

    def _start_leaf(self, matched: int, i: int, kind: int) -> None:
        self._close_unmatched(matched, i)
        if self.leaf:
            self.close_leaf(i)
        self.add_child()
        self.leaf = kind

    @staticmethod
    def _html_type(s: str) -> int:
        for t, rx in enumerate(_HTML_START, 1):
            if rx.match(s):
                return t
        return 0

    def _list_marker(self, para_here: bool) -> int:
        """The width of a list item starting here (its marker, spaces and indentation), or 0."""
        if self.indent >= 4:
            return 0
        ln, nn = self.ln, self.nn
        m = _BULLET.match(ln, nn)
        if not m:
            m = _ORDERED.match(ln, nn)
            if not m or (para_here and m.group(1) != "1"):
                return 0
        end = m.end()
        if end < len(ln) and ln[end] not in " \t":
            return 0
        if para_here and not ln[end:].strip(" \t"):
            return 0  # an empty item cannot interrupt a paragraph
        marker_offset = self.indent
        self.advance_next_nonspace()
        self.advance_offset(end - nn, True)
        start_col, start_offset = self.column, self.offset
        while True:
            self.advance_offset(1, True)
            if not (self.column - start_col < 5 and self.offset < len(ln) and ln[self.offset] in " \t"):
                break
        blank_item = self.offset >= len(ln)
        spaces = self.column - start_col
        if spaces >= 5 or spaces < 1 or blank_item:
            padding = end - nn + 1
            self.column, self.offset = start_col, start_offset
            if self.offset < len(ln) and ln[self.offset] in " \t":
                self.advance_offset(1, True)
        else:
            padding = end - nn + spaces
        return marker_offset + padding
