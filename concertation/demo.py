"""The demonstration data loaded by `flask seed-demo`: territories, people, consultations on AI,
and the debate in them (proposals, answers, threaded comments)."""

from datetime import datetime, timedelta

from sqlalchemy import select, text

from concertation.accounts.models import User
from concertation.accounts.services import hash_password
from concertation.comments.services import add_comment
from concertation.consultations.services import ConsultationData, add_resource, create_consultation, set_premoderation
from concertation.extensions import db
from concertation.notifications.services import follow
from concertation.phases import consecutive_phases
from concertation.proposals.answers import answer_proposal, create_template
from concertation.proposals.services import submit_proposal
from concertation.territories.models import Territory
from concertation.territories import branding
from concertation.territories.services import create_territory, grant_role, recognise_agent

DEMO_PASSWORD = "demo-concertation-2026"

TERRITORIES = [
    ("saint-aubin-des-pres", "Saint-Aubin-des-Prés", "commune", "99101", 12_400, ["saint-aubin-des-pres.example"]),
    (
        "trois-rivieres",
        "Communauté d’agglomération des Trois Rivières",
        "intercommunalite",
        "200099101",
        86_000,
        ["agglo-trois-rivieres.example"],
    ),
    ("haute-vallee", "Département de la Haute-Vallée", "departement", "99", 410_000, ["haute-vallee.example"]),
]

PEOPLE = [
    # email, pseudonym, territory slug or None, role
    ("admin@concertation.example", "Équipe plateforme", None, "admin"),
    ("redaction@concertation.example", "Rédaction du manifeste", None, "editor"),
    ("organisation@saint-aubin-des-pres.example", "Mairie de Saint-Aubin", "saint-aubin-des-pres", "organiser"),
    ("maire@saint-aubin-des-pres.example", "Élise Martin, maire", "saint-aubin-des-pres", "elu"),
    ("accueil@saint-aubin-des-pres.example", "Agent d’accueil", "saint-aubin-des-pres", "agent"),
    ("numerique@agglo-trois-rivieres.example", "Service numérique de l’agglo", "trois-rivieres", "organiser"),
    ("vice-president@agglo-trois-rivieres.example", "Paul Durand, vice-président", "trois-rivieres", "elu"),
    ("rh@agglo-trois-rivieres.example", "Agente RH", "trois-rivieres", "agent"),
    ("dsi@haute-vallee.example", "DSI de la Haute-Vallée", "haute-vallee", "organiser"),
    ("presidente@haute-vallee.example", "Claire Petit, présidente", "haute-vallee", "elu"),
    ("camille@habitants.example", "Camille", None, "participant"),
    ("karim@habitants.example", "Karim B.", None, "participant"),
    ("jeanne@habitants.example", "Jeanne", None, "participant"),
    ("lucas@habitants.example", "Lucas 42", None, "participant"),
]

