"""An attacker with a confirmed account walks every route of the URL map that names an object.

Whatever the route (a page, a form, a report, a follow, a vote, an export…), content the
attacker may not see on the object's own page must not show up, nor be acted upon, through it:
agents-only consultations of a territory (for a citizen and for an agent of another territory),
someone else's proposal or comment waiting for pre-moderation, the text of hidden content.
"""

import pytest
from sqlalchemy import func, select

from concertation.comments.models import Comment
from concertation.consultations.models import Resource
from concertation.extensions import db
from concertation.moderation.models import Report
from concertation.notifications.models import Follow
from concertation.synthesis.models import Synthesis
from concertation.voting.models import Grade, Support
from tests.factories import make_comment, make_consultation, make_proposal, make_territory, make_user
from tests.manifesto.scene import published_synthesis
from tests.url_walk import rules, urls

SECRET = "Zorglub"  # in every title and text the attacker must not read
# The arguments that name an object with a visibility of its own; routes naming none are not about content.
OBJECT_ARGUMENTS = {
    "consultation_id",
    "proposal_id",
    "comment_id",
    "target_id",
    "resource_id",
    "section_id",
    "citation_id",
    "template_id",
}
FORM = {
    "body": "Un texte assez long pour passer les contrôles.",
    "title": "Un titre assez long",
    "reason": "spam",
    "detail": "détail",
    "mention": "3",
    "stance": "for",
    "justification": "x",
    "proposal_ids": "1",
}


def _counts():
    return [db.session.scalar(select(func.count(model.id))) for model in (Report, Comment, Support, Grade, Follow)]


def _agents_only_scene():
    territory = make_territory()
    organiser = make_user("organiser", territory)
    agent = make_user("agent", territory)
    consultation = make_consultation(
        "proposals",
        territory=territory,
        author=organiser,
        audience="agents",
        title=f"Consultation {SECRET} des agents",
        supports_during_proposals=True,
    )
    proposal = make_proposal(
        consultation, author=agent, title=f"Proposition {SECRET} interne", body=f"Le texte {SECRET} réservé aux agents."
    )
    comment = make_comment(proposal, author=agent, body=f"Commentaire {SECRET} réservé.")
    consultation.resources.append(
        Resource(title=f"Note {SECRET}", description="", kind="link", url="https://exemple.org/note", position=0)
    )
    synthesis_consultation, version, _ = published_synthesis(
        territory, title=f"Retenue {SECRET} des agents", audience="agents"
    )
    db.session.commit()
    return territory, consultation, proposal, comment, synthesis_consultation, version


def _values(consultation, proposal, comment, territory, synthesis_consultation, version):
    return {
        "consultation_id": [consultation.id, synthesis_consultation.id],
        "proposal_id": proposal.id,
        "comment_id": comment.id,
        "target_id": {"proposition": proposal.id, "commentaire": comment.id},
        "resource_id": consultation.resources[0].id,
        "section_id": db.session.get(Synthesis, version.synthesis_id).sections[0].id,
        "citation_id": 1,
        "template_id": 1,
        "number": version.number,
        "slug": territory.slug,
        "decision": "masquer",
        "kind": ["proposition", "commentaire"],
    }


def _walk(client, values, naming=OBJECT_ARGUMENTS):
    """Every (method, path) of a route naming an object, with the attacker's values filled in."""
    for rule, methods in rules(client.application):
        if not naming & set(rule.arguments):
            continue
        filled = {k: v for k, v in values.items() if k != "target_id"}
        if "target_id" in rule.arguments:
            for kind, target in values["target_id"].items():
                for path in urls(rule, {**filled, "target_id": target, "kind": kind}):
                    if f"/{kind}/" in path:
                        yield from ((m, path) for m in methods)
            continue
        for path in urls(rule, filled):
            yield from ((m, path) for m in methods)


