"""The demonstration data loaded by `flask seed-demo`: territories, people and consultations on AI."""

from datetime import datetime

from sqlalchemy import select

from concertation.accounts.models import User
from concertation.accounts.services import hash_password
from concertation.consultations.services import ConsultationData, add_resource, create_consultation
from concertation.extensions import db
from concertation.phases import consecutive_phases
from concertation.territories.models import Territory
from concertation.territories.services import create_territory, grant_role, recognise_agent

DEMO_PASSWORD = "demo-concertation-2026"

TERRITORIES = [
    ("saint-aubin-des-pres", "Saint-Aubin-des-Prés", "commune", "99101", 12_400, ["saint-aubin-des-pres.example"]),
    ("trois-rivieres", "Communauté d’agglomération des Trois Rivières", "intercommunalite", "200099101", 86_000,
     ["agglo-trois-rivieres.example"]),
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
    dict(territory="saint-aubin-des-pres", current="proposals", audience="both", voting_method="support",
         support_limit=5, title="Former les agents et les habitants à l’IA : par où commencer ?",
         summary="Quelles formations proposer en priorité pour que l’IA soit choisie, pas subie ?",
         themes=["Formation des agents", "Médiation numérique", "Écoles et jeunesse"],
         description=(
             "La commune veut **former avant d’équiper**. Avant d’introduire le moindre outil d’intelligence "
             "artificielle dans ses services, elle souhaite savoir quelles formations et quels temps "
             "d’acculturation vous semblent prioritaires.\n\n"
             "- Pour les agents : comprendre ce que fait (et ne fait pas) un outil d’IA générative ;\n"
             "- pour les habitant·es : ateliers dans les médiathèques, accompagnement des personnes éloignées du "
             "numérique ;\n- pour les plus jeunes : éducation critique aux outils.")),
    dict(territory="saint-aubin-des-pres", current="vote", audience="public", voting_method="majority",
         support_limit=None, title="L’IA à l’accueil de la mairie",
         summary="Un assistant pour orienter les usagers : à quelles conditions ?",
         themes=["Accueil du public", "Accessibilité", "Transparence"],
         description=("Plusieurs communes testent des assistants conversationnels pour répondre aux questions "
                      "simples (horaires, démarches). Jugez chacune des propositions retenues pour le vote.")),
    dict(territory="trois-rivieres", current="synthesis", audience="public", voting_method="support",
         support_limit=None, title="Protéger les données personnelles des usagers",
         summary="Quelles garanties exiger avant d’utiliser l’IA avec des données d’usagers ?",
         themes=["Données personnelles", "Hébergement et souveraineté", "Contrôle humain"],
         description=("L’agglomération s’engage à n’utiliser aucun outil d’IA sur des données d’usagers sans "
                      "garanties écrites. Lesquelles vous paraissent indispensables ?")),
    dict(territory="trois-rivieres", current="information", audience="agents", voting_method="support",
         support_limit=3, title="Outils d’IA pour les agents : besoins et craintes",
         summary="Consultation interne réservée aux agents de l’agglomération.",
         themes=["Conditions de travail", "Outils du quotidien", "Éthique"],
         description="Avant tout déploiement, nous voulons entendre les agents qui utiliseraient ces outils."),
    dict(territory="haute-vallee", current="upcoming", audience="public", voting_method="support",
         support_limit=None, title="Une IA sobre : frugalité numérique et environnement",
         summary="Comment concilier usages de l’IA et objectifs climatiques du département ?",
         themes=["Sobriété énergétique", "Mutualisation", "Mesure de l’impact"],
         description="Les usages de l’IA consomment de l’énergie et de l’eau : à quoi la réserver ?"),
]

RESOURCES = [
    ("Qu’est-ce qu’une IA générative ? (fiche pédagogique)",
     "Deux pages pour comprendre les grands principes, sans jargon.",
     "https://www.cnil.fr/fr/intelligence-artificielle"),
    ("Le règlement européen sur l’IA en bref", "Ce que l’AI Act change pour les collectivités.",
     "https://digital-strategy.ec.europa.eu/fr/policies/regulatory-framework-ai"),
]


