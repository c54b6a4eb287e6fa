"""The pages of the accessibility sweep, on the demonstration data.

Each new journey adds its pages here (proposals, votes, comments, moderation, synthesis,
manifesto…): `test_accessibility.py` opens every one, as the role it names, and checks it with
axe at 1280 and 320 px wide. See README.md in this folder.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from concertation import demo, phases
from concertation.accounts.models import User
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.manifesto import services as manifestos
from concertation.manifesto.models import ManifestoPoint
from concertation.proposals.models import Proposal
from concertation.territories.models import Membership, Territory


class DemoScene:
    """`flask seed-demo`'s data, loaded in the test database, with ways to find things in it."""

    password = demo.DEMO_PASSWORD

    def __init__(self) -> None:
        self.now = utcnow()
        self.accounts = demo.load(self.now)
        db.session.commit()

    def account(self, role: str) -> User:
        """The first demonstration account of `role` ("participant", "agent", "organiser", "elu", "admin"…)."""
        email = next(email for email, _password, r, _territory in self.accounts if r == role)
        return db.session.scalar(select(User).where(User.email == email))

    def member(self, territory: Territory, role: str) -> User:
        """A person who has `role` in `territory`."""
        return db.session.scalar(
            select(User)
            .join(Membership)
            .where(Membership.territory_id == territory.id, Membership.role == role)
            .order_by(User.id)
            .limit(1)
        )

    def territory_of(self, role: str) -> Territory:
        """The territory where the first account of `role` has it."""
        user = self.account(role)
        return db.session.scalar(
            select(Territory).join(Membership).where(Membership.user_id == user.id, Membership.role == role)
        )

    def consultation(self, phase: str, audience: str | None = None) -> Consultation:
        """A demonstration consultation whose current phase is `phase` ("upcoming" before the first)."""
        for consultation in self.all_consultations():
            if phases.current_phase(consultation.phases, self.now) == phase and audience in (
                None,
                consultation.audience,
            ):
                return consultation
        raise LookupError(f"aucune consultation de démonstration en phase {phase}")

    def all_consultations(self) -> list[Consultation]:
        return list(db.session.scalars(select(Consultation).order_by(Consultation.id)))

    def proposal(self, consultation: Consultation) -> Proposal:
        """The first visible proposal of `consultation`."""
        return db.session.scalar(
            select(Proposal).where(Proposal.consultation_id == consultation.id).order_by(Proposal.id).limit(1)
        )

    def proposals(self, consultation: Consultation) -> list[Proposal]:
        """The proposals of `consultation`, oldest first."""
        return list(
            db.session.scalars(
                select(Proposal).where(Proposal.consultation_id == consultation.id).order_by(Proposal.id)
            )
        )

    def answered(self, consultation: Consultation) -> Proposal:
        """The first proposal of `consultation` that the organisers answered."""
        return db.session.scalar(
            select(Proposal)
            .where(Proposal.consultation_id == consultation.id, Proposal.answer.is_not(None))
            .order_by(Proposal.id)
            .limit(1)
        )

    def manifesto_point(self) -> str:
        """The address of the first point of the demonstration manifesto's latest published version."""
        manifesto = manifestos.all_manifestos()[0]
        version = manifestos.latest_published(manifesto)
        point = db.session.scalar(
            select(ManifestoPoint).where(ManifestoPoint.version_id == version.id).order_by(ManifestoPoint.id).limit(1)
        )
        return f"/manifeste/{manifesto.slug}/versions/{version.number}/points/{point.uid}"

    def manifesto_slug(self) -> str:
        return manifestos.all_manifestos()[0].slug

    def consultations_of(self, territory: Territory) -> list[Consultation]:
        return list(
            db.session.scalars(
                select(Consultation).where(Consultation.territory_id == territory.id).order_by(Consultation.id)
            )
        )


@dataclass(frozen=True)
class SweepPage:
    name: str  # names the screenshots: <name>-1280.png, <name>-320.png
    path: str | Callable[[DemoScene], str]  # where it is, given the scene
    role: str | None = None  # who looks: None for a visitor, else a demo account's role
    status: int = 200

    def url(self, scene: DemoScene) -> str:
        return self.path(scene) if callable(self.path) else self.path


