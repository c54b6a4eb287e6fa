"""Moderation of participatory texts: amendments and paragraph comments reported, pre-moderated, hidden."""

import json

import jsonschema_rs
import pytest
from sqlalchemy import select

from concertation.comments import services as comments
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.moderation import services as moderation
from concertation.moderation.models import ModerationAction, Report
from concertation.notifications.models import Notification
from concertation.texts import services
from tests.api.test_crawl import response_schema
from tests.factories import make_territory, make_user, when_open
from tests.texts.test_exports import pdf_text
from tests.texts.scene import make_amendment, make_text, paragraph


def page(response) -> str:
    return response.get_data(as_text=True)


def _organiser(text):
    return make_user("organiser", text.consultation.territory)


def test_reports_on_an_amendment_hide_it_at_the_threshold_and_it_waits_in_the_queue(app):
    text = make_text()
    amendment = make_amendment(text, wording="Les agents sont fichés par Jean Dupont, 12 rue des Lilas.")
    territory = text.consultation.territory
    territory.report_threshold = 2
    moderation.report(make_user(), amendment, "personal_data", "Une adresse.", utcnow())
    assert amendment.is_visible
    moderation.report(make_user(), amendment, "abuse", "", utcnow())
    db.session.commit()
    assert amendment.moderation == "hidden"
    assert db.session.scalar(select(Report.amendment_id).limit(1)) == amendment.id
    items = moderation.queue(territory)
    assert [(i.kind, i.target.id, i.open_reports) for i in items] == [("amendment", amendment.id, 2)]
    assert moderation.queue_size(territory.id) == 1  # one contribution waits
    with pytest.raises(ActionRefused):
        moderation.report(amendment.author, amendment, "spam", "", utcnow())


def test_the_same_person_reports_an_amendment_once(app):
    text = make_text()
    amendment = make_amendment(text)
    reporter = make_user()
    moderation.report(reporter, amendment, "spam", "", utcnow())
    db.session.commit()
    with pytest.raises(ActionRefused) as refused:
        moderation.report(reporter, amendment, "spam", "", utcnow())
    assert refused.value.status == 409
    db.session.rollback()


def test_a_hidden_amendment_leaves_the_pages_the_open_data_and_the_answers(client, auth):
    text = make_text()
    kept = make_amendment(text, 2, wording="Une rédaction correcte du deuxième paragraphe.")
    hidden = make_amendment(text, 3, wording="Une rédaction insultante du troisième.")
    moderation.hide(_organiser(text), hidden, "Propos injurieux.", utcnow())
    db.session.commit()

    assert [a.id for a in services.text_amendments(text)] == [kept.id]
    html = page(client.get(f"/textes/{text.id}"))
    assert f'id="amendement-{kept.id}"' in html and f'id="amendement-{hidden.id}"' not in html
    assert "insultante" not in page(client.get(f"/textes/paragraphes/{hidden.paragraph_id}"))
    data = json.dumps(json.loads(page(client.get(f"/textes/{text.id}/amendements.json"))), ensure_ascii=False)
    assert "correcte" in data and "insultante" not in data
    assert "insultante" not in page(client.get(f"/textes/{text.id}/amendements.csv"))

    # Its author still sees it, with the moderation's reason; nobody may support it.
    auth.login(hidden.author)
    assert "Propos injurieux." in page(client.get(f"/textes/paragraphes/{hidden.paragraph_id}"))
    auth.logout()
    auth.login(make_user())
    assert client.post(f"/textes/amendements/{hidden.id}/soutien").status_code == 404