CONSULTATIONS = [
    dict(
        territory="saint-aubin-des-pres",
        current="proposals",
        audience="both",
        voting_method="support",
        support_limit=5,
        # So that a newcomer can try a support on the day they install the platform (the vote by supports of
        # the other consultations is past or to come).
        supports_during_proposals=True,
        title="Former les agents et les habitants à l’IA : par où commencer ?",
        summary="Quelles formations proposer en priorité pour que l’IA soit choisie, pas subie ?",
        themes=["Formation des agents", "Médiation numérique", "Écoles et jeunesse"],
        description=(
            "La commune veut **former avant d’équiper**. Avant d’introduire le moindre outil d’intelligence "
            "artificielle dans ses services, elle souhaite savoir quelles formations et quels temps "
            "d’acculturation vous semblent prioritaires.\n\n"
            "- Pour les agents : comprendre ce que fait (et ne fait pas) un outil d’IA générative ;\n"
            "- pour les habitant·es : ateliers dans les médiathèques, accompagnement des personnes éloignées du "
            "numérique ;\n- pour les plus jeunes : éducation critique aux outils."
        ),
    ),
    dict(
        territory="saint-aubin-des-pres",
        current="vote",
        audience="public",
        voting_method="majority",
        support_limit=None,
        title="L’IA à l’accueil de la mairie",
        summary="Un assistant pour orienter les usagers : à quelles conditions ?",
        themes=["Accueil du public", "Accessibilité", "Transparence"],
        description=(
            "Plusieurs communes testent des assistants conversationnels pour répondre aux questions "
            "simples (horaires, démarches). Jugez chacune des propositions retenues pour le vote."
        ),
    ),
    dict(
        territory="trois-rivieres",
        current="synthesis",
        audience="public",
        voting_method="support",
        support_limit=None,
        title="Protéger les données personnelles des usagers",
        summary="Quelles garanties exiger avant d’utiliser l’IA avec des données d’usagers ?",
        themes=["Données personnelles", "Hébergement et souveraineté", "Contrôle humain"],
        description=(
            "L’agglomération s’engage à n’utiliser aucun outil d’IA sur des données d’usagers sans "
            "garanties écrites. Lesquelles vous paraissent indispensables ?"
        ),
    ),
    dict(
        territory="trois-rivieres",
        current="information",
        audience="agents",
        voting_method="support",
        support_limit=3,
        title="Outils d’IA pour les agents : besoins et craintes",
        premoderation=True,
        summary="Consultation interne réservée aux agents de l’agglomération.",
        themes=["Conditions de travail", "Outils du quotidien", "Éthique"],
        description="Avant tout déploiement, nous voulons entendre les agents qui utiliseraient ces outils.",
    ),
    dict(
        territory="haute-vallee",
        current="upcoming",
        audience="public",
        voting_method="support",
        support_limit=None,
        title="Une IA sobre : frugalité numérique et environnement",
        summary="Comment concilier usages de l’IA et objectifs climatiques du département ?",
        themes=["Sobriété énergétique", "Mutualisation", "Mesure de l’impact"],
        description="Les usages de l’IA consomment de l’énergie et de l’eau : à quoi la réserver ?",
    ),
]

RESOURCES = [
    (
        "Qu’est-ce qu’une IA générative ? (fiche pédagogique)",
        "Deux pages pour comprendre les grands principes, sans jargon.",
        "https://www.cnil.fr/fr/intelligence-artificielle",
    ),
    (
        "Le règlement européen sur l’IA en bref",
        "Ce que l’AI Act change pour les collectivités.",
        "https://digital-strategy.ec.europa.eu/fr/policies/regulatory-framework-ai",
    ),
]


# Proposals per consultation (by index in CONSULTATIONS): author's email, theme, title, body,
# and the organisers' answer (answer, justification) or None.
CAMILLE, KARIM, JEANNE, LUCAS = (
    "camille@habitants.example",
    "karim@habitants.example",
    "jeanne@habitants.example",
    "lucas@habitants.example",
)
ACCUEIL, RH = "accueil@saint-aubin-des-pres.example", "rh@agglo-trois-rivieres.example"

