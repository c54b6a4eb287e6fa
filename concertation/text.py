"""The one path from user text to safe HTML: Markdown (or plain text), then bleach.

Every piece of user text is rendered here once, when it is written, and the
HTML is stored beside it; templates show that stored HTML through the
``user_html`` filter and nothing else.
"""

import re
import unicodedata
from collections.abc import MutableMapping

import bleach
import markdown as markdown_lib
from bleach.linkifier import Linker
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "del",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Headings typed by users must not break the page outline: # and ## become h3 and h4.
_HEADING_SHIFT = re.compile(r"<(/?)h([1-6])\b")
# Characters that databases refuse (NUL) or that only serve to hide text.
_FORBIDDEN_CHARS = dict.fromkeys([0x00, 0x202E, 0x202D, 0x2066, 0x2067, 0x2068, 0x2069])


def _set_rel(
    attrs: MutableMapping[tuple[str | None, str], str], new: bool = False
) -> MutableMapping[tuple[str | None, str], str]:
    # bleach's Linker always passes `new` (whether it made the link); every link gets the same rel.
    href = attrs.get((None, "href"), "")
    if href.startswith("mailto:"):
        return attrs
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
)
_linker = Linker(callbacks=[_set_rel], skip_tags={"pre", "code"})


def clean_input(value: str | None) -> str | None:
    """Normalise typed text before it is stored: NFC, Unix newlines, no NUL or bidi overrides."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.translate(_FORBIDDEN_CHARS)


def _shift_heading(match: re.Match) -> str:
    level = min(6, int(match.group(2)) + 2)
    return f"<{match.group(1)}h{level}"


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML, with links marked nofollow ugc noopener.

    Text nested deeper than the Markdown parser can follow ("- " typed 600 times makes 600 lists
    inside one another) is shown as the plain text it is, rather than failing.
    """
    try:
        html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    except RecursionError:
        return render_plain(text)
    html = _HEADING_SHIFT.sub(_shift_heading, html)
    return _linker.linkify(_cleaner.clean(html))


def render_plain(text: str) -> str:
    """Plain text to sanitised HTML: paragraphs and line breaks kept, links made clickable."""
    paragraphs = [p for p in re.split(r"\n{2,}", text or "") if p.strip()]
    html = "".join("<p>" + str(escape(p)).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return _linker.linkify(_cleaner.clean(html))


def to_html(text: str, markdown: bool = True) -> str:
    return render_markdown(text) if markdown else render_plain(text)


def user_html(stored_html: str | None) -> Markup:
    """Template filter: show HTML that was produced by this module when the text was written."""
    return Markup(stored_html or "")


def excerpt(text: str | None, length: int = 200) -> str:
    """A plain-text excerpt of typed text, cut on a word boundary."""
    flat = " ".join((text or "").split())
    flat = re.sub(r"[*_`#>\[\]]", "", flat)
    if len(flat) <= length:
        return flat
    return flat[:length].rsplit(" ", 1)[0] + "…"
