"""Hostile query strings on every GET route of the URL map: a 4xx or a page, never a 500.

The routes are read from ``app.url_map`` and filled with the demonstration's objects; each is
asked with page numbers past any integer, huge ids, dates at the ends of the calendar, sort keys
that do not exist, and the keyword arguments of ``url_for`` itself.
"""

import pytest
from sqlalchemy import select

from concertation import demo
from concertation.comments.models import Comment
from concertation.consultations.models import Consultation, Resource
from concertation.db import utcnow
from concertation.extensions import db
from concertation.manifesto.models import Manifesto, ManifestoPoint
from concertation.proposals.models import Proposal
from concertation.synthesis.models import SynthesisVersion
from concertation.territories.models import Territory
from tests.factories import make_comment_row, make_proposal, make_proposal_row, make_user
from tests.url_walk import rules, urls

HUGE = "99999999999999999999"
HOSTILE = [
    f"page={HUGE}&theme={HUGE}&depuis={HUGE}&per_page={HUGE}",
    "page=-3&theme=-1&sort=%27%3B--&answer=zzz",
    "page=abc&theme=abc&territoire=nulle-part&q=" + "a" * 3000,
    "depuis=0001-01-01&jusqu_au=9999-12-31",
    "page=2&_anchor=x&_external=0&_scheme=javascript&_method=POST",
    "page=2&consultation_id=1&proposal_id=x&slug=autre&number=x&uid=x&user_id=x",
    "page=2&endpoint=x&values=1",
    "next=%0d%0aLocation:%20//evil.example&titre=" + "é" * 3000,
]


def _demo_values():
    demo.load(utcnow())
    db.session.commit()
    first = lambda model: db.session.scalar(select(model).order_by(model.id).limit(1))  # noqa: E731
    # Enough rows for the lists, threads and the home page to have a second page (and their page links).
    proposal = first(Proposal)
    for n in range(45):
        make_proposal_row(proposal.consultation, title=f"Proposition de remplissage {n}")
        make_comment_row(proposal.consultation, proposal=proposal)
        make_comment_row(proposal.consultation)
    version = first(SynthesisVersion)
    manifesto = first(Manifesto)
    point = first(ManifestoPoint)
    return {
        "consultation_id": [first(Consultation).id, version.consultation_id],
        "proposal_id": first(Proposal).id,
        "comment_id": first(Comment).id,
        "resource_id": (first(Resource).id if first(Resource) else 1),
        "number": 1,
        "slug": [first(Territory).slug, manifesto.slug],
        "uid": point.uid if point else 1,
        "section_id": 1,
        "citation_id": 1,
        "template_id": 1,
        "notification_id": 1,
        "user_id": 1,
        "territory_id": 1,
        "suggestion_id": 1,
        "source_id": 1,
        "target_id": first(Proposal).id,
        "kind": "proposition",
        "decision": "masquer",
        "token": "jeton-inconnu",
    }


@pytest.mark.parametrize("reader", ["visitor", "admin"])
def test_no_get_route_answers_500_to_a_hostile_query_string(app, client, auth, reader):
    values = _demo_values()
    if reader == "admin":
        auth.login(make_user("admin"))
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash is answered as a visitor would see it: a 500
    failures, asked = [], 0
    for rule, _methods in rules(app, methods=("GET",)):
        for path in urls(rule, values):
            for query in HOSTILE:
                asked += 1
                response = client.get(f"{path}?{query}")
                response.get_data()
                response.close()  # a streamed export ends inside its request
                if response.status_code >= 500:
                    failures.append(f"{path}?{query[:60]} → {response.status_code}")
    assert asked > 500
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("body", ["- " * 600 + "x", "1. " * 600, "> " * 1400 + "x", "* " * 600 + "x\n" * 3])
def test_deeply_nested_markdown_is_kept_as_plain_text_not_a_500(client, auth, body):
    consultation = make_proposal().consultation
    auth.login(make_user())
    preview = client.post(
        f"/consultations/{consultation.id}/propositions/nouvelle",
        data={
            "title": "Une proposition imbriquée",
            "body": body[:5000],
            "theme": str(consultation.themes[0].id),
            "action": "preview",
        },
    )
    assert preview.status_code == 200
    comment = client.post(f"/consultations/{consultation.id}/debat", data={"body": body[:3000]})
    assert comment.status_code == 302
    assert "x" in client.get(comment.headers["Location"]).get_data(as_text=True)