def test_an_amendment_hidden_after_adoption_shows_the_moderation_s_reason_in_the_version_and_its_exports(client):
    text = make_text()
    author = make_user(pseudonym="Paul Fichet")
    amendment = make_amendment(
        text, 2, author=author, wording="Les agents choisissent leurs outils d’IA.", justification="Appelez le 06 12."
    )
    organiser = _organiser(text)
    services.answer_amendment(organiser, amendment, "accepted", "", utcnow())
    version = services.publish_version(organiser, text, utcnow())
    db.session.commit()
    html = page(client.get(f"/textes/versions/{version.id}"))
    assert f"Amendement n° {amendment.id}" in html and "Paul Fichet" in html
    moderation.hide(organiser, amendment, "Données personnelles.", utcnow())
    db.session.commit()

    # The version page: the change stays traced, by the moderation's reason, without its author nor a link to it.
    html = page(client.get(f"/textes/versions/{version.id}"))
    assert f"Amendement n° {amendment.id}" in html and "Données personnelles." in html
    assert "Paul Fichet" not in html and f"#amendement-{amendment.id}" not in html
    assert "choisissent" in html  # the adopted wording stays what was adopted

    # The printed version: its source line and the amendment table say the same.
    printed = pdf_text(client.get(f"/textes/versions/{version.id}/texte-adopte.pdf"))
    assert f"Vient de l’amendement n° {amendment.id}, masqué par la modération : Données personnelles." in printed
    assert "Masqué par la modération : Données personnelles." in printed
    assert "Paul Fichet" not in printed and "06 12" not in printed

    # The open data: the amendment keeps its row and its answer, not its wording, justification or author.
    document = json.loads(page(client.get(f"/textes/{text.id}/amendements.json")))
    [row] = document["data"]
    assert (row["id"], row["reponse"], row["moderation"], row["motif_moderation"]) == (
        amendment.id,
        "Accepté",
        "masqué",
        "Données personnelles.",
    )
    assert row["redaction"] == row["justification"] == row["auteur"] == ""
    assert {c["name"] for c in document["metadata"]["columns"]} == set(row)
    csv_body = page(client.get(f"/textes/{text.id}/amendements.csv"))
    assert "masqué" in csv_body and "Paul Fichet" not in csv_body and "06 12" not in csv_body

    # The API: a placeholder with the reason, in the amendments and in the version's sources, as its schema says.
    body = client.get(f"/api/v1/texts/{text.id}").get_json()
    jsonschema_rs.validator_for(response_schema("/api/v1/texts/<int:text_id>")).validate(body)
    [listed] = body["data"]["amendments"]
    assert listed["hidden"] is True and listed["reason"] == "Données personnelles."
    assert listed["wording"] is None and listed["justification_html"] is None and listed["author"] is None
    [source] = [s for p in body["data"]["versions"][0]["paragraphs"] for s in p["sources"]]
    assert source == {
        "amendment_id": amendment.id,
        "hidden": True,
        "reason": "Données personnelles.",
        "author": None,
        "support_count": None,
        "judges": None,
        "majority_mention": None,
        "majority_label": None,
    }
    assert "Paul Fichet" not in json.dumps(body, ensure_ascii=False)


def test_an_amendment_waiting_for_the_premoderation_stays_out_of_the_open_data_and_the_api(client):
    text = make_text()
    text.consultation.premoderation = True
    db.session.commit()
    waiting = make_amendment(text, 2, wording="Une rédaction en attente.")
    assert waiting.moderation == "pending"
    assert json.loads(page(client.get(f"/textes/{text.id}/amendements.json")))["data"] == []
    assert client.get(f"/api/v1/texts/{text.id}").get_json()["data"]["amendments"] == []


def test_a_hidden_amendment_is_left_out_of_the_adopted_version_and_does_not_hold_it_back(app):
    text = make_text()
    organiser = _organiser(text)
    accepted = make_amendment(text, 2, wording="Rédaction acceptée puis masquée.")
    services.answer_amendment(organiser, accepted, "accepted", "", utcnow())
    waiting = make_amendment(text, 3, wording="Rédaction jamais répondue, masquée.")
    moderation.hide(organiser, accepted, "Hors charte.", utcnow())
    moderation.hide(organiser, waiting, "Hors charte.", utcnow())
    version = services.publish_version(organiser, text, utcnow())
    assert [p.change for p in version.paragraphs] == ["kept"] * 4
    with pytest.raises(ActionRefused):
        services.answer_amendment(organiser, waiting, "rejected", "Non.", utcnow())


