"""Comments on the paragraphs of a participatory text: threads with stances, counts, phases, pre-moderation."""

import csv
import io
import json

import pytest

from concertation.comments import services as comments
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.moderation import services as moderation
from concertation.synthesis.exports import csv_json
from tests.conftest import AuthActions
from tests.factories import make_consultation, make_user
from tests.texts.scene import make_text, paragraph


def page(response) -> str:
    return response.get_data(as_text=True)


def test_a_paragraph_has_its_own_thread_with_stances_apart_from_the_consultations_debate(app):
    text = make_text()
    second, third = paragraph(text, 2), paragraph(text, 3)
    author = make_user()
    now = utcnow()
    root = comments.add_comment(author, text.consultation, "Trop vague.", now, paragraph=second, stance="against")
    reply = comments.add_comment(make_user(), text.consultation, "Je précise.", now, paragraph=second, parent=root)
    comments.add_comment(make_user(), text.consultation, "Bien.", now, paragraph=third, stance="for")
    comments.add_comment(make_user(), text.consultation, "Sur la consultation.", now)
    db.session.commit()

    assert root.stance == "against" and reply.stance is None
    thread = comments.thread_page(paragraph=second)
    assert [c.body for c in thread.roots.items] == ["Trop vague."]
    assert thread.children(root) == [reply]
    debate = comments.thread_page(consultation=text.consultation)
    assert [c.body for c in debate.roots.items] == ["Sur la consultation."]
    first = paragraph(text, 1)
    assert comments.paragraph_counts([first, second, third]) == {first.id: 0, second.id: 2, third.id: 1}


def test_counts_leave_out_pending_hidden_and_deleted_comments(app):
    text = make_text()
    target = paragraph(text, 2)
    now = utcnow()
    kept = comments.add_comment(make_user(), text.consultation, "Un.", now, paragraph=target)
    gone = comments.add_comment(make_user(), text.consultation, "Deux.", now, paragraph=target)
    hidden = comments.add_comment(make_user(), text.consultation, "Trois.", now, paragraph=target)
    comments.delete_comment(gone, now)
    moderation.hide(make_user("organiser", text.consultation.territory), hidden, "Hors charte.", now)
    text.consultation.premoderation = True
    comments.add_comment(make_user(), text.consultation, "En attente.", now, paragraph=target)
    db.session.commit()
    assert kept.is_visible
    assert comments.paragraph_counts([target]) == {target.id: 1}


def test_only_an_open_text_takes_comments_and_a_reply_stays_in_its_thread(app):
    draft = make_text(status="draft")
    with pytest.raises(ActionRefused) as refused:
        comments.add_comment(make_user(), draft.consultation, "Tôt.", utcnow(), paragraph=paragraph(draft, 1))
    assert refused.value.status == 403

    text = make_text()
    root = comments.add_comment(make_user(), text.consultation, "Racine.", utcnow(), paragraph=paragraph(text, 1))
    with pytest.raises(ActionRefused) as refused:
        comments.add_comment(
            make_user(), text.consultation, "Ailleurs.", utcnow(), paragraph=paragraph(text, 2), parent=root
        )
    assert refused.value.status == 404
    other = make_consultation()
    with pytest.raises(ActionRefused) as refused:
        comments.add_comment(make_user(), other, "Mauvaise consultation.", utcnow(), paragraph=paragraph(text, 1))
    assert refused.value.status == 404


def test_a_participant_comments_a_paragraph_and_the_text_page_counts_it(client, auth):
    text = make_text()
    target = paragraph(text, 2)
    auth.login(make_user())
    response = client.post(
        f"/textes/paragraphes/{target.id}/commentaires",
        data={"body": "Et les agents à temps partiel ? <script>alert(1)</script>", "stance": "against"},
    )
    assert response.status_code == 302
    assert f"/textes/paragraphes/{target.id}#commentaire-" in response.headers["Location"]
    html = page(client.get(f"/textes/paragraphes/{target.id}"))
    assert "Et les agents à temps partiel ?" in html and "<script>alert" not in html
    assert "1 commentaire" in html and "badge-stance-against" in html
    assert "1 commentaire" in page(client.get(f"/textes/{text.id}"))
    # Not in the consultation's own debate.
    assert "temps partiel" not in page(client.get(f"/consultations/{text.consultation_id}/debat"))


