"""Text that XML 1.0 can carry: the one sanitiser of every XML output (KML, SVG).

XML 1.0 forbids most C0 control characters (NUL, U+0001-U+0008, U+000B, U+000C,
U+000E-U+001F), lone surrogates and U+FFFE/U+FFFF, raw or as character references; a
comment may not hold ``--``. A property, a title or a file name holding one of them made
KML exports and SVG renders that every XML parser refuses, gazamap's own reader included
(issue 16). Such characters carry no text: they are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

__all__ = ["FORBIDDEN", "xml_text", "clean_tree", "clean_xml"]

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""The characters XML 1.0 does not allow in a document (section 2.2, ``Char``)."""

# A character reference (&#1; &#x0B; &#xFFFF;): one to a forbidden character is as forbidden
_CHAR_REF = re.compile(r"&#(x[0-9a-f]{1,8}|[0-9]{1,10});", re.IGNORECASE)
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)


def xml_text(text: str) -> str:
    r"""``text`` without the characters XML 1.0 forbids.

    >>> xml_text("Rafah\x00 crossing\x1b[31m\uffff")
    'Rafah crossing[31m'
    >>> xml_text("tab\tnew line\n")
    'tab\tnew line\n'
    """
    return FORBIDDEN.sub("", text)


def clean_tree(root: ET.Element) -> ET.Element:
    r"""Every text, tail, attribute name and value of ``root``'s tree made XML-safe, in place.

    >>> el = ET.Element("Data", name="a\x01b")
    >>> el.text = "\x00x"
    >>> ET.tostring(clean_tree(el))
    b'<Data name="ab">x</Data>'
    """
    for el in root.iter():
        if el.text:
            el.text = xml_text(el.text)
        if el.tail:
            el.tail = xml_text(el.tail)
        if el.attrib:
            el.attrib = {xml_text(k): xml_text(v) for k, v in el.attrib.items()}
    return root


def clean_xml(data: bytes) -> bytes:
    r"""A UTF-8 XML document made well-formed: forbidden characters dropped.

    Character references to them go too, and ``--`` inside comments is split
    (matplotlib writes each text of an SVG in a comment).

    >>> clean_xml(b'<svg><!-- a--b \x01 --><text>&#1;x&#x1F;&#65;</text></svg>')
    b'<svg><!-- a- -b  --><text>x&#65;</text></svg>'
    """
    text = xml_text(data.decode("utf-8", errors="replace"))
    text = _CHAR_REF.sub(_allowed_ref, text)
    text = _COMMENT.sub(lambda m: "<!--" + _comment_body(m.group(1)) + "-->", text)
    return text.encode("utf-8")


def _allowed_ref(m: re.Match[str]) -> str:
    ref = m.group(1)
    code = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
    ok = code <= 0x10FFFF and not FORBIDDEN.match(chr(code)) if code <= 0xFFFF else \
        code <= 0x10FFFF
    return m.group(0) if ok else ""


def _comment_body(body: str) -> str:
    # "--" may not occur in a comment, nor may it end with "-"
    while "--" in body:
        body = body.replace("--", "- -")
    return body + " " if body.endswith("-") else body