def test_under_premoderation_an_amendment_waits_then_is_published_by_an_organiser(client, auth):
    text = make_text()
    text.consultation.premoderation = True
    db.session.commit()
    author, organiser = make_user(), _organiser(text)
    amendment = services.propose_amendment(
        author,
        paragraph(text, 2),
        "replace",
        "Une rédaction à relire.",
        "Parce que.",
        when_open(text.consultation, "amend"),
    )
    db.session.commit()
    assert amendment.moderation == "pending"
    told = db.session.scalars(select(Notification.user_id).where(Notification.kind == "moderation")).all()
    assert organiser.id in told
    assert "relire" not in page(client.get(f"/textes/{text.id}"))

    auth.login(author)
    assert "en attente de modération" in page(client.get(f"/textes/paragraphes/{amendment.paragraph_id}"))
    auth.logout()
    auth.login(organiser)
    slug = text.consultation.territory.slug
    assert "relire" in page(client.get(f"/territoires/{slug}/moderation"))
    assert client.get(f"/textes/amendements/{amendment.id}/reponse").status_code == 409
    response = client.post(f"/territoires/{slug}/moderation/amendement/{amendment.id}/publier", data={"reason": ""})
    assert response.status_code == 302
    db.session.refresh(amendment)
    assert amendment.moderation == "visible"
    auth.logout()
    assert "relire" in page(client.get(f"/textes/{text.id}"))
    assert (
        db.session.scalar(
            select(ModerationAction.action).where(
                ModerationAction.target_type == "amendment", ModerationAction.target_id == amendment.id
            )
        )
        == "approve"
    )


def test_a_participant_reports_an_amendment_from_its_card(client, auth):
    text = make_text()
    amendment = make_amendment(text)
    auth.login(make_user())
    html = page(client.get(f"/textes/paragraphes/{amendment.paragraph_id}"))
    assert f"/signaler/amendement/{amendment.id}" in html
    assert "La formation vient d’abord." in page(client.get(f"/signaler/amendement/{amendment.id}"))
    response = client.post(f"/signaler/amendement/{amendment.id}", data={"reason": "off_topic", "detail": ""})
    assert response.status_code == 302
    assert f"#amendement-{amendment.id}" in response.headers["Location"]
    assert db.session.scalar(select(Report.amendment_id)) == amendment.id
    # Another territory's organiser cannot decide on it.
    auth.logout()
    auth.login(make_user("organiser", make_territory()))
    other = make_territory()
    assert client.post(f"/territoires/{other.slug}/moderation/amendement/{amendment.id}/masquer").status_code == 403


def test_an_organiser_redacts_an_amendment_s_justification(client, auth):
    text = make_text()
    amendment = make_amendment(text, justification="Appelez-moi au 06 12 34 56 78.")
    organiser = _organiser(text)
    auth.login(organiser)
    slug = text.consultation.territory.slug
    form = page(client.get(f"/territoires/{slug}/moderation/amendement/{amendment.id}/expurger"))
    assert "06 12 34 56 78" in form
    response = client.post(
        f"/territoires/{slug}/moderation/amendement/{amendment.id}/expurger",
        data={"body": "Appelez-moi.", "reason": "Numéro de téléphone"},
    )
    assert response.status_code == 302
    db.session.refresh(amendment)
    assert amendment.justification == "Appelez-moi." and "06 12" not in amendment.justification_html
    entry = db.session.scalar(select(ModerationAction).where(ModerationAction.target_type == "amendment"))
    assert entry.action == "redact" and "06 12 34 56 78" in entry.before


def test_a_paragraph_comment_is_reported_hidden_and_shown_as_hidden_in_its_thread(client, auth):
    text = make_text()
    target = paragraph(text, 2)
    comment = comments.add_comment(make_user(), text.consultation, "Un propos hors charte.", utcnow(), paragraph=target)
    db.session.commit()
    auth.login(make_user())
    html = page(client.get(f"/textes/paragraphes/{target.id}"))
    assert f"/signaler/commentaire/{comment.id}" in html
    response = client.post(f"/signaler/commentaire/{comment.id}", data={"reason": "abuse", "detail": ""})
    assert f"/textes/paragraphes/{target.id}#commentaire-{comment.id}" in response.headers["Location"]
    moderation.hide(_organiser(text), comment, "Injurieux.", utcnow())
    db.session.commit()
    html = page(client.get(f"/textes/paragraphes/{target.id}"))
    assert "hors charte" not in html and "Injurieux." in html and "0 commentaire" in html