def test_a_reply_on_a_paragraph_comes_back_to_the_paragraph(client, auth):
    text = make_text()
    target = paragraph(text, 1)
    root = comments.add_comment(make_user(), text.consultation, "Racine.", utcnow(), paragraph=target)
    db.session.commit()
    auth.login(make_user())
    response = client.post(f"/commentaires/{root.id}/repondre", data={"body": "Réponse au paragraphe."})
    assert response.status_code == 302
    assert f"/textes/paragraphes/{target.id}#commentaire-" in response.headers["Location"]
    assert "Réponse au paragraphe." in page(client.get(f"/textes/paragraphes/{target.id}"))


def test_an_empty_comment_comes_back_with_a_422_and_a_visitor_is_sent_to_sign_in(client, auth):
    text = make_text()
    target = paragraph(text, 1)
    assert client.post(f"/textes/paragraphes/{target.id}/commentaires", data={"body": "x"}).status_code == 302
    auth.login(make_user())
    response = client.post(f"/textes/paragraphes/{target.id}/commentaires", data={"body": "  ", "stance": "for"})
    assert response.status_code == 422
    assert "Le commentaire est vide." in page(response)
    assert client.post("/textes/paragraphes/999999/commentaires", data={"body": "Perdu."}).status_code == 404


def test_no_comment_when_the_phase_does_not_allow_it_nor_on_a_draft(client, auth):
    closed = make_text(make_consultation("synthesis"))
    auth.login(make_user())
    target = paragraph(closed, 1)
    assert client.post(f"/textes/paragraphes/{target.id}/commentaires", data={"body": "Tard."}).status_code == 403
    assert "Publier le commentaire" not in page(client.get(f"/textes/paragraphes/{target.id}"))
    draft = make_text(status="draft")
    response = client.post(f"/textes/paragraphes/{paragraph(draft, 1).id}/commentaires", data={"body": "Tôt."})
    assert response.status_code == 403


def test_under_premoderation_a_paragraph_comment_waits_for_the_organisers(client, auth):
    text = make_text()
    text.consultation.premoderation = True
    db.session.commit()
    target = paragraph(text, 2)
    auth.login(make_user())
    assert client.post(f"/textes/paragraphes/{target.id}/commentaires", data={"body": "À valider."}).status_code == 302
    auth.logout()
    html = page(client.get(f"/textes/paragraphes/{target.id}"))
    assert "À valider." not in html and "0 commentaire" in html
    organiser = make_user("organiser", text.consultation.territory)
    auth.login(organiser)
    queue = page(client.get(f"/territoires/{text.consultation.territory.slug}/moderation"))
    assert "À valider." in queue


def test_the_comments_of_a_paragraph_are_rate_limited(limited_app):
    client = limited_app.test_client()
    text = make_text()
    target = paragraph(text, 1)
    AuthActions(client).login(make_user())
    statuses = [
        client.post(f"/textes/paragraphes/{target.id}/commentaires", data={"body": f"Commentaire {n}."}).status_code
        for n in range(3)
    ]
    assert statuses[:2] == [302, 302] and statuses[2] == 429


def test_the_comments_open_data_and_the_organisers_export_say_which_paragraph_was_commented(client, auth):
    text = make_text()
    consultation = text.consultation
    on_paragraph = comments.add_comment(
        make_user(), consultation, "Sur le troisième paragraphe.", utcnow(), paragraph=paragraph(text, 3)
    )
    on_consultation = comments.add_comment(make_user(), consultation, "Sur la consultation.", utcnow())
    db.session.commit()

    columns = csv_json.columns_of("commentaires")
    document = json.loads(
        b"".join(
            csv_json.stream_json(
                csv_json.metadata(consultation, "commentaires"), columns, csv_json.rows_of(consultation, "commentaires")
            )
        )
    )
    by_id = {row["id"]: row for row in document["data"]}
    assert (by_id[on_paragraph.id]["texte_participatif_id"], by_id[on_paragraph.id]["paragraphe"]) == (text.id, 3)
    assert (by_id[on_consultation.id]["texte_participatif_id"], by_id[on_consultation.id]["paragraphe"]) == ("", "")
    described = [c["name"] for c in document["metadata"]["columns"]]
    assert "paragraphe" in described and described == list(document["data"][0])

    # The organisers' full export carries the same columns, and the open data page documents them.
    auth.login(make_user("organiser", consultation.territory))
    export = client.get(f"/consultations/{consultation.id}/donnees/completes/commentaires.csv")
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(export.get_data().decode("utf-8-sig")))}
    assert (rows[on_paragraph.id]["texte_participatif_id"], rows[on_paragraph.id]["paragraphe"]) == (str(text.id), "3")
    assert rows[on_consultation.id]["paragraphe"] == ""
    data_page = page(client.get(f"/consultations/{consultation.id}/donnees"))
    assert "<code>texte_participatif_id</code>" in data_page and "<code>paragraphe</code>" in data_page