def _organised(scene: DemoScene) -> Consultation:
    """The first consultation of the first organiser's territory."""
    return scene.consultations_of(scene.territory_of("organiser"))[0]


def _first_section(scene: DemoScene) -> int:
    """The first section of the draft synthesis of the consultation in its synthesis phase."""
    from concertation.synthesis.services import draft_of

    return draft_of(scene.consultation("synthesis")).sections[0].id


PAGES: list[SweepPage] = [
    # What a visitor reads.
    SweepPage("accueil", "/"),
    SweepPage("territoires", "/territoires"),
    SweepPage("territoire", lambda s: f"/territoires/{s.territory_of('organiser').slug}"),
    SweepPage("consultation-propositions", lambda s: f"/consultations/{s.consultation('proposals').id}"),
    SweepPage("consultation-synthese", lambda s: f"/consultations/{s.consultation('synthesis').id}"),
    SweepPage("consultation-vote", lambda s: f"/consultations/{s.consultation('vote').id}"),
    SweepPage("consultation-a-venir", lambda s: f"/consultations/{s.consultation('upcoming').id}"),
    SweepPage("conditions", "/conditions-d-utilisation"),
    SweepPage("confidentialite", "/confidentialite"),
    SweepPage("accessibilite", "/accessibilite"),
    SweepPage("page-introuvable", "/cette-page-n-existe-pas", status=404),
    # Proposals and the debate.
    SweepPage("propositions", lambda s: f"/consultations/{s.consultation('proposals').id}/propositions"),
    SweepPage("proposition", lambda s: f"/propositions/{s.proposal(s.consultation('proposals')).id}"),
    SweepPage("debat", lambda s: f"/consultations/{s.consultation('proposals').id}/debat"),
    SweepPage(
        "proposition-nouvelle",
        lambda s: f"/consultations/{s.consultation('proposals').id}/propositions/nouvelle",
        role="participant",
    ),
    SweepPage(
        "proposition-participant",
        lambda s: f"/propositions/{s.proposal(s.consultation('proposals')).id}",
        role="participant",
    ),
    SweepPage("notifications", "/notifications", role="participant"),
    SweepPage("moderation", lambda s: f"/territoires/{s.territory_of('organiser').slug}/moderation", role="organiser"),
    SweepPage(
        "moderation-journal",
        lambda s: f"/territoires/{s.territory_of('organiser').slug}/moderation/journal",
        role="organiser",
    ),
    SweepPage("charte", lambda s: f"/territoires/{s.territory_of('organiser').slug}/charte"),
    # Votes, answers, reports (the journeys of test_participation.py and test_keyboard.py).
    SweepPage("proposition-vote", lambda s: f"/propositions/{s.proposal(s.consultation('vote')).id}"),
    SweepPage(
        "proposition-evaluation", lambda s: f"/propositions/{s.proposal(s.consultation('vote')).id}", role="participant"
    ),
    SweepPage("evaluer", lambda s: f"/consultations/{s.consultation('vote').id}/evaluer", role="participant"),
    SweepPage("resultats", lambda s: f"/consultations/{s.consultation('vote').id}/resultats"),
    SweepPage("proposition-repondue", lambda s: f"/propositions/{s.answered(s.consultation('synthesis')).id}"),
    SweepPage(
        "signaler", lambda s: f"/signaler/proposition/{s.proposal(s.consultation('proposals')).id}", role="participant"
    ),
    SweepPage(
        "repondre", lambda s: f"/propositions/{s.proposal(s.consultation('proposals')).id}/reponse", role="organiser"
    ),
    # Syntheses and the manifesto (test_synthesis_and_manifesto.py).
    SweepPage("synthese", lambda s: f"/consultations/{s.consultation('synthesis').id}/synthese"),
    SweepPage("syntheses", "/syntheses"),
    SweepPage(
        "synthese-redaction-close",
        lambda s: f"/consultations/{s.consultation('closed').id}/synthese/rediger",
        role="organiser",
    ),
    SweepPage("manifeste", lambda s: f"/manifeste/{s.manifesto_slug()}"),
    SweepPage("manifeste-point", lambda s: s.manifesto_point()),
    SweepPage("manifeste-index-redaction", "/manifeste", role="editor"),
    SweepPage("manifeste-brouillon", lambda s: f"/manifeste/{s.manifesto_slug()}/brouillon", role="editor"),
    SweepPage("manifeste-a-signer", lambda s: f"/manifeste/{s.manifesto_slug()}", role="elu"),
    # The territories' amendments to the manifesto's draft (test_manifesto_amendments.py).
    SweepPage(
        "manifeste-amendements", lambda s: f"/manifeste/{s.manifesto_slug()}/versions/2/amendements", role="organiser"
    ),
    SweepPage(
        "manifeste-amender", lambda s: f"/manifeste/{s.manifesto_slug()}/brouillon/points/1/amender", role="organiser"
    ),
    SweepPage(
        "manifeste-amendement-repondre",
        lambda s: f"/manifeste/{s.manifesto_slug()}/brouillon/amendements/2/repondre",
        role="editor",
    ),
    # Accounts.
    SweepPage("inscription", "/compte/inscription"),
    SweepPage("connexion", "/compte/connexion"),
    SweepPage("mot-de-passe-oublie", "/compte/mot-de-passe-oublie"),
    SweepPage("renvoyer-confirmation", "/compte/renvoyer-confirmation"),
    SweepPage("verifiez-vos-courriels", "/compte/verifiez-vos-courriels"),
    SweepPage("profil", "/compte/profil", role="participant"),
    # Organisers.
    SweepPage(
        "territoire-organisateur", lambda s: f"/territoires/{s.territory_of('organiser').slug}", role="organiser"
    ),
    SweepPage(
        "consultation-nouvelle",
        lambda s: f"/territoires/{s.territory_of('organiser').slug}/consultations/nouvelle",
        role="organiser",
    ),
    SweepPage("consultation-modifier", lambda s: f"/consultations/{_organised(s).id}/modifier", role="organiser"),
    SweepPage("consultation-ressources", lambda s: f"/consultations/{_organised(s).id}/ressources", role="organiser"),
    SweepPage(
        "invitations", lambda s: f"/territoires/{s.territory_of('organiser').slug}/invitations", role="organiser"
    ),
    SweepPage(
        "territoire-identite", lambda s: f"/territoires/{s.territory_of('organiser').slug}/identite", role="organiser"
    ),
    SweepPage("consultation-couverture", lambda s: f"/consultations/{_organised(s).id}/couverture", role="organiser"),
    SweepPage("accueil-filtre", lambda s: f"/?section=current&phase=vote&territory={s.territory_of('organiser').slug}"),
    # Administration.
    SweepPage("admin-territoires", "/admin/territoires", role="admin"),
    SweepPage("admin-roles", lambda s: f"/admin/territoires/{s.territory_of('organiser').slug}/roles", role="admin"),
    SweepPage(
        "admin-territoire-modifier",
        lambda s: f"/admin/territoires/{s.territory_of('organiser').slug}/modifier",
        role="admin",
    ),
    # A newcomer's journeys (issue 12): the organisers' list, a consultation started from an earlier one,
    # the aid with its merge buttons, the élus' dashboard.
    SweepPage(
        "propositions-organisateur", lambda s: f"/consultations/{_organised(s).id}/propositions", role="organiser"
    ),
    SweepPage(
        "consultation-nouvelle-reprise",
        lambda s: f"/territoires/{s.territory_of('organiser').slug}/consultations/nouvelle?modele={_organised(s).id}",
        role="organiser",
    ),
    SweepPage(
        "synthese-aide", lambda s: f"/consultations/{s.consultation('synthesis').id}/synthese/aide", role="admin"
    ),
    SweepPage(
        "synthese-redaction-recherche",
        lambda s: (
            f"/consultations/{s.consultation('synthesis').id}/synthese/rediger?citer={_first_section(s)}&q=donnees"
        ),
        role="admin",
    ),
    SweepPage("tableau-de-bord", lambda s: f"/territoires/{s.territory_of('elu').slug}/tableau-de-bord", role="elu"),
    # A territory's accessibility statement, and the form of its audit result.
    SweepPage("territoire-accessibilite", lambda s: f"/territoires/{s.territory_of('organiser').slug}/accessibilite"),
    SweepPage(
        "territoire-audit-accessibilite",
        lambda s: f"/territoires/{s.territory_of('organiser').slug}/accessibilite/audit",
        role="organiser",
    ),
]
