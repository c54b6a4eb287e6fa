"""A draft text from an OpenDocument text (ODT): headings become chapters, paragraphs become paragraphs.

The document is turned into the Markdown the organisers could have pasted, and goes through the same
import (and the same limits) as Markdown; that Markdown is kept as the text's source, to correct and
import again. Only content.xml is read, bounded in size, and a document that declares entities is
refused before parsing: an uploaded archive is never trusted.
"""

import io
import re
import zipfile
from xml.etree import ElementTree

from flask_babel import lazy_gettext as _l

from concertation.errors import ActionRefused
from concertation.texts.services import check_source

FILE_MAX = 10 * 1024 * 1024
CONTENT_MAX = 20 * 1024 * 1024  # content.xml once decompressed: a guard against zip bombs
MIMETYPE = "application/vnd.oasis.opendocument.text"

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
# Elements whose paragraphs belong to the text: sections and the cells of tables.
CONTAINERS = {
    f"{TEXT}section",
    f"{TABLE}table",
    f"{TABLE}table-header-rows",
    f"{TABLE}table-rows",
    f"{TABLE}table-row-group",
    f"{TABLE}table-row",
    f"{TABLE}table-cell",
}
# Inline elements whose text is not the paragraph's: footnotes, comments, frames (images, text boxes).
SKIPPED_INLINE = {f"{TEXT}note", f"{OFFICE}annotation", "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame"}
_MARKDOWN_HEADING = re.compile(r"^\s*#")


def _refuse(message) -> ActionRefused:
    return ActionRefused(message, field="document")


def _inline(element) -> str:
    """The text of a paragraph or heading: spans and links read through, spaces and line breaks kept."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{TEXT}s":
            count = child.get(f"{TEXT}c") or "1"
            parts.append(" " * min(int(count) if count.isdigit() else 1, 100))
        elif child.tag == f"{TEXT}tab":
            parts.append(" ")
        elif child.tag == f"{TEXT}line-break":
            parts.append("\n")
        elif child.tag not in SKIPPED_INLINE:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lines(value: str) -> list[str]:
    """Non-empty lines, spaces collapsed; a line that Markdown would read as a heading is escaped."""
    lines = [" ".join(line.split()) for line in value.split("\n")]
    return ["\\" + line if _MARKDOWN_HEADING.match(line) else line for line in lines if line]


def _list_lines(element, depth: int = 0) -> list[str]:
    lines = []
    for item in element:
        if item.tag not in (f"{TEXT}list-item", f"{TEXT}list-header"):
            continue
        for child in item:
            if child.tag in (f"{TEXT}p", f"{TEXT}h"):
                words = " ".join(_lines(_inline(child)))
                if words:
                    lines.append(f"{'    ' * depth}- {words}")
            elif child.tag == f"{TEXT}list":
                lines += _list_lines(child, depth + 1)
    return lines


def _blocks(element, out: list[str]) -> None:
    for child in element:
        if child.tag == f"{TEXT}h":
            title = " ".join(_inline(child).split())
            if title:
                level = child.get(f"{TEXT}outline-level") or "1"
                out.append("#" * (min(int(level), 6) if level.isdigit() and int(level) > 0 else 1) + " " + title)
        elif child.tag == f"{TEXT}p":
            lines = _lines(_inline(child))
            if lines:
                out.append("\n".join(lines))
        elif child.tag == f"{TEXT}list":
            lines = _list_lines(child)
            if lines:
                out.append("\n".join(lines))
        elif child.tag in CONTAINERS:
            _blocks(child, out)


def _content(data: bytes) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names and archive.open("mimetype").read(100).strip() != MIMETYPE.encode():
            raise _refuse(_l("Ce fichier n’est pas un texte OpenDocument (ODT)."))
        if "content.xml" not in names:
            raise _refuse(_l("Ce fichier n’est pas un texte OpenDocument (ODT)."))
        with archive.open("content.xml") as content:
            xml = content.read(CONTENT_MAX + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        raise _refuse(_l("Ce fichier n’est pas un texte OpenDocument (ODT) lisible.")) from None
    if len(xml) > CONTENT_MAX:
        raise _refuse(_l("Le contenu de ce fichier est trop volumineux."))
    return xml


def markdown_of(data: bytes) -> str:
    """The Markdown of an ODT file's text; a file that is not a readable ODT is refused with a French message."""
    if len(data) > FILE_MAX:
        raise _refuse(_l("Le fichier dépasse %(size)d Mo.", size=FILE_MAX // (1024 * 1024)))
    if not data:
        raise _refuse(_l("Le fichier est vide."))
    xml = _content(data)
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise _refuse(_l("Ce fichier n’est pas un texte OpenDocument (ODT) lisible."))
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        raise _refuse(_l("Ce fichier n’est pas un texte OpenDocument (ODT) lisible.")) from None
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise _refuse(_l("Ce fichier n’est pas un texte OpenDocument (ODT)."))
    blocks: list[str] = []
    try:
        _blocks(body, blocks)
    except RecursionError:
        raise _refuse(_l("Ce fichier n’est pas un texte OpenDocument (ODT) lisible.")) from None
    markdown = "\n\n".join(blocks) + "\n"
    check_source(markdown, field="document")
    return markdown


def read_upload(upload) -> str:
    """The Markdown of an uploaded ODT (a werkzeug FileStorage), read no further than the size limit."""
    if not (upload.filename or "").lower().endswith(".odt"):
        raise _refuse(_l("Joignez un fichier ODT (texte OpenDocument)."))
    return markdown_of(upload.read(FILE_MAX + 1))
