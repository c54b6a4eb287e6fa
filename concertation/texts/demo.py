"""The demonstration's participatory text: Saint-Aubin's draft charter, amended, answered and adopted."""

from datetime import datetime, timedelta

from concertation.texts import services

TITLE = "Charte d’usage de l’IA par les agents"

CHARTER = """La présente charte dit comment les agents de la commune de Saint-Aubin-des-Prés utilisent les outils d’intelligence artificielle dans leur travail.

# Principes

L’IA aide les agents ; elle ne décide jamais à leur place d’une décision qui concerne un usager.

Tout outil d’IA est choisi avec les agents qui l’utiliseront, après un essai encadré.

Un agent peut toujours refuser d’utiliser un outil d’IA pour une tâche, sans avoir à s’en justifier.

# Données

Aucune donnée personnelle d’usager n’est saisie dans un outil d’IA qui n’a pas été validé par la commune.

Les outils validés hébergent les données en France ou dans l’Union européenne.

Les données confiées à un outil ne servent pas à entraîner ses modèles.

# Transparence

Un courrier ou une réponse rédigés avec l’aide d’une IA sont relus et signés par un agent.

La commune publie la liste des outils d’IA qu’elle utilise et leur usage.

# Formation et suivi

Chaque agent reçoit une formation avant d’utiliser un outil d’IA.

Un comité de suivi, où siègent des agents, fait le bilan de la charte chaque année.

La charte est révisée au besoin, après avis du comité de suivi.
"""

CAMILLE, KARIM, JEANNE, LUCAS = (
    "camille@habitants.example",
    "karim@habitants.example",
    "jeanne@habitants.example",
    "lucas@habitants.example",
)
ACCUEIL, RH = "accueil@saint-aubin-des-pres.example", "rh@agglo-trois-rivieres.example"