PROPOSALS = {
    0: [
        (
            ACCUEIL,
            "Formation des agents",
            "Une demi-journée de sensibilisation à l’IA pour chaque agent",
            "Avant tout nouvel outil, chaque agent devrait pouvoir comprendre **ce que fait une IA générative** "
            "et ce qu’elle ne fait pas : inventer des réponses plausibles, reproduire des biais, exposer des "
            "données si on les lui confie.\n\nUne demi-journée en présentiel, par petits groupes, sur le temps "
            "de travail.",
            None,
        ),
        (
            CAMILLE,
            "Médiation numérique",
            "Des ateliers « IA et démarches » à la médiathèque",
            "Un samedi par mois, des ateliers gratuits pour apprendre à se servir des assistants en ligne pour "
            "ses démarches, **sans y laisser ses données**. Animés par les conseillers numériques.",
            None,
        ),
        (
            ACCUEIL,
            "Formation des agents",
            "Des agents référents IA dans chaque service",
            "Un ou une référente par service, formée plus longuement, pour répondre aux questions des collègues "
            "et faire remonter les usages utiles… et ceux qui posent problème.",
            None,
        ),
        (
            JEANNE,
            "Écoles et jeunesse",
            "Un module d’éducation critique aux IA pour les collégiens",
            "Avec les enseignants volontaires : reconnaître un texte ou une image générés, vérifier une source, "
            "comprendre pourquoi une IA se trompe avec aplomb.",
            None,
        ),
        (
            KARIM,
            "Médiation numérique",
            "Protéger les personnes âgées des arnaques qui utilisent l’IA",
            "Les fausses voix et faux messages se multiplient. Des séances courtes au CCAS et dans les clubs "
            "pour apprendre à les repérer.",
            None,
        ),
    ],
    1: [
        (
            CAMILLE,
            "Accueil du public",
            "Toujours pouvoir parler à un humain",
            "Quel que soit l’outil, un bouton ou un numéro doit permettre de joindre **une personne** aux "
            "heures d’ouverture, sans avoir à passer d’abord par l’assistant.",
            None,
        ),
        (
            LUCAS,
            "Transparence",
            "Dire clairement quand on échange avec une IA",
            "Un message visible au début de chaque conversation, et une page qui explique quel outil est "
            "utilisé, par qui il est fourni et ce qu’il fait des questions posées.",
            None,
        ),
        (
            JEANNE,
            "Accessibilité",
            "Un assistant qui répond en « facile à lire et à comprendre »",
            "Des réponses courtes, en phrases simples, lisibles par un lecteur d’écran, avec la possibilité "
            "de demander une version FALC.",
            None,
        ),
        (
            KARIM,
            "Accueil du public",
            "Tester l’assistant six mois avant de décider",
            "Une expérimentation limitée, avec un bilan public (questions résolues, erreurs, avis des agents "
            "d’accueil) avant toute décision de généralisation.",
            None,
        ),
    ],
    2: [
        (
            JEANNE,
            "Hébergement et souveraineté",
            "Aucune donnée d’usager envoyée hors d’Europe",
            "Les outils utilisés par l’agglomération doivent être hébergés dans l’Union européenne, par un "
            "prestataire qui ne relève pas de lois extraterritoriales.",
            ("retained", "Cette exigence figurera dans tous nos marchés publics à partir de 2027."),
        ),
        (
            LUCAS,
            "Contrôle humain",
            "Publier la liste des outils d’IA utilisés par l’agglomération",
            "Un registre public, tenu à jour : l’outil, le service qui l’utilise, à quoi il sert, quelles "
            "données il traite.",
            ("retained", "Le registre sera publié sur le site de l’agglomération et mis à jour chaque trimestre."),
        ),
        (
            KARIM,
            "Contrôle humain",
            "Une décision humaine pour toute réponse défavorable",
            "Aucune aide refusée, aucun dossier rejeté sans qu’un agent ait relu et signé la décision.",
            ("under_study", "Nous vérifions avec le service juridique comment l’appliquer à chaque procédure."),
        ),
        (
            CAMILLE,
            "Données personnelles",
            "Effacer les conversations avec l’assistant après 30 jours",
            "Les échanges avec un assistant en ligne ne devraient pas être gardés plus d’un mois.",
            (
                "not_retained",
                "Certaines demandes doivent être conservées un an pour le suivi des dossiers. Nous "
                "retenons en revanche leur **anonymisation** après 30 jours.",
            ),
        ),
        (
            RH,
            "Hébergement et souveraineté",
            "Préférer des modèles sobres, hébergés et mutualisés localement",
            "Un petit modèle ouvert, hébergé sur un serveur partagé entre les communes de l’agglomération, "
            "consomme beaucoup moins d’énergie qu’un grand modèle généraliste et garde les données chez nous.",
            ("under_study", "Une étude de coût et d’impact énergétique est lancée avec deux communes volontaires."),
        ),
    ],
}

