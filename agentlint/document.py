"""The document layer: bytes -> text -> frontmatter and body, with positions.

The frontmatter is split the way Claude Code splits it: the file (BOM removed) must
start with ``---``, optional white space and a newline; the frontmatter runs to the
first ``---`` after that, and the body starts after that ``---``, trailing white
space and one newline.  A strict reader instead wants a line that is exactly ``---``;
we record both so rules can tell where they disagree.
"""

from __future__ import annotations

import bisect
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Optional, Sequence

# Claude Code skips a file larger than this many bytes (1,048,576 loads, 1,048,577 does not).
MAX_AGENT_BYTES = 1024 * 1024

# Claude Code: /^---\s*\n([\s\S]*?)---\s*\n?/ on the text with its BOM removed.
_OPEN_RE = re.compile(r"---\s*\n")
_CLOSE_RE = re.compile(r"---\s*")


class ReadError(Exception):
    """The file could not be read at all (vanished, permission, not a regular file)."""


@dataclass
class Document:
    path: str
    raw: bytes = b""
    size: int = 0
    text: str = ""
    bom: bool = False
    # Offset and reason of the first undecodable byte, or "binary" for NUL bytes.
    decode_error: Optional[tuple[int, str]] = None
    too_large: bool = False
    read_error: Optional[str] = None
    # The tool the file is written for (agentlint.formats): Claude Code's own split and YAML
    # repair apply to "claude"; the other formats are read strictly.
    format: str = "claude"

    has_frontmatter: bool = False
    closed: bool = False
    fm_start: int = 0  # offset of the first character of the frontmatter text
    fm_end: int = 0  # offset just past it (the start of the closing '---')
    close_end: int = 0  # offset just past the closing fence and its newline: the body starts here
    # The line table, made on first use: until then the empty tuple, which is no new object
    # (an empty list would be one more for the garbage collector to walk, for every file).
    _line_starts: Sequence[int] = field(default=(), repr=False, compare=False)
    # (text, secrets) once ``secrets.find_in_document`` has looked: AL605 and the masking of
    # every output need them both.
    _secrets: Optional[tuple] = field(default=None, repr=False, compare=False)

    # ---- positions -------------------------------------------------------
    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into ``text``."""
        if not self._line_starts:
            self._line_starts = line_starts(self.text)
        offset = max(0, min(offset, len(self.text)))
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    def line_offset(self, line: int) -> int:
        """Offset of the start of 1-based ``line``."""
        self.line_col(0)
        line = max(1, min(line, len(self._line_starts)))
        return self._line_starts[line - 1]

    def line_text(self, line: int) -> str:
        start = self.line_offset(line)
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)].rstrip("\r")

    @property
    def line_count(self) -> int:
        self.line_col(0)
        return len(self._line_starts)

    # ---- parts -------------------------------------------------------------
    @property
    def frontmatter(self) -> Optional[str]:
        if not self.closed:
            return None
        return self.text[self.fm_start : self.fm_end]

    @property
    def body(self) -> str:
        if not self.closed:
            return self.text
        return self.text[self.close_end :]

    @property
    def body_offset(self) -> int:
        return self.close_end if self.closed else 0

    @property
    def crlf(self) -> bool:
        return "\r\n" in self.text

    @property
    def fm_first_line(self) -> int:
        return self.line_col(self.fm_start)[0]

    def closing_fence_line(self) -> Optional[int]:
        return self.line_col(self.fm_end)[0] if self.closed else None


def line_starts(text: str) -> list[int]:
    """Offsets at which the lines of ``text`` start (``\n`` ends a line), computed in C."""
    starts = list(accumulate(map(_plus_one, map(len, text.split("\n"))), initial=0))
    starts.pop()  # one past the end of the text
    return starts


_plus_one = (1).__add__


_MIN_READ = 1 << 16
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_bytes(path: str, limit: int = MAX_AGENT_BYTES) -> tuple[bytes, int]:
    """Read at most ``limit + 1`` bytes of a regular file; return (bytes, size on disk).

    Refuses anything that is not a regular file (FIFOs, devices, sockets, directories),
    so that a symlink to /dev/zero or a named pipe cannot hang or exhaust memory.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ReadError(_os_reason(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise ReadError(kind)
        size = st.st_size
        chunks = []
        remaining = limit + 1
        # Ask for the size on disk and one byte more (an end of file shows at once), at least
        # 64 KiB (a file that grows, or reports no size): a 1 MiB request for a 7 KiB file costs
        # a fresh mapping of that buffer each time.
        step = size + 1 if size >= _MIN_READ else _MIN_READ
        while remaining > 0:
            ask = step if step < remaining else remaining
            try:
                chunk = os.read(fd, ask)
            except OSError as exc:
                raise ReadError(_os_reason(exc)) from None
            if not chunk:
                break
            if not chunks and len(chunk) == size < ask:
                # The whole file at once, as large as fstat says and less than asked for: a
                # regular file gives less only at its end, so the read that would return
                # nothing is not made.  (A pseudo-file that reports no size, or a file whose
                # size changed, is read on until a read returns nothing.)
                return chunk, size
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data, size if size > len(data) else len(data)
    finally:
        os.close(fd)


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "the file vanished or is a broken link"
    if exc.errno == errno.EACCES:
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "a symlink loop"
    if exc.errno == errno.EISDIR:
        return "a directory"
    return exc.strerror or str(exc)


def decode(raw: bytes) -> tuple[str, bool, Optional[tuple[int, str]]]:
    """Decode as Claude Code does (UTF-8, invalid bytes become U+FFFD, BOM dropped)."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    error: Optional[tuple[int, str]] = None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", errors="replace")
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        reason = "UTF-16 text" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else f"byte 0x{raw[exc.start]:02x} is not UTF-8"
        error = (len(prefix), reason)
    if error is None:
        # Searched in the bytes (a memchr, where the text may hold 2 or 4 bytes a character):
        # the text is their exact decoding, so its first NUL is the first NUL byte.
        nul = raw.find(b"\x00")
        if nul >= 0:
            error = (len(raw[:nul].decode("utf-8")), "a NUL byte: binary data")
    return text, bom, error


_STRICT_RE = re.compile(r"---[ \t]*\r?\n")
_STRICT_CLOSE_RE = re.compile(r"^---[ \t]*\r?$", re.M)


def split_strict(doc: Document) -> None:
    """Find the frontmatter the way strict readers do: between two lines that are `---`."""
    text = doc.text
    m = _STRICT_RE.match(text)
    if not m:
        return
    doc.has_frontmatter = True
    doc.fm_start = m.end()
    close = _STRICT_CLOSE_RE.search(text, doc.fm_start - 1 if doc.fm_start and text[doc.fm_start - 1] == "\n" else doc.fm_start)
    while close is not None and close.start() < doc.fm_start:
        close = _STRICT_CLOSE_RE.search(text, close.end())
    if close is None:
        return
    doc.closed = True
    doc.fm_end = close.start()
    end = close.end()
    doc.close_end = end + 1 if text.startswith("\n", end) else end


def split(doc: Document) -> None:
    """Find the frontmatter the way Claude Code does (see module docstring)."""
    if doc.format != "claude":
        split_strict(doc)
        return
    text = doc.text
    m = _OPEN_RE.match(text)
    if not m:
        return
    doc.has_frontmatter = True
    doc.fm_start = start = m.end()
    close = text.find("---", start)
    if close < 0:
        return
    doc.closed = True
    doc.fm_end = close
    tail = _CLOSE_RE.match(text, close)
    doc.close_end = tail.end() if tail else close + 3


_formats: Any = None  # agentlint.formats, imported on first use (a relative import costs microseconds)


def from_bytes(path: str, raw: bytes, size: Optional[int] = None) -> Document:
    global _formats
    formats = _formats
    if formats is None:
        from . import formats

        _formats = formats
    if size is None:
        size = len(raw)
    text, bom, decode_error = decode(raw)
    doc = Document(path, raw, size, text, bom, decode_error, too_large=size > MAX_AGENT_BYTES, format=formats.detect(path))
    if not doc.too_large:
        split(doc)
    return doc


def read_document(path: str) -> Document:
    try:
        raw, size = read_bytes(path)
    except ReadError as exc:
        return Document(path=path, read_error=str(exc))
    if size > MAX_AGENT_BYTES:
        # Keep only the start: enough to show where the file begins.
        raw = raw[:4096]
    return from_bytes(path, raw, size)