# (paragraph, author, kind, wording, justification, supporters, answer: (status, reason, changed wording) or None)
AMENDMENTS = [
    (
        2,
        ACCUEIL,
        "replace",
        "L’IA aide les agents ; elle ne prend jamais seule une décision qui concerne un usager.",
        "« décide à leur place d’une décision » est lourd, et l’important est qu’aucune décision ne soit automatique.",
        [CAMILLE, KARIM, JEANNE, LUCAS, RH],
        ("accepted", "Merci : la formulation est plus claire.", ""),
    ),
    (
        3,
        KARIM,
        "replace",
        "Tout outil d’IA est choisi avec les agents qui l’utiliseront et des usagers, après un essai encadré.",
        "Les usagers sont concernés aussi : associons-les au choix.",
        [CAMILLE, JEANNE],
        ("rejected", "Les usagers sont consultés sur les services, pas sur les outils internes.", ""),
    ),
    (
        4,
        RH,
        "add_after",
        "Un agent qui refuse un outil d’IA n’en subit aucune conséquence sur son évaluation.",
        "Le droit de refuser n’a de sens que s’il est protégé.",
        [ACCUEIL, CAMILLE, LUCAS],
        (
            "accepted_changed",
            "Retenu, en visant aussi la carrière.",
            "Un agent qui refuse d’utiliser un outil d’IA n’en subit aucune conséquence sur son évaluation ni sur sa carrière.",
        ),
    ),
    (
        4,
        LUCAS,
        "delete",
        "",
        "Un service public ne peut pas laisser chacun choisir ses outils.",
        [],
        ("rejected", "Le droit de refus est au cœur de la démarche « choisie, pas subie ».", ""),
    ),
    (
        5,
        JEANNE,
        "replace",
        "Aucune donnée personnelle d’usager n’est saisie dans un outil d’IA.",
        "Plus simple et plus sûr : pas d’exception.",
        [KARIM],
        (
            "rejected",
            "Certains outils validés (transcription locale) traitent des données : "
            "l’interdiction totale les exclurait.",
            "",
        ),
    ),
    (
        6,
        CAMILLE,
        "replace",
        "Les outils validés hébergent les données en France.",
        "Pour la souveraineté des données des habitants.",
        [LUCAS],
        ("rejected", "L’Union européenne offre les mêmes garanties juridiques (RGPD).", ""),
    ),
    (
        7,
        KARIM,
        "add_after",
        "La commune vérifie chaque année les engagements de ses fournisseurs sur l’usage des données.",
        "Un engagement non vérifié ne vaut pas grand-chose.",
        [CAMILLE, JEANNE, ACCUEIL, RH],
        ("accepted", "Adopté : le comité de suivi s’en chargera.", ""),
    ),
    (
        8,
        LUCAS,
        "replace",
        "Un courrier rédigé avec l’aide d’une IA porte la mention « rédigé avec l’aide d’une IA ».",
        "Les usagers ont le droit de savoir.",
        [JEANNE],
        (
            "rejected",
            "La relecture et la signature par un agent engagent la commune ; "
            "la transparence passe par la liste publique des outils.",
            "",
        ),
    ),
    (
        9,
        JEANNE,
        "replace",
        "La commune publie chaque trimestre la liste des outils d’IA qu’elle utilise.",
        "Une date rend l’engagement vérifiable.",
        [],
        ("rejected", "La liste est tenue à jour en continu, ce qui vaut mieux qu’un rythme fixe.", ""),
    ),
    (
        10,
        CAMILLE,
        "replace",
        "Chaque agent reçoit une formation d’une demi-journée avant d’utiliser un outil d’IA.",
        "Préciser la durée, comme dans la consultation sur la formation.",
        [ACCUEIL],
        ("rejected", "La durée dépend de l’outil ; elle sera fixée dans le plan de formation.", ""),
    ),
    (
        10,
        RH,
        "add_after",
        "Les agents qui le souhaitent disposent d’un temps d’échange entre pairs sur leurs usages de l’IA.",
        "On apprend beaucoup de ses collègues.",
        [ACCUEIL, KARIM],
        ("rejected", "Une bonne idée, reprise dans le plan de formation plutôt que dans la charte.", ""),
    ),
    (
        11,
        KARIM,
        "replace",
        "Un comité de suivi, où siègent des agents et des habitant·es, fait le bilan de la charte chaque année.",
        "Les habitant·es doivent pouvoir suivre la charte.",
        [CAMILLE, JEANNE, LUCAS],
        ("rejected", "La charte concerne le travail des agents ; le bilan sera public.", ""),
    ),
    (
        11,
        LUCAS,
        "replace",
        "Un comité de suivi fait le bilan de la charte tous les deux ans.",
        "Un bilan annuel est trop lourd pour une commune de cette taille.",
        [],
        ("rejected", "Les outils changent vite : un bilan annuel est nécessaire.", ""),
    ),
    (
        12,
        JEANNE,
        "delete",
        "",
        "Redondant avec le paragraphe précédent.",
        [],
        ("rejected", "La révision et le bilan sont deux choses différentes.", ""),
    ),
    (
        1,
        CAMILLE,
        "replace",
        "La présente charte dit comment les agents de Saint-Aubin-des-Prés utilisent les outils d’IA.",
        "Plus court.",
        [],
        ("rejected", "Le texte complet nomme la commune comme le veut l’usage des actes.", ""),
    ),
]


def load(consultation, people: dict, organiser, now: datetime):
    """The charter written during the proposals phase, amended and supported, answered, then adopted."""
    start = consultation.phase("proposals").starts_at + timedelta(days=1)
    text = services.import_text(organiser, consultation, TITLE, CHARTER, start)
    services.open_text(text, start)
    numbered = {p.number: p for p in services.paragraphs_of(text)}
    made = []
    for n, (number, author, kind, wording, justification, supporters, answer) in enumerate(AMENDMENTS):
        at = min(start + timedelta(hours=6 * (n + 1)), now)
        amendment = services.propose_amendment(people[author], numbered[number], kind, wording, justification, at)
        for supporter in supporters:
            services.support(people[supporter], amendment, at)
        made.append((amendment, answer))
    answered_at = min(start + timedelta(days=6), now)
    for amendment, (status, reason, changed) in made:
        services.answer_amendment(organiser, amendment, status, reason, answered_at, changed_wording=changed)
    services.publish_version(organiser, text, answered_at)
    return text
