"""Printed documents read back as text, as a reader's PDF viewer or word processor would show them."""

import io

from odf import teletype
from odf.opendocument import load
from odf.text import H, P
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def odt_text(data: bytes) -> str:
    """Every paragraph and heading of an ODT (notes and table cells included: they are paragraphs too)."""
    loaded = load(io.BytesIO(data))
    return " ".join(teletype.extractText(e) for e in loaded.getElementsByType(P) + loaded.getElementsByType(H))
