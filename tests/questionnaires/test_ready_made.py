"""The ready-made agents' questionnaire, its button, and the demonstration's answered copy."""

from sqlalchemy import func, select

from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.demo import DEMO_PASSWORD
from concertation.extensions import db
from concertation.questionnaires import free_texts, ready_made, results, services
from concertation.questionnaires.models import Questionnaire, Respondent, Response
from tests.factories import make_consultation, make_user
from tests.questionnaires.test_views import page


def test_the_agents_questionnaire_asks_about_tools_uses_fears_and_training(app):
    consultation = make_consultation("proposals")
    questionnaire = ready_made.agents_ai_training(
        make_user("organiser", consultation.territory), consultation, utcnow()
    )
    db.session.commit()
    assert questionnaire.title == "Usages de l’IA et besoins de formation des agents"
    assert questionnaire.audience == "agents" and questionnaire.published_at is None
    assert [s.title for s in questionnaire.sections] == [
        "Vous et votre travail",
        "Vos usages de l’IA",
        "Vos craintes et vos attentes",
        "Vos besoins de formation",
    ]
    labels = " ".join(q.label for q in questionnaire.questions)
    for topic in ("outils avez-vous déjà utilisés", "Pour quoi faire", "risques vous inquiètent", "formation"):
        assert topic in labels
    assert {q.kind for q in questionnaire.questions} == {
        "single",
        "multiple",
        "matrix",
        "scale",
        "long_text",
        "ranking",
        "short_text",
    }
    reason = next(q for q in questionnaire.questions if q.condition_option is not None)
    assert reason.condition_option.label == "Non, jamais"
    services.publish(questionnaire, utcnow())


def test_an_organiser_adds_it_with_one_button(client, auth):
    consultation = make_consultation("proposals")
    auth.login(make_user("organiser", consultation.territory))
    index = page(client.get(f"/consultations/{consultation.id}/questionnaires"))
    assert "Ajouter le questionnaire des agents" in index
    response = client.post(f"/consultations/{consultation.id}/questionnaires/modele-agents")
    assert response.status_code == 302
    questionnaire = db.session.scalar(select(Questionnaire))
    assert response.headers["Location"].endswith(f"/questionnaires/{questionnaire.id}/modifier")
    assert "Dans quelle mesure ces risques vous inquiètent-ils ?" in page(client.get(response.headers["Location"]))


def test_participants_cannot_add_it(client, auth):
    consultation = make_consultation("proposals")
    auth.login(make_user("agent", consultation.territory))
    assert client.post(f"/consultations/{consultation.id}/questionnaires/modele-agents").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == 0


def test_the_demo_has_the_agents_questionnaire_answered_sixty_times_with_varied_answers(runner, client, auth):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.title == ready_made.AGENTS_AI_TITLE))
    assert questionnaire.published_at is not None
    assert services.respondent_count(questionnaire) == 60
    assert db.session.scalar(select(func.count()).select_from(Respondent).where(Respondent.submitted)) == 60
    assert db.session.scalar(select(func.count()).select_from(Response)) == 60
    counted = {r.question.label: r for r in results.question_results(questionnaire, with_texts=True)}
    domains = counted["Dans quel domaine travaillez-vous ?"]
    assert domains.answered == 60 and sum(r.count for r in domains.rows) == 60
    assert sum(r.count > 0 for r in domains.rows) >= 5  # agents of many services, not one
    # Those who never used AI are asked why, and only they.
    used = counted["Avez-vous déjà utilisé un outil d’intelligence artificielle dans votre travail ?"]
    never = next(r.count for r in used.rows if r.label == ready_made.NEVER)
    assert 0 < counted["Pour quelle raison principale ne l’utilisez-vous pas ?"].answered <= never
    # Enough free texts, and different ones, for the synthesis aid to group.
    fears = counted["Qu’est-ce qui vous inquiète le plus ?"].texts
    assert len(fears) >= 25 and len(set(fears)) >= 20
    assert len(set(counted["Un outil ou un usage que vous aimeriez découvrir ?"].texts)) >= 10
    grouped = free_texts.group_answers(counted["Qu’est-ce qui vous inquiète le plus ?"].question)
    assert len(grouped.groups) >= 4 and grouped.apart  # several themes, and answers alike none
    organiser = db.session.scalar(select(User).where(User.email == "organisation@saint-aubin-des-pres.example"))
    auth.login(organiser, DEMO_PASSWORD)
    text = page(client.get(f"/questionnaires/{questionnaire.id}/resultats"))
    assert "60 personnes ont répondu" in text