# (consultation index, proposal index or None for the consultation's debate, thread):
# each thread is a list of (author email, text, stance), each one replying to the previous.
COMMENTS = [
    (
        0,
        0,
        [
            (CAMILLE, "Oui, et en présentiel : on apprend mieux entre collègues qu’avec un module en ligne.", "for"),
            (ACCUEIL, "D’accord. Il faudra prévoir qui tient l’accueil pendant la formation.", None),
            (KARIM, "Pourquoi pas deux sessions, le matin et l’après-midi ?", None),
        ],
    ),
    (0, 0, [(LUCAS, "Une demi-journée, c’est court pour un sujet pareil.", "neutral")]),
    (
        0,
        1,
        [
            (JEANNE, "Le samedi matin serait idéal pour les personnes qui travaillent en semaine.", "for"),
            (CAMILLE, "Bonne idée, je l’ajoute à la proposition si elle est retenue.", None),
        ],
    ),
    (1, 0, [(KARIM, "Indispensable : tout le monde n’est pas à l’aise avec un robot.", "for")]),
    (
        1,
        0,
        [
            (
                LUCAS,
                "Si l’humain n’est joignable qu’aux horaires d’ouverture, l’assistant reste utile le soir.",
                "against",
            ),
            (CAMILLE, "Les deux ne s’opposent pas : l’assistant le soir, un humain quand c’est ouvert.", None),
        ],
    ),
    (2, 3, [(JEANNE, "Trente jours me paraît raisonnable, au moins pour les questions sans dossier.", "for")]),
    (
        0,
        None,
        [
            (JEANNE, "Les résultats de la consultation seront-ils présentés en réunion publique ?", None),
            (
                "organisation@saint-aubin-des-pres.example",
                "Oui, une réunion publique est prévue à la fin de la phase de synthèse.",
                None,
            ),
        ],
    ),
]


def _load_debate(consultations: list, people: dict, organisers: dict, now: datetime) -> None:
    """Proposals written during each consultation's proposals phase, then comments and answers."""
    proposals: dict[tuple[int, int], object] = {}
    for index, items in PROPOSALS.items():
        consultation = consultations[index]
        written = consultation.phase("proposals").starts_at
        themes = {t.name: t.id for t in consultation.themes}
        for n, (email, theme, title, body, _answer) in enumerate(items):
            proposals[(index, n)] = submit_proposal(
                people[email], consultation, title, body, themes[theme], written + timedelta(days=1 + n, hours=3 * n)
            )
        follow(people[JEANNE], consultation=consultation)
    for index, proposal_index, thread in COMMENTS:
        consultation = consultations[index]
        proposal = proposals[(index, proposal_index)] if proposal_index is not None else None
        at = (proposal.created_at if proposal else consultation.phase("proposals").starts_at) + timedelta(hours=5)
        parent = None
        for email, said, stance in thread:
            at += timedelta(hours=2)
            parent = add_comment(
                people[email], consultation, said, min(at, now), proposal=proposal, parent=parent, stance=stance
            )
    for index, items in PROPOSALS.items():
        consultation = consultations[index]
        organiser = organisers[consultation.territory.slug]
        answered = min(consultation.phase("vote").ends_at, now)
        for n, item in enumerate(items):
            if item[4] is not None:
                answer_proposal(organiser, proposals[(index, n)], item[4][0], item[4][1], answered)
    create_template(
        consultations[2],
        "Hors compétence de l’agglomération",
        "not_retained",
        "Cette proposition relève d’une autre collectivité : nous la lui transmettons.",
    )


# The consultation in its synthesis phase gets proposals, answers, votes, comments and a published synthesis.
SYNTHESIS_PROPOSALS = [
    # title, body, theme index, answer, supporters (emails), author email
    (
        "Aucune donnée d’usager hors de l’Union européenne",
        "Les outils d’IA utilisés par l’agglomération doivent être hébergés en Europe, et les données des usagers ne "
        "doivent jamais servir à entraîner les modèles d’un fournisseur.",
        1,
        "retained",
        [
            "camille@habitants.example",
            "karim@habitants.example",
            "jeanne@habitants.example",
            "lucas@habitants.example",
            "rh@agglo-trois-rivieres.example",
        ],
        "camille@habitants.example",
    ),
    (
        "Un agent relit toute décision préparée par une IA",
        "Aucune décision individuelle (aide sociale, place en crèche) ne doit être prise par une machine seule : un "
        "agent relit, signe et peut expliquer.",
        2,
        "retained",
        ["camille@habitants.example", "jeanne@habitants.example", "rh@agglo-trois-rivieres.example"],
        "rh@agglo-trois-rivieres.example",
    ),
    (
        "Publier la liste des outils d’IA utilisés",
        "Un registre public des algorithmes : à quoi sert chaque outil, quelles données il utilise, qui en répond.",
        0,
        "retained",
        ["karim@habitants.example", "lucas@habitants.example"],
        "karim@habitants.example",
    ),
    (
        "Une analyse d’impact avant chaque projet",
        "Réaliser une analyse d’impact sur la protection des données avant tout projet, et la publier.",
        0,
        "under_study",
        ["jeanne@habitants.example"],
        "jeanne@habitants.example",
    ),
    (
        "Héberger les données chez un prestataire souverain",
        "Privilégier un hébergeur qualifié SecNumCloud pour toutes les données sensibles.",
        1,
        "not_retained",
        ["lucas@habitants.example"],
        "lucas@habitants.example",
    ),
]


