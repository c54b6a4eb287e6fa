import pytest

from concertation.text import clean_input, excerpt, render_markdown, render_plain
from tests.html_checks import executable_markup

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    "[clic](javascript:alert(1))",
    "<svg/onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    '"><script>alert(1)</script>',
    '<object data="x"></object><embed src="x">',
    '<form action="https://evil.example"><input name=a></form>',
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


# Added after the mutation run (tools/mutation.py text): each test kills mutants that survived.


def test_to_html_reads_markdown_by_default_and_plain_text_when_asked():
    from concertation.text import to_html

    assert to_html("**gras**") == "<p><strong>gras</strong></p>"
    assert to_html("**gras**", markdown=False) == "<p>**gras**</p>"


def test_user_html_shows_the_stored_html_as_it_was_made():
    from markupsafe import Markup

    from concertation.text import user_html

    shown = user_html("<p>Bonjour <strong>à tous</strong></p>")
    assert isinstance(shown, Markup) and shown == "<p>Bonjour <strong>à tous</strong></p>"
    assert user_html(None) == ""


def test_a_tag_outside_the_allowlist_is_removed_and_its_text_kept():
    assert render_markdown("Un <span>mot</span> <u>souligné</u>") == "<p>Un mot souligné</p>"


def test_headings_shift_by_two_and_stop_at_h6():
    html = render_markdown("#### Quatre\n\n##### Cinq\n\n###### Six")
    assert html == "<h6>Quatre</h6>\n<h6>Cinq</h6>\n<h6>Six</h6>"


def test_an_excerpt_of_exactly_the_length_is_whole_and_one_more_character_is_cut():
    assert excerpt("a" * 200) == "a" * 200
    assert excerpt("mot " * 50 + "x").endswith("…")
    assert len(excerpt("b" * 201)) <= 201


@pytest.mark.parametrize("char", ["\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\x00"])
def test_every_bidi_override_or_isolate_and_nul_is_removed(char):
    assert clean_input(f"a{char}b") == "ab"
