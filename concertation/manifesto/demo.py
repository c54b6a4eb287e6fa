"""The manifesto part of `flask seed-demo`: a closed consultation with its published synthesis in a second
territory, then a manifesto drawn from the syntheses of both territories, published and signed by an élu, and the
draft of its next version open to the territories' amendments."""

from datetime import datetime, timedelta

from sqlalchemy import select

from concertation.consultations.models import Consultation
from concertation.consultations.services import ConsultationData, create_consultation
from concertation.extensions import db
from concertation.manifesto import amendments, endorsements, services, suggestions
from concertation.phases import consecutive_phases
from concertation.proposals.models import Proposal
from concertation.synthesis import services as synthesis
from concertation.synthesis.models import SynthesisVersion
from concertation.text import to_html
from concertation.voting.models import Support

CLOSED_CONSULTATION = dict(
    title="L’IA dans les services municipaux : nos conditions",
    summary="Avant toute expérimentation, les habitant·es et les agents ont fixé leurs conditions.",
    description=(
        "Cette consultation, close, a réuni habitant·es et agents de la commune autour d’une question : "
        "à quelles conditions accepter un outil d’IA dans les services municipaux ?"
    ),
    themes=["Formation des agents", "Accueil du public", "Sobriété numérique"],
)

# title, body, theme index, supporters (emails), author email
PROPOSALS = [
    (
        "Former tous les agents avant le moindre outil",
        "Une formation de deux jours, sur le temps de travail, pour comprendre ce que fait et ne fait pas une IA "
        "générative, avant tout déploiement.",
        0,
        [
            "camille@habitants.example",
            "karim@habitants.example",
            "jeanne@habitants.example",
            "accueil@saint-aubin-des-pres.example",
        ],
        "accueil@saint-aubin-des-pres.example",
    ),
    (
        "Toujours pouvoir parler à une personne à l’accueil",
        "Un assistant peut orienter, mais un agent doit rester joignable, au guichet comme au téléphone, aux mêmes "
        "horaires.",
        1,
        ["camille@habitants.example", "jeanne@habitants.example", "lucas@habitants.example"],
        "jeanne@habitants.example",
    ),
    (
        "Réserver l’IA aux usages qui en valent la peine",
        "Mesurer l’énergie consommée par chaque outil et renoncer à ceux dont l’utilité ne justifie pas l’impact.",
        2,
        ["karim@habitants.example", "lucas@habitants.example"],
        "lucas@habitants.example",
    ),
]

POINTS = [
    # chapter, title, body, sources: ("saint-aubin" | "trois-rivieres", retained index or None for a section title)
    (
        "Former avant d’équiper",
        "Former les agents avant tout déploiement",
        "Aucun outil d’IA n’est introduit dans un service sans que les agents qui l’utiliseront aient été formés, sur "
        "leur temps de travail, à ce qu’il fait et à ses limites.\n\nLa formation n’est pas un préalable technique : "
        "c’est la condition d’une IA **choisie, pas subie**.",
        [("saint-aubin-des-pres", 0)],
    ),
    (
        "Un service public humain",
        "Un humain toujours joignable",
        "Un assistant conversationnel peut orienter les usagers ; il ne remplace jamais l’accueil. Chaque usager peut, "
        "à tout moment, parler à une personne.\n\nAucune décision individuelle n’est prise par une machine seule.",
        [("saint-aubin-des-pres", 1), ("trois-rivieres", 1)],
    ),
    (
        "Protéger les données personnelles",
        "Les données des usagers restent en Europe et ne servent à rien d’autre",
        "Les outils utilisés sont hébergés dans l’Union européenne ; les données des usagers ne servent jamais à "
        "entraîner les modèles d’un fournisseur.\n\nLa liste des outils d’IA utilisés, leurs usages et leurs "
        "responsables est publique.",
        [("trois-rivieres", 0), ("trois-rivieres", 2)],
    ),
    (
        "Une IA sobre",
        "Réserver l’IA aux usages utiles et mesurer leur impact",
        "Chaque usage est évalué : énergie, eau, utilité réelle pour le service rendu. Ce qui ne vaut pas son coût "
        "environnemental est abandonné.",
        [("saint-aubin-des-pres", 2)],
    ),
]