@pytest.mark.parametrize("attacker", ["citizen", "agent_elsewhere"])
def test_no_route_naming_an_object_reaches_agents_only_content(client, auth, attacker):
    territory, consultation, proposal, comment, synthesis_consultation, version = _agents_only_scene()
    auth.login(make_user() if attacker == "citizen" else make_user("agent", make_territory()))
    before = _counts()
    walked, leaks = 0, []
    for method, path in _walk(
        client, _values(consultation, proposal, comment, territory, synthesis_consultation, version)
    ):
        walked += 1
        response = client.get(path) if method == "GET" else client.post(path, data=FORM)
        text = response.get_data(as_text=True)
        if response.status_code not in (403, 404) or SECRET in text:
            leaks.append((method, path, response.status_code))
    assert walked > 40  # the walk found the routes (not an empty loop)
    assert not leaks, "\n".join(map(str, leaks))
    assert _counts() == before  # nothing reported, commented, voted or followed


def test_hidden_and_pending_content_of_others_never_shows_its_text(client, auth):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("proposals", territory=territory, author=organiser)
    hidden = make_proposal(consultation, title="Proposition masquée visible", body=f"Téléphone {SECRET} 06 00")
    hidden_comment = make_comment(make_proposal(consultation), body=f"Mon voisin {SECRET} habite là.")
    under_hidden = make_comment(hidden, body=f"Une réponse qui cite {SECRET}.")
    pending = make_proposal(consultation, title=f"En attente {SECRET}", body=f"Attente {SECRET}.")
    hidden.moderation, hidden.moderation_reason = "hidden", "Données personnelles"
    hidden_comment.moderation, hidden_comment.moderation_reason = "hidden", "Données personnelles"
    pending.moderation = "pending"
    db.session.commit()
    auth.login(make_user())
    before = _counts()
    leaks = []
    for target in (hidden, pending):
        values = {
            "consultation_id": consultation.id,
            "proposal_id": target.id,
            "comment_id": [hidden_comment.id, under_hidden.id],
            "target_id": {"proposition": target.id, "commentaire": hidden_comment.id},
            "resource_id": 1,
            "section_id": 1,
            "citation_id": 1,
            "template_id": 1,
            "number": 1,
            "slug": territory.slug,
            "decision": "masquer",
            "kind": ["proposition", "commentaire"],
        }
        for method, path in _walk(client, values, naming={"proposal_id", "comment_id", "target_id"}):
            if method == "POST" and "suivre" in path:
                continue  # following the page of a hidden proposal is harmless and allowed
            response = client.get(path) if method == "GET" else client.post(path, data=FORM)
            if SECRET in response.get_data(as_text=True) or (method == "POST" and response.status_code < 400):
                leaks.append((method, path, response.status_code))
    assert not leaks, "\n".join(map(str, leaks))
    assert _counts()[:2] == before[:2]  # no report, no comment under hidden content


def test_a_citizen_cannot_report_agents_only_content(client, auth):
    territory, consultation, proposal, comment, *_ = _agents_only_scene()
    citizens = [make_user() for _ in range(3)]
    for citizen in citizens:
        auth.login(citizen)
        for kind, target in (("proposition", proposal), ("commentaire", comment)):
            page = client.get(f"/signaler/{kind}/{target.id}")
            assert page.status_code == 404 and SECRET not in page.get_data(as_text=True)
            assert client.post(f"/signaler/{kind}/{target.id}", data={"reason": "spam"}).status_code == 404
        auth.logout()
    db.session.refresh(proposal)
    assert proposal.moderation == "visible"  # three citizens could auto-hide it before


def test_consultation_visibility_is_one_rule_in_python_and_in_sql(app):
    from flask_login import AnonymousUserMixin
    from concertation.consultations.models import Consultation
    from concertation.permissions import can, viewable_consultations

    territory, elsewhere = make_territory(), make_territory()
    consultations = [
        make_consultation("proposals", territory=t, audience=a)
        for t in (territory, elsewhere)
        for a in ("public", "agents", "both")
    ]
    people = [
        AnonymousUserMixin(),
        make_user(),
        make_user("agent", territory),
        make_user("elu", territory),
        make_user("organiser", elsewhere),
        make_user("admin"),
    ]
    for person in people:
        in_python = {c.id for c in consultations if can(person, "consultation.view", c)}
        in_sql = set(db.session.scalars(select(Consultation.id).where(viewable_consultations(person))))
        assert in_python == in_sql, person