def _synthesis_demo(consultation, organiser, people: dict, now: datetime) -> None:
    """Proposals, answers, supports, comments and a published synthesis for the consultation in synthesis phase."""
    from datetime import timedelta

    from concertation.comments.models import Comment
    from concertation.proposals.models import Proposal
    from concertation.synthesis import services as synthesis
    from concertation.text import to_html
    from concertation.voting.models import Support

    proposals_start = consultation.phase("proposals").starts_at
    vote_start = consultation.phase("vote").starts_at
    made = []
    for i, (title, body, theme, answer, supporters, author) in enumerate(SYNTHESIS_PROPOSALS):
        proposal = Proposal(
            consultation_id=consultation.id,
            author_id=people[author].id,
            theme_id=consultation.themes[theme].id,
            title=title,
            body=body,
            body_html=to_html(body),
            search_text=f"{title} {body}".lower(),
            answer=answer,
            answered_at=now,
            answer_text="Réponse détaillée publiée avec la synthèse.",
            answered_by_id=organiser.id,
            support_count=len(supporters),
            created_at=proposals_start + timedelta(days=2 + 5 * i),
        )
        proposal.answer_html = to_html(proposal.answer_text)
        db.session.add(proposal)
        db.session.flush()
        for n, email in enumerate(supporters):
            db.session.add(
                Support(
                    proposal_id=proposal.id,
                    consultation_id=consultation.id,
                    user_id=people[email].id,
                    created_at=vote_start + timedelta(days=1 + 4 * n + i),
                )
            )
        made.append(proposal)
    comment = Comment(
        consultation_id=consultation.id,
        proposal_id=made[1].id,
        author_id=people["jeanne@habitants.example"].id,
        body="Et que l’usager puisse toujours demander à parler à une personne.",
        created_at=proposals_start + timedelta(days=12),
    )
    comment.body_html = to_html(comment.body)
    db.session.add(comment)
    made[1].comment_count = 1
    db.session.flush()

    draft = synthesis.start_synthesis(organiser, consultation)
    bodies = {
        draft.sections[0].id: "Les participant·es demandent d’abord de **savoir** quels outils sont utilisés, et "
        "pourquoi.\n\nUne analyse d’impact avant chaque projet est à l’étude.",
        draft.sections[1].id: "L’hébergement en Europe et l’interdiction d’entraîner des modèles avec les données "
        "des usagers font consensus.",
        draft.sections[2].id: "Aucune décision individuelle ne sera prise par une machine seule.",
    }
    synthesis.update_synthesis(
        draft,
        "Synthèse : protéger les données personnelles des usagers",
        "Pendant deux mois, habitant·es et agents ont dit à quelles conditions l’agglomération peut utiliser l’IA "
        "avec des données d’usagers. Voici ce que nous retenons, et ce que nous nous engageons à faire.",
        bodies,
    )
    synthesis.set_retained(draft, [p.id for p in made if p.answer == "retained"])
    synthesis.add_citation(draft.sections[0], "proposal", made[2].id, 1)
    synthesis.add_citation(draft.sections[0], "proposal", made[3].id, 2)
    synthesis.add_citation(draft.sections[1], "proposal", made[0].id, 1)
    synthesis.add_citation(draft.sections[2], "comment", comment.id, None)
    synthesis.publish(organiser, draft, now)