# The consultation in its synthesis phase gets proposals, answers, votes, comments and a published synthesis.
SYNTHESIS_PROPOSALS = [
    # title, body, theme index, answer, supporters (emails), author email
    ("Aucune donnée d’usager hors de l’Union européenne",
     "Les outils d’IA utilisés par l’agglomération doivent être hébergés en Europe, et les données des usagers ne "
     "doivent jamais servir à entraîner les modèles d’un fournisseur.", 1, "retained",
     ["camille@habitants.example", "karim@habitants.example", "jeanne@habitants.example", "lucas@habitants.example",
      "rh@agglo-trois-rivieres.example"], "camille@habitants.example"),
    ("Un agent relit toute décision préparée par une IA",
     "Aucune décision individuelle (aide sociale, place en crèche) ne doit être prise par une machine seule : un "
     "agent relit, signe et peut expliquer.", 2, "retained",
     ["camille@habitants.example", "jeanne@habitants.example", "rh@agglo-trois-rivieres.example"],
     "rh@agglo-trois-rivieres.example"),
    ("Publier la liste des outils d’IA utilisés",
     "Un registre public des algorithmes : à quoi sert chaque outil, quelles données il utilise, qui en répond.",
     0, "retained", ["karim@habitants.example", "lucas@habitants.example"], "karim@habitants.example"),
    ("Une analyse d’impact avant chaque projet",
     "Réaliser une analyse d’impact sur la protection des données avant tout projet, et la publier.", 0,
     "under_study", ["jeanne@habitants.example"], "jeanne@habitants.example"),
    ("Héberger les données chez un prestataire souverain",
     "Privilégier un hébergeur qualifié SecNumCloud pour toutes les données sensibles.", 1, "not_retained",
     ["lucas@habitants.example"], "lucas@habitants.example"),
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
        proposal = Proposal(consultation_id=consultation.id, author_id=people[author].id,
                            theme_id=consultation.themes[theme].id, title=title, body=body, body_html=to_html(body),
                            search_text=f"{title} {body}".lower(), answer=answer, answered_at=now,
                            answer_text="Réponse détaillée publiée avec la synthèse.", answered_by_id=organiser.id,
                            support_count=len(supporters), created_at=proposals_start + timedelta(days=2 + 5 * i))
        proposal.answer_html = to_html(proposal.answer_text)
        db.session.add(proposal)
        db.session.flush()
        for n, email in enumerate(supporters):
            db.session.add(Support(proposal_id=proposal.id, consultation_id=consultation.id, user_id=people[email].id,
                                   created_at=vote_start + timedelta(days=1 + 4 * n + i)))
        made.append(proposal)
    comment = Comment(consultation_id=consultation.id, proposal_id=made[1].id, author_id=people["jeanne@habitants.example"].id,
                      body="Et que l’usager puisse toujours demander à parler à une personne.",
                      created_at=proposals_start + timedelta(days=12))
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
        draft, "Synthèse : protéger les données personnelles des usagers",
        "Pendant deux mois, habitant·es et agents ont dit à quelles conditions l’agglomération peut utiliser l’IA "
        "avec des données d’usagers. Voici ce que nous retenons, et ce que nous nous engageons à faire.", bodies)
    synthesis.set_retained(draft, [p.id for p in made if p.answer == "retained"])
    synthesis.add_citation(draft.sections[0], "proposal", made[2].id, 1)
    synthesis.add_citation(draft.sections[0], "proposal", made[3].id, 2)
    synthesis.add_citation(draft.sections[1], "proposal", made[0].id, 1)
    synthesis.add_citation(draft.sections[2], "comment", comment.id, None)
    synthesis.publish(organiser, draft, now)


def has_data() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None or \
        db.session.scalar(select(Territory.id).limit(1)) is not None


def wipe() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.flush()


def load(now: datetime) -> list[tuple[str, str, str, str]]:
    """Load the demonstration; returns (email, password, role, territory) for each account."""
    territories = {slug: create_territory(name, kind, slug, code, domains, population)
                   for slug, name, kind, code, population, domains in TERRITORIES}
    password_hash = hash_password(DEMO_PASSWORD)
    people: dict[str, User] = {}
    listing = []
    for email, pseudonym, slug, role in PEOPLE:
        user = User(email=email, pseudonym=pseudonym, password_hash=password_hash, confirmed_at=now,
                    terms_accepted_at=now, is_admin=role == "admin", is_editor=role == "editor")
        db.session.add(user)
        db.session.flush()
        recognise_agent(user)
        if slug and role != "agent":
            grant_role(territories[slug], user, role)
        people[email] = user
        listing.append((email, DEMO_PASSWORD, role, territories[slug].name if slug else "—"))
    organisers = {slug: next(people[e] for e, _p, s, r in PEOPLE if s == slug and r == "organiser")
                  for slug in territories}
    for spec in CONSULTATIONS:
        consultation = create_consultation(organisers[spec["territory"]], territories[spec["territory"]],
                                           ConsultationData(
            title=spec["title"], summary=spec["summary"], description=spec["description"],
            audience=spec["audience"], voting_method=spec["voting_method"], support_limit=spec["support_limit"],
            supports_during_proposals=False, results_live=spec["current"] == "vote", themes=spec["themes"],
            phase_dates=consecutive_phases(spec["current"], now)))
        for title, description, url in RESOURCES:
            add_resource(consultation, title, description, url)
        if spec["current"] == "synthesis":
            _synthesis_demo(consultation, organisers[spec["territory"]], people, now)
    from concertation.manifesto import demo as manifesto_demo
    manifesto_demo.load(now, territories, people, organisers)
    return listing
