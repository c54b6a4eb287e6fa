"""The demonstration's questionnaire: the agents' one, published, with 30 answers drawn from a fixed seed."""

import random
from datetime import datetime, timedelta

from concertation.accounts.models import User
from concertation.extensions import db
from concertation.questionnaires import ready_made, services
from concertation.questionnaires.models import Questionnaire
from concertation.territories.services import grant_role

ANSWERS = 30
FEARS = [
    "Vérifier chaque réponse prend du temps.",
    "Que nos données partent à l’étranger.",
    "Perdre le contact humain.",
]
WISHES = [
    "La transcription des conseils municipaux",
    "Un assistant pour les marchés publics",
    "La traduction à l’accueil",
]


def _fields(questionnaire: Questionnaire, draw: random.Random) -> dict[str, list[str]]:
    """One plausible set of answers (a hidden question's answer is dropped by the service)."""
    fields: dict[str, list[str]] = {}
    for question in questionnaire.questions:
        name = services.field_name(question)
        options = question.options
        if question.kind == "single":
            # Earlier options are likelier: the questionnaire lists the common answers first.
            fields[name] = [str(draw.choices(options, weights=range(len(options), 0, -1))[0].id)]
        elif question.kind == "multiple":
            count = draw.randint(1, question.max_choices or 3)
            fields[name] = [str(o.id) for o in draw.sample(options, min(count, len(options)))]
        elif question.kind == "scale":
            fields[name] = [str(draw.randint(max(1, question.scale_values[-1] // 2 - 1), question.scale_values[-1]))]
        elif question.kind == "matrix":
            for option in options:
                fields[services.field_name(question, option)] = [str(draw.randint(1, question.scale_max or 5))]
        elif question.kind == "ranking":
            for rank, option in enumerate(draw.sample(options, len(options)), 1):
                fields[services.field_name(question, option)] = [str(rank)]
        elif question.kind == "long_text" and draw.random() < 0.4:
            fields[name] = [draw.choice(FEARS)]
        elif question.kind == "short_text" and draw.random() < 0.3:
            fields[name] = [draw.choice(WISHES)]
    return fields


def load(consultation, organiser, password_hash: str, now: datetime) -> Questionnaire:
    """The agents' questionnaire in `consultation` (open now), answered by 30 agents of its territory."""
    questionnaire = ready_made.agents_ai_training(organiser, consultation, now - timedelta(days=5))
    services.publish(questionnaire, now - timedelta(days=4))
    draw = random.Random(17)
    domain = consultation.territory.domains[0].domain if consultation.territory.domains else "agents.example"
    for n in range(1, ANSWERS + 1):
        agent = User(
            email=f"agent{n:02d}@{domain}",
            pseudonym=f"Agent {n:02d}",
            password_hash=password_hash,
            confirmed_at=now,
            terms_accepted_at=now,
        )
        db.session.add(agent)
        db.session.flush()
        grant_role(consultation.territory, agent, "agent")
        services.submit(agent, questionnaire, now - timedelta(days=draw.randint(0, 3)), _fields(questionnaire, draw))
    db.session.flush()
    return questionnaire
