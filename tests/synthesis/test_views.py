import csv
import io
import json
import re

from sqlalchemy import select

from concertation.db import utcnow
from concertation.extensions import db
from concertation.synthesis import services
from concertation.synthesis.models import Synthesis, SynthesisVersion
from tests.factories import (
    make_comment_row,
    make_consultation,
    make_grade,
    make_proposal_row,
    make_support,
    make_territory,
    make_user,
)


def scene(phase="synthesis"):
    territory = make_territory(population=2000)
    organiser = make_user("organiser", territory)
    consultation = make_consultation(phase, territory=territory, author=organiser)
    retained = make_proposal_row(
        consultation,
        title="Former les agents avant tout outil",
        answer="retained",
        theme=consultation.themes[0],
        author=make_user(pseudonym="Alix", name="Alix Secret"),
    )
    make_support(retained)
    return territory, organiser, consultation, retained


def publish(consultation, organiser, retained):
    synthesis = services.start_synthesis(organiser, consultation)
    services.update_synthesis(synthesis, "Synthèse : former avant d’équiper", "Introduction.", {})
    services.set_retained(synthesis, [retained.id])
    version = services.publish(organiser, synthesis, utcnow())
    db.session.commit()
    return version


def test_organiser_drafts_cites_selects_and_publishes_through_the_forms(client, auth):
    _t, organiser, consultation, retained = scene()
    auth.login(organiser)
    base = f"/consultations/{consultation.id}/synthese"
    assert "Commencer la synthèse" in client.get(f"{base}/rediger").get_data(as_text=True)
    assert client.post(f"{base}/commencer").status_code == 302
    synthesis = db.session.scalar(select(Synthesis))
    section = synthesis.sections[0]
    data = {
        "title": "Synthèse : former avant d’équiper",
        "introduction": "Une **introduction**.",
        f"section_{section.id}": "Premier paragraphe.\n\nSecond.",
    }
    assert client.post(f"{base}/rediger", data=data).status_code == 302
    # The citation is found by searching words of its title, without JavaScript (a GET form).
    found = client.get(f"{base}/rediger?citer={section.id}&q=agents+outil").get_data(as_text=True)
    assert f'value="proposal:{retained.id}"' in found and "Former les agents avant tout outil" in found
    response = client.post(
        f"{base}/sections/{section.id}/citations",
        data={
            f"c{section.id}-source": f"proposal:{retained.id}",
            f"c{section.id}-q": "agents",
            f"c{section.id}-paragraph": "2",
        },
    )
    assert response.status_code == 302
    assert client.post(f"{base}/retenues", data={"proposals": [str(retained.id)]}).status_code == 302
    response = client.post(f"{base}/publier", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{base}/versions/1")

    html = client.get(base).get_data(as_text=True)
    assert "Synthèse : former avant d’équiper" in html and "<strong>introduction</strong>" in html
    assert f"/propositions/{retained.id}" in html
    assert 'href="#ref-1"' in html and "Former les agents avant tout outil" in html
    assert "<svg" in html and "<table" in html and "style=" not in html


def test_failed_forms_come_back_with_422_and_what_was_typed(client, auth):
    _t, organiser, consultation, retained = scene()
    services.start_synthesis(organiser, consultation)
    db.session.commit()
    auth.login(organiser)
    base = f"/consultations/{consultation.id}/synthese"
    response = client.post(f"{base}/rediger", data={"title": "ab", "introduction": "Gardé tel quel"})
    assert response.status_code == 422 and "Gardé tel quel" in response.get_data(as_text=True)
    response = client.post(f"{base}/publier", data={})
    assert response.status_code == 422 and "vide" in response.get_data(as_text=True)
    section = db.session.scalar(select(Synthesis)).sections[0]
    response = client.post(
        f"{base}/sections/{section.id}/citations",
        data={f"c{section.id}-source": "proposal:999999", f"c{section.id}-q": "former agents"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Aucune contribution" in html
    assert f'value="proposal:{retained.id}"' in html  # the search's results come back with the error
    response = client.post(f"{base}/sections/{section.id}/citations", data={f"c{section.id}-q": "former"})
    assert response.status_code == 422 and "Choisissez une contribution" in response.get_data(as_text=True)
    response = client.post(f"{base}/fusionner", data={"duplicate_id": retained.id, "target_id": retained.id})
    assert response.status_code == 422 and "elle-même" in response.get_data(as_text=True)


def test_posts_without_csrf_are_refused(client, auth):
    _t, organiser, consultation, _r = scene()
    auth.login(organiser)
    assert client.post(f"/consultations/{consultation.id}/synthese/commencer", csrf=False).status_code == 400
    assert db.session.scalar(select(Synthesis)) is None


def test_merge_through_the_aid_page(client, auth):
    _t, organiser, consultation, retained = scene()
    duplicate = make_proposal_row(consultation, title="Former les agents avant tout outil !")
    make_support(duplicate)
    auth.login(organiser)
    html = client.get(f"/consultations/{consultation.id}/synthese/aide").get_data(as_text=True)
    assert "Comment c’est calculé" in html and "Fusionner un doublon" in html
    response = client.post(
        f"/consultations/{consultation.id}/synthese/fusionner",
        data={"duplicate_id": duplicate.id, "target_id": retained.id},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert retained.support_count == 2 and duplicate.merged_into_id == retained.id
    log = client.get(f"/consultations/{consultation.id}/donnees/completes/journal-des-fusions.csv")
    assert str(duplicate.id) in log.get_data(as_text=True)


def test_open_data_streams_csv_and_json_without_personal_data(client):
    _t, organiser, consultation, retained = scene()
    make_comment_row(consultation, retained, body="=1+1")
    page = client.get(f"/consultations/{consultation.id}/donnees")
    assert page.status_code == 200 and "Licence Ouverte" in page.get_data(as_text=True)
    response = client.get(f"/consultations/{consultation.id}/donnees/propositions.csv")
    assert response.status_code == 200 and response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0]["auteur"] == "Alix" and rows[0]["soutiens"] == "1"
    body = client.get(f"/consultations/{consultation.id}/donnees/commentaires.json").get_data(as_text=True)
    document = json.loads(body)
    assert document["data"][0]["texte"] == "=1+1"  # JSON is not a spreadsheet: kept as typed
    for text in (response.get_data(as_text=True), body):
        assert "@" not in text and "Secret" not in text


def test_documents_download(client):
    _t, organiser, consultation, retained = scene()
    publish(consultation, organiser, retained)
    pdf = client.get(f"/consultations/{consultation.id}/synthese/versions/1/synthese.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    odt = client.get(f"/consultations/{consultation.id}/synthese/versions/1/synthese.odt")
    assert odt.status_code == 200 and odt.data.startswith(b"PK")


def test_differences_page_and_old_versions_stay_readable(client):
    _t, organiser, consultation, retained = scene()
    publish(consultation, organiser, retained)
    synthesis = db.session.scalar(select(Synthesis))
    services.update_synthesis(synthesis, synthesis.title, "Introduction corrigée.", {})
    services.publish(organiser, synthesis, utcnow(), "Coquille")
    db.session.commit()
    base = f"/consultations/{consultation.id}/synthese"
    assert "Introduction corrigée." in client.get(base).get_data(as_text=True)
    old = client.get(f"{base}/versions/1").get_data(as_text=True)
    assert "version antérieure" in old and "Introduction." in old
    diff = client.get(f"{base}/versions/2/differences").get_data(as_text=True)
    assert "Introduction corrigée." in diff and "<del" in diff and "<ins" in diff
    assert client.get(f"{base}/versions/1/differences").status_code == 404
    assert client.get(f"{base}/versions/9").status_code == 404


def test_reading_room_filters_by_territory_theme_and_date(client):
    territory, organiser, consultation, retained = scene()
    publish(consultation, organiser, retained)
    other_t, other_o, other_c, other_r = scene()
    publish(other_c, other_o, other_r)
    html = client.get("/syntheses").get_data(as_text=True)
    assert html.count('class="card synthesis-card"') == 2
    html = client.get(f"/syntheses?territoire={territory.slug}").get_data(as_text=True)
    assert html.count('class="card synthesis-card"') == 1 and territory.name in html
    assert client.get("/syntheses?theme=formation").get_data(as_text=True).count("synthesis-card") == 2
    assert client.get("/syntheses?theme=inexistant").get_data(as_text=True).count("synthesis-card") == 0
    assert "synthesis-card" not in client.get("/syntheses?depuis=2999-01-01").get_data(as_text=True)
    assert client.get("/syntheses?depuis=pas-une-date&territoire=inconnu").status_code == 200


def test_elu_dashboard_shows_phase_participation_and_pending_decisions(client, auth):
    territory, organiser, consultation, _r = scene()
    make_proposal_row(consultation, title="En attente de réponse")
    elu = make_user("elu", territory)
    auth.login(elu)
    html = client.get(f"/territoires/{territory.slug}/tableau-de-bord").get_data(as_text=True)
    assert "En attente de réponse" in html and "1 proposition attend une réponse." in html
    assert re.search(r"Participant·es</dt>\s*<dd>3", html)  # two authors and a supporter


def test_the_demonstration_has_a_published_synthesis(client, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    version = db.session.scalar(select(SynthesisVersion))
    assert version.figures["participants"] >= 5 and len(version.retained) == 3
    html = client.get("/syntheses").get_data(as_text=True)
    assert "protéger les données personnelles" in html
    page = client.get(f"/consultations/{version.consultation_id}/synthese")
    assert page.status_code == 200 and "[1]" in page.get_data(as_text=True)
    assert client.get(f"/consultations/{version.consultation_id}/synthese/versions/1/synthese.pdf").status_code == 200


def test_an_elu_reaches_the_dashboard_from_the_header_and_reads_majority_judgment_results(client, auth):
    territory = make_territory()
    consultation = make_consultation("synthesis", territory=territory, voting_method="majority")
    awaiting = make_proposal_row(consultation, title="Un assistant pour les courriers")
    for mention in (3, 3, 4):
        make_grade(awaiting, mention)
    auth.login(make_user())
    link = f'href="/territoires/{territory.slug}/tableau-de-bord"'
    assert link not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(make_user("elu", territory))
    home = client.get("/").get_data(as_text=True)
    assert link in home and "Tableau de bord" in home
    html = client.get(f"/territoires/{territory.slug}/tableau-de-bord").get_data(as_text=True)
    assert "Un assistant pour les courriers" in html
    assert "mention majoritaire\u00a0: Bien" in html and "3 juges" in html and "soutien" not in html


def test_the_dashboard_keeps_votes_secret_while_the_results_are(client, auth):
    territory = make_territory()
    consultation = make_consultation("vote", territory=territory)
    awaiting = make_proposal_row(consultation, title="Un assistant pour les courriers")
    make_support(awaiting)
    auth.login(make_user("elu", territory))
    html = client.get(f"/territoires/{territory.slug}/tableau-de-bord").get_data(as_text=True)
    assert "Un assistant pour les courriers" in html and "1 soutien" not in html
