import pytest

from concertation.text import clean_input, excerpt, render_markdown, render_plain
from tests.html_checks import executable_markup

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">clic</a>",
    "[clic](javascript:alert(1))",
    "<svg/onload=alert(1)>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">ok</a>",
    "\"><script>alert(1)</script>",
    "<object data=\"x\"></object><embed src=\"x\">",
    "<form action=\"https://evil.example\"><input name=a></form>",
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]



@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("render", [render_markdown, render_plain])
def test_hostile_markup_never_comes_out_executable(hostile, render):
    html = render(hostile)
    assert executable_markup(html) == [], html
    assert "<img" not in html.lower()


def test_markdown_keeps_simple_formatting_and_marks_links():
    html = render_markdown("**Former** les *agents* : [guide](https://exemple.org/guide)")
    assert "<strong>Former</strong>" in html and "<em>agents</em>" in html
    assert 'href="https://exemple.org/guide"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_bare_urls_become_links_with_rel():
    html = render_plain("Voir https://exemple.org/page pour en savoir plus")
    assert '<a href="https://exemple.org/page" rel="nofollow ugc noopener">' in html


def test_user_headings_are_shifted_below_the_page_outline():
    html = render_markdown("# Titre\n\n## Sous-titre")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Titre</h3>" in html and "<h4>Sous-titre</h4>" in html


def test_plain_text_keeps_paragraphs_and_escapes_markup():
    html = render_plain("Premier paragraphe\navec un saut\n\nSecond <b>paragraphe</b>")
    assert html.startswith("<p>Premier paragraphe<br>avec un saut</p>")
    assert "&lt;b&gt;" in html


def test_typed_text_is_normalised_without_nul_or_bidi_overrides():
    assert clean_input("a\x00b\r\nc\u202ed") == "ab\ncd"
    assert clean_input("e\u0301") == "é"


def test_excerpt_cuts_on_a_word_boundary():
    assert excerpt("un deux trois quatre", 10) == "un deux…"
    assert excerpt("court", 10) == "court"
