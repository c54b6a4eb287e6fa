"""The demonstration's questionnaire: the agents' one, published, with 60 answers drawn from a fixed seed."""

import random
from datetime import datetime, timedelta

from concertation.accounts.models import User
from concertation.extensions import db
from concertation.questionnaires import ready_made, services
from concertation.questionnaires.models import Questionnaire
from concertation.territories.services import grant_role

ANSWERS = 60
# What agents fear, in their words: several say the same thing differently, so that the synthesis
# aid's grouping of free texts has something to find (errors, data, jobs, human contact, energy…).
FEARS = [
    "Les erreurs de l’outil : une réponse fausse envoyée à un usager, c’est la mairie qui en répond.",
    "Que l’outil invente des réponses fausses et que personne ne vérifie avant d’envoyer.",
    "Des réponses fausses mais bien rédigées : les erreurs sont difficiles à repérer.",
    "Faire confiance à l’outil et laisser passer ses erreurs faute de temps pour vérifier.",
    "Vérifier chaque réponse de l’outil prend du temps, parfois plus que d’écrire soi-même.",
    "Que les données personnelles des usagers partent sur des serveurs à l’étranger.",
    "La fuite de données personnelles : nous traitons des dossiers sociaux et fiscaux.",
    "Ne pas savoir où vont les données personnelles qu’on colle dans l’outil.",
    "Que des agents mettent des données personnelles d’usagers dans un outil grand public.",
    "Le respect du RGPD : qui est responsable si des données personnelles fuient ?",
    "La suppression de postes au nom des gains de productivité.",
    "La suppression de postes à l’accueil, remplacés par un robot conversationnel.",
    "Que l’IA serve à supprimer des postes plutôt qu’à améliorer le service.",
    "Que nos métiers se transforment sans qu’on nous demande notre avis.",
    "Perdre le contact humain avec les usagers, surtout les personnes âgées.",
    "Que les usagers ne puissent plus parler à un humain quand ils en ont besoin.",
    "Le contact humain à l’accueil : un usager en difficulté a besoin d’un humain.",
    "Que les personnes éloignées du numérique soient seules face aux démarches.",
    "L’impact environnemental : l’énergie et l’eau consommées pour des usages futiles.",
    "La consommation d’énergie et d’eau des serveurs, alors qu’on nous demande la sobriété.",
    "La surveillance des agents : que l’outil serve à mesurer notre productivité.",
    "Être surveillé à travers les traces laissées dans l’outil.",
    "Ne pas être formé et devoir se débrouiller seul avec un outil imposé.",
    "Qu’on nous impose un outil sans formation ni temps pour apprendre.",
    "Dépendre d’une entreprise américaine qui peut changer ses prix ou ses conditions.",
    "Perdre nos compétences de rédaction à force de tout déléguer.",
    "Rien de particulier, tant que l’usage reste encadré.",
    "Que des décisions sur les dossiers soient prises par une machine, sans explication.",
]
WISHES = [
    "La transcription des conseils municipaux",
    "Le compte rendu automatique des réunions",
    "Un assistant pour rédiger les marchés publics",
    "La traduction à l’accueil pour les usagers non francophones",
    "Traduire les courriers en langue facile à lire",
    "Résumer les rapports longs avant les commissions",
    "Classer automatiquement le courrier entrant",
    "Un outil pour répondre plus vite aux demandes simples des usagers",
    "Repérer les fuites d’eau dans le réseau",
    "Aider à remplir les demandes de subvention",
    "Un assistant souverain hébergé en France",
    "Analyser les retours des usagers sur nos services",
    "Préparer les délibérations à partir de modèles",
    "La recherche dans nos archives et nos délibérations",
]


class Deck:
    """Texts dealt in a shuffled order, each once before any comes again (so that answers vary)."""

    def __init__(self, texts: list[str], draw: random.Random):
        self.texts, self.draw = texts, draw
        self.left: list[str] = []

    def deal(self) -> str:
        if not self.left:
            self.left = self.draw.sample(self.texts, len(self.texts))
        return self.left.pop()


def _weighted(options, draw: random.Random):
    """Earlier options are likelier: the questionnaire lists the common answers first."""
    return draw.choices(options, weights=range(len(options), 0, -1))[0]


def _fields(questionnaire: Questionnaire, draw: random.Random, fears: Deck, wishes: Deck) -> dict[str, list[str]]:
    """One plausible set of answers (a hidden question's answer is dropped by the service)."""
    fields: dict[str, list[str]] = {}
    never_used = False
    for question in questionnaire.questions:
        name = services.field_name(question)
        options = question.options
        labels = [o.label for o in options]
        if question.kind == "single":
            chosen = _weighted(options, draw)
            if ready_made.NEVER in labels:
                never_used = chosen.label == ready_made.NEVER
            fields[name] = [str(chosen.id)]
        elif question.kind == "multiple" and "Aucun" in labels:
            # The tools already used: « Aucun » alone, or some tools.
            if never_used:
                if draw.random() < 0.7:
                    fields[name] = [str(options[labels.index("Aucun")].id)]
            else:
                tools = [o for o in options if o.label != "Aucun"]
                fields[name] = [str(o.id) for o in draw.sample(tools, draw.randint(1, 3))]
        elif question.kind == "multiple":
            if never_used and question.label.startswith("Pour quoi"):
                continue
            count = draw.randint(1, question.max_choices or 3)
            fields[name] = [str(o.id) for o in draw.sample(options, min(count, len(options)))]
        elif question.kind == "scale":
            top = question.scale_values[-1]
            low, high = (2, top - 2) if never_used else (top // 2 - 1, top)
            fields[name] = [str(draw.randint(max(1, low), high))]
        elif question.kind == "matrix":
            for position, option in enumerate(options):
                # Errors and personal data worry most, as in the surveys of agents.
                low = 3 if position < 2 else 1
                fields[services.field_name(question, option)] = [str(draw.randint(low, question.scale_max or 5))]
        elif question.kind == "ranking":
            for rank, option in enumerate(draw.sample(options, len(options)), 1):
                fields[services.field_name(question, option)] = [str(rank)]
        elif question.kind == "long_text" and draw.random() < 0.6:
            fields[name] = [fears.deal()]
        elif question.kind == "short_text" and draw.random() < 0.4:
            fields[name] = [wishes.deal()]
    return fields


def load(consultation, organiser, password_hash: str, now: datetime) -> Questionnaire:
    """The agents' questionnaire in `consultation` (open now), answered by 60 agents of its territory."""
    questionnaire = ready_made.agents_ai_training(organiser, consultation, now - timedelta(days=5))
    services.publish(questionnaire, now - timedelta(days=4))
    draw = random.Random(17)
    fears, wishes = Deck(FEARS, draw), Deck(WISHES, draw)
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
        services.submit(
            agent, questionnaire, now - timedelta(days=draw.randint(0, 3)), _fields(questionnaire, draw, fears, wishes)
        )
    db.session.flush()
    return questionnaire
