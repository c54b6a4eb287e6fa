"""The demonstration's workshops in Saint-Aubin: one held a week ago, with its minutes, attendees and
12 contributions collected on paper, and one to come, with people registered and a waiting list."""

from datetime import datetime, timedelta

from concertation.dates import paris_to_utc, utc_to_paris
from concertation.extensions import db
from concertation.workshops import outcome, services
from concertation.workshops.models import Workshop

MINUTES = """Vingt-trois personnes sont venues à la médiathèque, dont six agents de la mairie et une classe de
terminale accompagnée de son professeur.

## Ce qui a été dit

- Beaucoup ne savaient pas qu’ils utilisaient déjà de l’IA (traduction, correcteurs, moteurs de recherche).
- La crainte la plus partagée : **ne plus avoir d’humain au bout du fil** pour les démarches.
- Les agents demandent du temps de formation sur leurs heures de travail, pas en plus.

## Points de désaccord

L’usage de l’IA par les élèves pour leurs devoirs : interdiction pour les uns, apprentissage encadré pour les autres.

Les propositions et remarques écrites sur les fiches ont été saisies telles quelles sur la plateforme."""

COLLECTED_PROPOSALS = [
    (
        "Un atelier mensuel « IA pour les débutants » à la médiathèque",
        "Écrit sur une fiche : un rendez-vous régulier, gratuit, le samedi matin, pour essayer les outils "
        "avec quelqu’un qui explique.",
    ),
    (
        "Toujours un guichet humain pour les démarches",
        "Plusieurs personnes âgées l’ont demandé à l’oral : quoi que fasse la mairie avec l’IA, garder une "
        "personne à l’accueil et au téléphone.",
    ),
    (
        "Former les agents sur leur temps de travail",
        "Proposé par des agents présents : deux demi-journées par an, sur les heures de service.",
    ),
    (
        "Un cours d’esprit critique face à l’IA au collège",
        "Proposé par la classe de terminale : apprendre à vérifier une réponse et à citer ses sources.",
    ),
    (
        "Afficher quand un courrier a été rédigé avec l’aide d’une IA",
        "Une mention claire sur les courriers et les réponses de la mairie.",
    ),
    (
        "Des permanences numériques dans les hameaux",
        "Pour les habitant·es sans voiture : un médiateur numérique qui passe une fois par mois.",
    ),
    (
        "Un glossaire de l’IA en langage simple",
        "Une page et un dépliant qui expliquent les mots (modèle, IA générative, données d’entraînement).",
    ),
    (
        "Tester avant d’acheter, avec les agents concernés",
        "Aucun outil ne devrait être acheté sans un essai avec les agents qui l’utiliseront.",
    ),
]
COLLECTED_COMMENTS = [
    ("for", "Oui, et le samedi matin c’est l’idéal pour les familles."),
    ("for", "Indispensable : ma mère n’utilisera jamais un robot."),
    ("against", "Deux demi-journées, c’est trop peu pour changer les pratiques."),
    ("neutral", "Il faudrait demander aux enseignants ce qu’ils en pensent."),
]


def _at(day: datetime, hour: int) -> datetime:
    """`day` at `hour` o’clock, Paris time."""
    return paris_to_utc(utc_to_paris(day).replace(hour=hour, minute=0, second=0, microsecond=0, tzinfo=None))


def load(consultation, organiser, people: dict, now: datetime) -> None:
    held = services.WorkshopData(
        title="Atelier « L’IA au quotidien » à la médiathèque",
        starts_at=_at(now - timedelta(days=7), 14),
        ends_at=_at(now - timedelta(days=7), 17),
        capacity=30,
        mode="in_person",
        description="Découvrir les outils d’IA que nous utilisons déjà sans le savoir, et dire ce que la "
        "commune devrait faire **en priorité**.",
        address="Médiathèque Louise-Michel, 4 place de la Mairie, 99101 Saint-Aubin-des-Prés",
        accessibility="Salle de plain-pied, accessible en fauteuil roulant ; boucle magnétique ; "
        "fiches en grands caractères.",
    )
    past = Workshop(consultation=consultation, created_by_id=organiser.id, capacity=held.capacity, seats_taken=0)
    services._write(past, held)  # announced before it took place: written directly at its date
    db.session.add(past)
    db.session.flush()
    outcome.record_outcome(past, MINUTES, 23, now)
    themes = consultation.themes
    made = []
    for i, (title, body) in enumerate(COLLECTED_PROPOSALS):
        at = past.ends_at + timedelta(days=1, minutes=i)
        made.append(outcome.collect_proposal(past, title, body, themes[i % len(themes)].id, at))
    for i, (stance, body) in enumerate(COLLECTED_COMMENTS):
        at = past.ends_at + timedelta(days=1, hours=1, minutes=i)
        outcome.collect_comment(past, made[i % 3], body, stance, at)

    coming = services.announce_workshop(
        organiser,
        consultation,
        services.WorkshopData(
            title="Atelier des agents : l’IA dans nos services",
            starts_at=_at(now + timedelta(days=9), 9),
            ends_at=_at(now + timedelta(days=9), 12),
            capacity=3,
            mode="in_person",
            description="Une matinée entre agents et habitant·es pour **essayer** deux outils et en débattre.",
            address="Salle du conseil, mairie de Saint-Aubin-des-Prés",
            accessibility="Ascenseur ; places de stationnement réservées devant la mairie.",
        ),
        now,
    )
    for email in (
        "accueil@saint-aubin-des-pres.example",
        "karim@habitants.example",
        "jeanne@habitants.example",
        "lucas@habitants.example",
    ):
        services.register(people[email], coming, now)
    services.announce_workshop(
        organiser,
        consultation,
        services.WorkshopData(
            title="Atelier en ligne : vos questions sur l’IA",
            starts_at=_at(now + timedelta(days=14), 18),
            ends_at=_at(now + timedelta(days=14), 19),
            capacity=100,
            mode="online",
            description="Une heure de questions et réponses, en visioconférence, sous-titrée.",
            online_url="https://visio.saint-aubin-des-pres.example/atelier-ia",
            accessibility="Sous-titrage en direct ; interprète en langue des signes sur demande.",
        ),
        now,
    )
    db.session.flush()
