"""The territories' amendments through the test client: open, propose, co-sign, answer, publish, read the provenance."""

import html as html_lib
import json

from sqlalchemy import select

from concertation.db import utcnow
from concertation.extensions import db
from concertation.manifesto import amendments, services
from concertation.manifesto.models import ManifestoAmendment
from tests.factories import make_territory, make_user
from tests.manifesto.scene import manifesto_with_point

NEW_WORDING = "Aucun outil sans formation des agents, sur leur temps de travail."


def scene(open_draft=True):
    """A published manifesto, the draft of version 2 (open to amendments if asked), organisers of two territories."""
    manifesto, _v1, point, editor = manifesto_with_point()
    draft = services.start_draft(manifesto, utcnow())
    if open_draft:
        amendments.open_amendments(draft)
    t1, t2 = (
        make_territory(name="Saint-Aubin-des-Prés"),
        make_territory(name="Communauté d’agglomération des Trois Rivières", kind="intercommunalite"),
    )
    o1, o2 = make_user("organiser", t1), make_user("organiser", t2)
    db.session.commit()
    return manifesto, draft, point.uid, editor, (t1, o1), (t2, o2)


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def test_an_organiser_amends_another_cosigns_the_editor_accepts_and_the_published_point_says_so(client, auth):
    manifesto, draft, uid, editor, (t1, o1), (t2, o2) = scene(open_draft=False)
    base = f"/manifeste/{manifesto.slug}"
    auth.login(editor)
    assert client.post(f"{base}/brouillon/amendements/ouvrir").status_code == 302
    auth.logout()

    auth.login(o1)
    assert "ouvert aux amendements des territoires" in text(client.get(base))
    page = text(client.get(f"{base}/versions/2/amendements"))
    assert f"{base}/brouillon/points/{uid}/amender" in page
    response = client.post(
        f"{base}/brouillon/points/{uid}/amender",
        data={
            "territory": t1.id,
            "kind": "replace",
            "wording": NEW_WORDING,
            "justification": "Les agents demandent une formation sur leur temps de travail.",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/versions/2/amendements#amendement-1")
    page = text(client.get(response.headers["Location"]))
    # The difference is read by a screen reader too: the changed words are announced, not only coloured.
    card = page.split('id="amendement-1"', 1)[1].split("</article>", 1)[0]
    assert "Proposé au nom de Saint-Aubin-des-Prés" in card and '<ins><span class="visually-hidden">ajouté' in card
    assert o1.pseudonym not in card and o1.email not in card
    auth.logout()

    auth.login(o2)
    response = client.post(f"{base}/brouillon/amendements/1/cosigner", data={"territory": t2.id})
    assert response.status_code == 302
    # French articles: « cosigné par la Communauté… », and the button said « au nom de la Communauté… ».
    assert "Cosigné par la Communauté d’agglomération des Trois Rivières" in text(
        client.get(f"{base}/versions/2/amendements")
    )
    auth.logout()

    auth.login(editor)
    # Publishing waits for the answer.
    response = client.post(f"{base}/publier", data={"change_note": "Amendée par les territoires."})
    assert response.status_code == 422 and "Répondez d’abord à 1 amendement" in text(response)
    answer_page = client.get(f"{base}/brouillon/amendements/1/repondre")
    assert answer_page.status_code == 200 and NEW_WORDING in text(answer_page)
    response = client.post(
        f"{base}/brouillon/amendements/1/repondre", data={"status": "accepted", "reason": "Bienvenu."}
    )
    assert response.status_code == 302
    assert client.get(f"{base}/brouillon/amendements/1/repondre").status_code == 409
    response = client.post(f"{base}/publier", data={"change_note": "Amendée par les territoires."})
    assert response.status_code == 302
    auth.logout()

    credit = "amendé par Saint-Aubin-des-Prés (amendement n° 1, version 2), cosigné par la Communauté d’agglomération des Trois Rivières"
    point_page = text(client.get(f"{base}/versions/2/points/{uid}"))
    assert NEW_WORDING in point_page and credit in point_page
    assert "/consultations/" in point_page  # the citizens' chain is still there
    differences = text(client.get(f"{base}/versions/2/differences"))
    assert credit in differences
    listing = client.get(f"{base}/versions/2/amendements")
    assert listing.status_code == 200 and "Accepté" in text(listing)
    data = json.loads(client.get(f"{base}/versions/2/manifeste.json").get_data(as_text=True))
    assert [(a["number"], a["territory"], a["cosigned_by"]) for a in data["amendments"]] == [
        (1, "Saint-Aubin-des-Prés", ["Communauté d’agglomération des Trois Rivières"])
    ]
    api = client.get(f"/api/v1/manifestos/{manifesto.slug}/versions/2")
    assert api.status_code == 200 and api.get_json()["data"]["amendments"][0]["territory"] == "Saint-Aubin-des-Prés"


def test_who_may_amend_cosign_and_answer(client, auth):
    manifesto, draft, uid, editor, (t1, o1), (t2, o2) = scene()
    base = f"/manifeste/{manifesto.slug}"
    form = {"territory": t1.id, "kind": "delete", "justification": "Ce point fait doublon avec un autre."}
    # A visitor and a citizen may neither read the draft's amendments nor propose one.
    assert client.get(f"{base}/versions/2/amendements").status_code in (302, 403)
    auth.login(make_user())
    assert client.get(f"{base}/versions/2/amendements").status_code == 403
    assert client.post(f"{base}/brouillon/points/{uid}/amender", data=form).status_code == 403
    auth.logout()
    # An organiser of Trois Rivières cannot speak for Saint-Aubin.
    auth.login(o2)
    assert client.post(f"{base}/brouillon/points/{uid}/amender", data=form).status_code == 403
    assert db.session.scalar(select(ManifestoAmendment.id)) is None
    # Without the CSRF token, nothing is written.
    response = client.post(f"{base}/brouillon/points/{uid}/amender", data={**form, "territory": t2.id}, csrf=False)
    assert response.status_code in (400, 422) and db.session.scalar(select(ManifestoAmendment.id)) is None
    # Bad input comes back in French, 422, with what was typed.
    response = client.post(
        f"{base}/brouillon/points/{uid}/amender",
        data={"territory": t2.id, "kind": "add_after", "wording": "Mon texte tapé avec soin.", "justification": "x"},
    )
    assert response.status_code == 422
    assert "Mon texte tapé avec soin." in text(response) and "entre 10 et 2 000 caractères" in text(response)
    response = client.post(
        f"{base}/brouillon/points/{uid}/amender",
        data={**form, "territory": t2.id},
    )
    assert response.status_code == 302
    # The organiser answers nothing, nor opens or closes the draft.
    assert client.get(f"{base}/brouillon/amendements/1/repondre").status_code == 403
    assert client.post(f"{base}/brouillon/amendements/fermer").status_code == 403
    # …and cannot co-sign in the name of another territory, nor their own amendment.
    assert client.post(f"{base}/brouillon/amendements/1/cosigner", data={"territory": t1.id}).status_code == 403
    response = client.post(f"{base}/brouillon/amendements/1/cosigner", data={"territory": t2.id})
    assert response.status_code == 409 and "déjà proposé au nom de ce territoire" in text(response)
    auth.logout()
    # Closed: 409 in French.
    auth.login(editor)
    assert client.post(f"{base}/brouillon/amendements/fermer").status_code == 302
    auth.logout()
    auth.login(o1)
    response = client.post(f"{base}/brouillon/points/{uid}/amender", data=form)
    assert response.status_code == 409 and "pas ouvert aux amendements" in text(response)
    response = client.post(f"{base}/brouillon/amendements/1/cosigner", data={"territory": t1.id})
    assert response.status_code == 409
    # A point of a published version has no amendment form: only the draft's points are amended.
    assert client.get(f"{base}/versions/1/points/{uid}/amender").status_code == 404


def test_the_editor_answers_in_bulk(client, auth):
    manifesto, draft, uid, editor, (t1, o1), (t2, o2) = scene()
    for territory, organiser in ((t1, o1), (t2, o2)):
        amendments.propose(
            organiser, territory, draft, uid, "delete", "", "Ce point fait doublon avec un autre.", utcnow()
        )
    db.session.commit()
    base = f"/manifeste/{manifesto.slug}"
    auth.login(editor)
    page = text(client.get(f"{base}/versions/2/amendements"))
    assert "Répondre aux amendements cochés" in page
    response = client.post(
        f"{base}/brouillon/amendements/repondre", data={"amendments": ["1", "2"], "status": "rejected"}
    )
    assert response.status_code == 422 and "raison du rejet" in text(response)
    response = client.post(
        f"{base}/brouillon/amendements/repondre",
        data={"amendments": ["1", "2"], "status": "rejected", "reason": "Le point reste utile."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [a.status for a in amendments.amendments_of(draft)] == ["rejected", "rejected"]
    draft_page = text(client.get(f"{base}/brouillon"))
    assert "0 amendement attend votre réponse" in draft_page
