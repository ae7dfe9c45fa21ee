"""``--format junit``: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).

One ``<testsuite name="agentlint">``; one ``<testcase>`` per file checked (a clean file is a
passing test); one ``<failure>`` per error or warning in that file, and an ``<error>`` for an
internal error (AL000).  Info diagnostics do not fail the test; they go to ``<system-out>``.
Text that XML 1.0 cannot hold (control characters, lone surrogates) is escaped visibly.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import IO, Sequence

from ._util import clean, posix_path

# Characters XML 1.0 forbids even as references: C0 controls other than TAB/LF/CR,
# surrogates, U+FFFE and U+FFFF.
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    text = _BAD_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
    return clean(text)


def _line(d) -> str:
    return f"{posix_path(d.path)}:{d.span.line}:{d.span.column}: {d.code} {d.message} [{d.severity.value}: {d.name}]"


def build(results: Sequence) -> ET.Element:
    suites = ET.Element("testsuites", name="agentlint")
    suite = ET.SubElement(suites, "testsuite", name="agentlint")
    tests = failures = errors = 0  # testcases (files), failed ones, errored ones
    for r in results:
        path = xml_text(posix_path(r.path))
        case = ET.SubElement(suite, "testcase", name=path, classname="agentlint", file=path)
        tests += 1
        notes = []
        for d in r.diagnostics:
            if d.code == "AL000":
                tag = "error"
            elif d.severity.value in ("error", "warning"):
                tag = "failure"
            else:
                notes.append(_line(d))
                continue
            el = ET.SubElement(case, tag, message=xml_text(f"{d.code} {d.message}"), type=d.code)
            el.text = xml_text(_line(d))
        if case.find("error") is not None:
            errors += 1
        elif case.find("failure") is not None:
            failures += 1
        if notes:
            ET.SubElement(case, "system-out").text = xml_text("\n".join(notes))
    for el in (suites, suite):
        el.set("tests", str(tests))
        el.set("failures", str(failures))
        el.set("errors", str(errors))
    suite.set("skipped", "0")
    return suites


def render(results: Sequence, stream: IO[str], options) -> None:
    root = build(results)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
