"""Questionnaire pages through the test client: answering section by section, results, the editor, the export."""

import csv
import html
import io
import re

from sqlalchemy import func, select

from concertation.db import utcnow
from concertation.extensions import db
from concertation.questionnaires import services as q
from concertation.questionnaires.models import Questionnaire, Respondent, Response
from tests.factories import make_consultation, make_questionnaire, make_user
from tests.questionnaires.test_services import fields


def page(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def test_the_consultation_page_lists_its_questionnaires(client):
    questionnaire = make_questionnaire()
    draft = make_questionnaire(questionnaire.consultation, published=False, title="Brouillon secret")
    text = page(client.get(f"/consultations/{questionnaire.consultation_id}"))
    assert questionnaire.title in text and draft.title not in text


def test_an_agent_answers_section_by_section_saves_and_sends(client, auth):
    questionnaire = make_questionnaire()
    first, second = questionnaire.sections
    agent = make_user("agent", questionnaire.consultation.territory)
    auth.login(agent)
    url = f"/questionnaires/{questionnaire.id}"
    text = page(client.get(url))
    assert "Section 1 sur 2" in text
    assert "sans lien avec votre compte" in text
    assert "<legend>Utilisez-vous l’IA ?" in text
    # The conditional question is on the same page as its condition: shown, with its condition said.
    assert "Répondez seulement si vous avez choisi « Oui »" in text
    response = client.post(url, data={"section": "1", "action": "next", **fields(questionnaire, single="Oui", scale=4)})
    assert response.status_code == 302 and response.headers["Location"].endswith("section=2")
    text = page(client.get(url + "?section=2"))
    assert "Section 2 sur 2" in text and "Envoyer mes réponses" in text
    response = client.post(url, data={"section": "2", "action": "save", **fields(questionnaire, text="Des ateliers")})
    assert response.status_code == 302
    assert "Des ateliers</textarea>" in page(client.get(url + "?section=2"))
    assert 'value="4" checked' in client.get(url + "?section=1").get_data(as_text=True)
    response = client.post(url, data={"section": "2", "action": "submit", **fields(questionnaire, text="Des ateliers")})
    assert response.status_code == 302
    text = page(client.get(url))
    assert "Elles ne sont plus liées à votre compte" in text
    assert "Vous avez répondu à ce questionnaire" in text and "Envoyer mes réponses" not in text
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(Respondent.draft)) is None
    # A second sending is refused: one answer per person.
    response = client.post(url, data={"section": "1", "action": "submit", **fields(questionnaire, single="Non")})
    assert response.status_code == 302
    assert "déjà répondu à ce questionnaire : une seule réponse par personne" in page(client.get(url))
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_missing_required_answer_brings_back_its_section_with_the_message(client, auth):
    questionnaire = make_questionnaire()
    auth.login(make_user())
    url = f"/questionnaires/{questionnaire.id}"
    response = client.post(url, data={"section": "2", "action": "submit", **fields(questionnaire, text="Rien")})
    assert response.status_code == 422
    text = page(response)
    assert "Section 1 sur 2" in text and "Cette question demande une réponse." in text
    assert 'aria-describedby="e' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_conditional_question_whose_condition_is_known_unmet_is_not_asked(client, auth):
    questionnaire = make_questionnaire(published=False)
    later = q.add_question(
        questionnaire.sections[1],
        q.QuestionData("short_text", "Quel outil ?", condition_option_id=questionnaire.questions[0].options[0].id),
    )
    q.publish(questionnaire, utcnow())
    db.session.commit()
    auth.login(make_user())
    url = f"/questionnaires/{questionnaire.id}"
    client.post(url, data={"section": "1", "action": "next", **fields(questionnaire, single="Non")})
    assert later.label not in page(client.get(url + "?section=2"))
    client.post(url, data={"section": "1", "action": "next", **fields(questionnaire, single="Oui")})
    assert later.label in page(client.get(url + "?section=2"))


def test_visitors_are_asked_to_sign_in_and_cannot_post(client):
    questionnaire = make_questionnaire()
    url = f"/questionnaires/{questionnaire.id}"
    assert "Connectez-vous pour répondre" in page(client.get(url))
    response = client.post(url, data={"section": "1", "action": "submit"})
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_an_agents_questionnaire_is_closed_to_other_participants(client, auth):
    questionnaire = make_questionnaire(audience="agents")
    auth.login(make_user())
    url = f"/questionnaires/{questionnaire.id}"
    assert "ne vous est pas ouvert" in page(client.get(url))
    assert client.post(url, data={"section": "1", "action": "save"}).status_code == 403


def test_a_draft_questionnaire_is_hidden_from_participants(client, auth):
    questionnaire = make_questionnaire(published=False)
    auth.login(make_user())
    assert client.get(f"/questionnaires/{questionnaire.id}").status_code == 403


def _answered(n: int):
    questionnaire = make_questionnaire()
    for i in range(n):
        q.submit(
            make_user(),
            questionnaire,
            utcnow(),
            fields(questionnaire, single="Oui" if i % 3 else "Non", scale=4, text=f"Idée {i}"),
        )
    db.session.commit()
    return questionnaire


def test_results_wait_for_ten_respondents(client, auth):
    questionnaire = _answered(9)
    auth.login(make_user("organiser", questionnaire.consultation.territory))
    text = page(client.get(f"/questionnaires/{questionnaire.id}/resultats"))
    assert "9 personnes ont répondu" in text and "à partir de 10 réponses" in text
    assert "<table" not in text
    assert client.get(f"/questionnaires/{questionnaire.id}/resultats.csv").status_code == 404


