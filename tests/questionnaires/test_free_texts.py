"""Free-text answers grouped by the synthesis aid: for organisers, from 10 answers, no author, similar ones together."""

import pytest

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.questionnaires import free_texts
from concertation.questionnaires import services as q
from tests.factories import make_questionnaire, make_user
from tests.questionnaires.test_services import fields
from tests.questionnaires.test_views import page

DATA = [
    "Que les données personnelles des usagers fuient vers l’étranger.",
    "La fuite des données personnelles des usagers.",
    "Où partent les données personnelles des usagers ?",
    "Les données personnelles des usagers mal protégées.",
]
JOBS = [
    "La suppression de postes d’agents à l’accueil.",
    "Des suppressions de postes d’agents.",
    "Que l’on supprime des postes d’agents.",
]
OTHERS = ["Rien.", "La consommation d’énergie.", "Être surveillé au travail."]


def answered_with(texts: list[str | None]):
    questionnaire = make_questionnaire()
    for text in texts:
        q.submit(make_user(), questionnaire, utcnow(), fields(questionnaire, single="Non", text=text))
    db.session.commit()
    return questionnaire


def test_similar_answers_are_grouped_and_the_others_set_apart(app):
    questionnaire = answered_with(DATA + JOBS + OTHERS)
    grouped = free_texts.group_answers(questionnaire.questions[5])
    assert grouped.count == 10
    as_sets = [set(g.texts) for g in grouped.groups]
    assert set(DATA) in as_sets and set(JOBS) in as_sets
    assert sorted(grouped.apart) == sorted(OTHERS)
    data_group = next(g for g in grouped.groups if set(g.texts) == set(DATA))
    assert "données" in data_group.words or "personnelles" in data_group.words


def test_fewer_than_ten_answers_are_not_grouped(app):
    questionnaire = answered_with(DATA + JOBS)
    with pytest.raises(ActionRefused) as refused:
        free_texts.group_answers(questionnaire.questions[5])
    assert "au moins 10 réponses" in refused.value.message
    with pytest.raises(ActionRefused):
        free_texts.group_answers(questionnaire.questions[0])  # not a free-text question


def test_an_organiser_reads_the_groups_from_the_results_page(client, auth):
    questionnaire = answered_with(DATA + JOBS + OTHERS)
    question = questionnaire.questions[5]
    auth.login(make_user("organiser", questionnaire.consultation.territory))
    url = f"/questionnaires/{questionnaire.id}/reponses-libres/{question.id}"
    assert url in page(client.get(f"/questionnaires/{questionnaire.id}/resultats"))
    response = client.get(url)
    assert response.status_code == 200
    text = page(response)
    assert "<h1>Réponses libres regroupées : Autre chose ?</h1>" in text
    assert "10 réponses : 7 réparties en 2 groupes, 3 à part" in text
    assert "Groupe 1" in text and "Que l’on supprime des postes d’agents." in text
    assert "aucun auteur n’est montré" in text


def test_groups_are_for_the_organisers_only_and_wait_for_ten_answers(client, auth):
    questionnaire = answered_with(DATA + JOBS + [None] * 3)  # ten respondents, seven free texts
    question = questionnaire.questions[5]
    url = f"/questionnaires/{questionnaire.id}/reponses-libres/{question.id}"
    auth.login(make_user("agent", questionnaire.consultation.territory))
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(make_user("organiser", questionnaire.consultation.territory))
    response = client.get(url)
    assert response.status_code == 409 and "au moins 10 réponses" in page(response)
    assert "demande au moins 10 réponses libres" in page(client.get(f"/questionnaires/{questionnaire.id}/resultats"))
    other = make_questionnaire()
    assert client.get(f"/questionnaires/{other.id}/reponses-libres/{question.id}").status_code == 403
    mine = make_questionnaire(questionnaire.consultation)
    assert client.get(f"/questionnaires/{mine.id}/reponses-libres/{question.id}").status_code == 404
    assert (
        client.get(f"/questionnaires/{questionnaire.id}/reponses-libres/{questionnaire.questions[0].id}").status_code
        == 404
    )