def has_data() -> bool:
    return (
        db.session.scalar(select(User.id).limit(1)) is not None
        or db.session.scalar(select(Territory.id).limit(1)) is not None
    )


def holds_real_data() -> bool:
    """True when an account has an address outside `.example`, the reserved domain of the demonstration."""
    return (
        db.session.scalar(select(User.id).where(User.email.is_not(None), ~User.email.like("%.example")).limit(1))
        is not None
    )


def rebuild() -> None:
    """Drop every table and build the schema again from the migrations.

    The moderation log is never emptied row by row and its triggers are never switched off: the
    whole table goes, and comes back with its triggers, as with a new database.
    """
    from flask_migrate import upgrade

    db.session.remove()
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            tables = connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            ).all()
            # Virtual tables first: dropping one drops its shadow tables.
            for name, _sql in sorted(tables, key=lambda t: not (t[1] or "").upper().startswith("CREATE VIRTUAL")):
                connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
    db.engine.dispose()
    upgrade()


def load(now: datetime) -> list[tuple[str, str, str, str]]:
    """Load the demonstration; returns (email, password, role, territory) for each account."""
    territories = {
        slug: create_territory(name, kind, slug, code, domains, population)
        for slug, name, kind, code, population, domains in TERRITORIES
    }
    # One territory shows its own accent colour (AA on white); the others keep the platform's.
    branding.set_accent_colour(territories["trois-rivieres"], "#0b6e4f")
    password_hash = hash_password(DEMO_PASSWORD)
    people: dict[str, User] = {}
    listing = []
    for email, pseudonym, slug, role in PEOPLE:
        user = User(
            email=email,
            pseudonym=pseudonym,
            password_hash=password_hash,
            confirmed_at=now,
            terms_accepted_at=now,
            is_admin=role == "admin",
            is_editor=role == "editor",
        )
        db.session.add(user)
        db.session.flush()
        recognise_agent(user)
        if slug and role != "agent":
            grant_role(territories[slug], user, role)
        people[email] = user
        listing.append((email, DEMO_PASSWORD, role, territories[slug].name if slug else "—"))
    organisers = {
        slug: next(people[e] for e, _p, s, r in PEOPLE if s == slug and r == "organiser") for slug in territories
    }
    consultations = []
    for spec in CONSULTATIONS:
        consultation = create_consultation(
            organisers[spec["territory"]],
            territories[spec["territory"]],
            ConsultationData(
                title=spec["title"],
                summary=spec["summary"],
                description=spec["description"],
                audience=spec["audience"],
                voting_method=spec["voting_method"],
                support_limit=spec["support_limit"],
                supports_during_proposals=spec.get("supports_during_proposals", False),
                results_live=spec["current"] == "vote",
                themes=spec["themes"],
                phase_dates=consecutive_phases(spec["current"], now),
            ),
        )
        set_premoderation(consultation, spec.get("premoderation", False))
        for title, description, url in RESOURCES:
            add_resource(consultation, title, description, url)
        consultations.append(consultation)
    _load_debate(consultations, people, organisers, now)
    for spec, consultation in zip(CONSULTATIONS, consultations):
        if spec["current"] == "synthesis":
            _synthesis_demo(consultation, organisers[spec["territory"]], people, now)
    from concertation.questionnaires import demo as questionnaires_demo

    questionnaires_demo.load(consultations[0], organisers["saint-aubin-des-pres"], password_hash, now)
    from concertation.workshops import demo as workshops_demo

    workshops_demo.load(consultations[0], organisers["saint-aubin-des-pres"], people, now)
    from concertation.participation import demo as participation_demo

    participation_demo.load(territories, consultations, password_hash, now)
    from concertation.manifesto import demo as manifesto_demo
    from concertation.texts import demo as texts_demo

    texts_demo.load(consultations[0], people, organisers["saint-aubin-des-pres"], now)

    manifesto_demo.load(now, territories, people, organisers)
    from concertation.commitments import demo as commitments_demo

    commitments_demo.load(now, organisers)
    from concertation.library import demo as library_demo

    library_demo.load(now, territories, people, organisers)
    return listing