def _closed_synthesis(territory, organiser, people: dict, now: datetime) -> None:
    consultation = create_consultation(
        organiser,
        territory,
        ConsultationData(
            title=CLOSED_CONSULTATION["title"],
            summary=CLOSED_CONSULTATION["summary"],
            description=CLOSED_CONSULTATION["description"],
            audience="both",
            voting_method="support",
            support_limit=None,
            supports_during_proposals=False,
            results_live=False,
            themes=CLOSED_CONSULTATION["themes"],
            phase_dates=consecutive_phases("closed", now),
        ),
    )
    start, vote = consultation.phase("proposals").starts_at, consultation.phase("vote").starts_at
    made = []
    for i, (title, body, theme, supporters, author) in enumerate(PROPOSALS):
        proposal = Proposal(
            consultation_id=consultation.id,
            author_id=people[author].id,
            theme_id=consultation.themes[theme].id,
            title=title,
            body=body,
            body_html=to_html(body),
            search_text=f"{title} {body}".lower(),
            answer="retained",
            answered_at=now,
            answer_text="Retenue : elle figure dans la synthèse.",
            answered_by_id=organiser.id,
            support_count=len(supporters),
            created_at=start + timedelta(days=3 + 4 * i),
        )
        proposal.answer_html = to_html(proposal.answer_text)
        db.session.add(proposal)
        db.session.flush()
        db.session.add_all(
            Support(
                proposal_id=proposal.id,
                consultation_id=consultation.id,
                user_id=people[e].id,
                created_at=vote + timedelta(days=2 + n),
            )
            for n, e in enumerate(supporters)
        )
        made.append(proposal)
    db.session.flush()
    draft = synthesis.start_synthesis(organiser, consultation)
    synthesis.update_synthesis(
        draft,
        "Synthèse : former d’abord, un humain toujours joignable",
        "Habitant·es et agents ont posé trois conditions avant toute IA dans les services de la commune.",
        {
            draft.sections[0].id: "Former les agents avant d’équiper fait l’unanimité.",
            draft.sections[1].id: "L’accueil reste humain : un assistant oriente, une personne répond.",
            draft.sections[2].id: "Chaque outil doit prouver que son utilité justifie son impact.",
        },
    )
    synthesis.set_retained(draft, [p.id for p in made])
    synthesis.publish(organiser, draft, now - timedelta(days=5))


def _latest_version(territory) -> SynthesisVersion | None:
    return db.session.scalar(
        select(SynthesisVersion)
        .join(Consultation)
        .where(Consultation.territory_id == territory.id)
        .order_by(SynthesisVersion.id.desc())
        .limit(1)
    )


def load(now: datetime, territories: dict, people: dict, organisers: dict) -> None:
    editor = people["redaction@concertation.example"]
    _closed_synthesis(territories["saint-aubin-des-pres"], organisers["saint-aubin-des-pres"], people, now)
    versions = {slug: _latest_version(t) for slug, t in territories.items()}
    manifesto = services.create_manifesto(
        editor,
        "Manifeste pour une IA territoriale responsable",
        "Des territoires ont consulté leurs habitant·es et leurs agents. Ce manifeste rassemble ce qu’ils ont "
        "demandé ; chaque point renvoie aux synthèses et aux propositions sur lesquelles il s’appuie.",
        now,
    )
    draft = services.draft_of(manifesto)
    for chapter, title, body, sources in POINTS:
        point = services.add_point(draft, chapter, title, body)
        for slug, index in sources:
            version = versions[slug]
            if version is not None and index < len(version.retained):
                services.add_source(point, version.id, version.retained[index].id)
    services.publish(editor, draft, now - timedelta(days=2))
    endorsements.sign(
        people["maire@saint-aubin-des-pres.example"],
        draft,
        territories["saint-aubin-des-pres"],
        "Saint-Aubin-des-Prés s’engage à former ses agents avant tout outil d’IA.",
        now,
    )
    agglo = versions.get("trois-rivieres")
    if agglo is not None and agglo.sections:
        suggestions.suggest(
            organisers["trois-rivieres"],
            manifesto,
            agglo.id,
            "s0",
            "La transparence sur les outils utilisés a fait consensus : elle mérite un point.",
            now,
        )
    _amendments(manifesto, editor, territories, organisers, now)


def _amendments(manifesto, editor, territories: dict, organisers: dict, now: datetime) -> None:
    """The draft of version 2, open to the territories' amendments: one accepted (co-signed), one waiting."""
    if "trois-rivieres" not in organisers or "saint-aubin-des-pres" not in organisers:
        return
    draft = services.start_draft(manifesto, now - timedelta(days=1))
    amendments.open_amendments(draft)
    by_title = {p.title: p for p in draft.points}
    human = by_title["Un humain toujours joignable"]
    accepted = amendments.propose(
        organisers["trois-rivieres"],
        territories["trois-rivieres"],
        draft,
        human.uid,
        "replace",
        "Un assistant conversationnel peut orienter les usagers ; il ne remplace jamais l’accueil. Chaque usager "
        "peut, à tout moment et par le canal de son choix (guichet, téléphone, courrier), parler à une personne."
        "\n\nAucune décision individuelle n’est prise par une machine seule.",
        "Nos habitantes et habitants les plus âgés n’utilisent ni messagerie ni formulaire en ligne : le droit de parler à une "
        "personne doit valoir pour chaque canal.",
        now - timedelta(hours=20),
    )
    amendments.cosign(
        organisers["saint-aubin-des-pres"], territories["saint-aubin-des-pres"], accepted, now - timedelta(hours=18)
    )
    amendments.answer(editor, accepted, "accepted", "Retenu : la précision des canaux renforce le point.", now)
    sober = by_title["Réserver l’IA aux usages utiles et mesurer leur impact"]
    amendments.propose(
        organisers["saint-aubin-des-pres"],
        territories["saint-aubin-des-pres"],
        draft,
        sober.uid,
        "add_after",
        "Chaque territoire publie chaque année la liste de ses outils d’IA en service, leur coût et leur "
        "consommation d’énergie, et ce qu’il a abandonné.",
        "Mesurer ne suffit pas : publier les mesures permet aux habitant·es de juger, et aux autres territoires "
        "d’apprendre.",
        now - timedelta(hours=6),
        title="Rendre compte chaque année des outils en service",
    )