def test_organisers_read_results_with_bars_tables_texts_and_crosstabs(client, auth):
    questionnaire = _answered(30)
    auth.login(make_user("organiser", questionnaire.consultation.territory))
    url = f"/questionnaires/{questionnaire.id}/resultats"
    text = page(client.get(url))
    assert "30 personnes ont répondu" in text
    assert re.search(r"<th scope=\"row\">Oui</th><td>20</td><td>66,7 %</td>", text)
    assert '<svg class="chart-svg"' in text and "<title" in text and "Oui 66,7 %" in text
    assert "Idée 29" in text  # free texts: organisers only
    first, _, scale = questionnaire.questions[:3]
    text = page(client.get(f"{url}?lignes={first.id}&colonnes={scale.id}"))
    assert "Utilisez-vous l’IA ? × Confiance" in text
    assert "masqué" in text  # nobody chose 1, 2, 3 or 5: under ten, hidden
    assert re.search(r"<th scope=\"row\">Oui</th>(<td>.*?</td>){3}<td>20</td>", text)
    assert re.search(r"<th scope=\"row\">Non</th>(<td>.*?</td>){3}<td>10</td>", text)


def test_the_public_reads_results_once_the_consultation_is_closed_without_free_texts(client):
    questionnaire = _answered(10)
    url = f"/questionnaires/{questionnaire.id}/resultats"
    assert client.get(url).status_code == 403
    for phase in questionnaire.consultation.phases:  # the consultation closes
        phase.starts_at = phase.starts_at.replace(year=phase.starts_at.year - 1)
        if phase.ends_at:
            phase.ends_at = phase.ends_at.replace(year=phase.ends_at.year - 1)
    db.session.commit()
    text = page(client.get(url))
    assert "10 personnes ont répondu" in text and "Idée 3" not in text and "Croiser" not in text


def test_the_csv_export_neutralises_formulas(client, auth):
    questionnaire = make_questionnaire(published=False)
    q.add_question(questionnaire.sections[0], q.QuestionData("single", "=HYPERLINK(1)", options=["+1", "@x"]))
    q.publish(questionnaire, utcnow())
    db.session.commit()
    for _ in range(10):
        q.submit(make_user(), questionnaire, utcnow(), fields(questionnaire, single="Oui"))
    db.session.commit()
    auth.login(make_user("organiser", questionnaire.consultation.territory))
    response = client.get(f"/questionnaires/{questionnaire.id}/resultats.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    oui = next(r for r in rows if r["question"] == "Utilisez-vous l’IA ?" and r["reponse"] == "Oui")
    assert oui["nombre"] == "10" and oui["part"] == "1.0" and oui["repondants_question"] == "10"
    dangerous = [r for r in rows if "HYPERLINK" in r["question"]]
    assert dangerous and all(r["question"].startswith("'=") for r in dangerous)
    assert {r["reponse"] for r in dangerous} == {"'+1", "'@x"}
    assert not any(r["reponse"].startswith("Idée") for r in rows)


def test_an_organiser_builds_and_publishes_a_questionnaire(client, auth):
    consultation = make_consultation("proposals")
    auth.login(make_user("organiser", consultation.territory))
    index = page(client.get(f"/consultations/{consultation.id}/questionnaires"))
    assert "Créer un questionnaire" in index
    response = client.post(
        f"/consultations/{consultation.id}/questionnaires",
        data={"title": "Vos attentes", "intro": "Cinq minutes.", "audience": "agents"},
    )
    assert response.status_code == 302
    questionnaire = db.session.scalar(select(Questionnaire))
    edit = f"/questionnaires/{questionnaire.id}/modifier"
    assert response.headers["Location"].endswith(edit)
    assert (
        client.post(f"/questionnaires/{questionnaire.id}/sections", data={"section_title": "Vous"}).status_code == 302
    )
    section = questionnaire.sections[0]
    added = client.post(
        f"/questionnaires/{questionnaire.id}/questions",
        data={
            "section": section.id,
            "kind": "multiple",
            "label": "Vos outils ?",
            "options": "ChatGPT\nMistral\n",
            "max_choices": "1",
            "required": "y",
        },
    )
    assert added.status_code == 302
    refused = client.post(
        f"/questionnaires/{questionnaire.id}/questions",
        data={"section": section.id, "kind": "scale", "label": "Votre confiance ?", "scale_max": "7"},
    )
    assert refused.status_code == 422 and "de 1 à 5 ou de 1 à 10" in page(refused)
    assert 'value="Votre confiance ?"' in refused.get_data(as_text=True)  # kept filled in
    assert client.post(f"/questionnaires/{questionnaire.id}/publier").status_code == 302
    db.session.expire_all()
    assert questionnaire.published_at is not None
    assert [(x.label, x.max_choices, x.required) for x in questionnaire.questions] == [("Vos outils ?", 1, True)]
    assert "ne changent plus" in page(client.get(edit))


def test_only_organisers_of_the_territory_edit(client, auth):
    questionnaire = make_questionnaire(published=False)
    auth.login(make_user("organiser"))  # of another territory
    assert client.get(f"/questionnaires/{questionnaire.id}/modifier").status_code == 403
    assert client.post(f"/questionnaires/{questionnaire.id}/publier").status_code == 403
    assert (
        client.post(f"/consultations/{questionnaire.consultation_id}/questionnaires", data={"title": "x"}).status_code
        == 403
    )


def test_a_form_without_csrf_token_is_refused(client, auth):
    questionnaire = make_questionnaire()
    auth.login(make_user())
    response = client.post(f"/questionnaires/{questionnaire.id}", data={"section": "1", "action": "save"}, csrf=False)
    assert response.status_code == 400
