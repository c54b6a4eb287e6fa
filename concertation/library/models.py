"""The library's tables: an entry per AI tool or use case of a territory, and the adoptions by others."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import ModerationMixin, TimestampMixin, utcnow
from concertation.extensions import db
from concertation.i18n import N_
from concertation.text import excerpt

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.commitments.models import Commitment
    from concertation.manifesto.models import ManifestoVersion
    from concertation.proposals.models import Proposal
    from concertation.territories.models import Territory

METIERS = {
    "accueil": N_("Accueil et relation aux usager·es"),
    "courrier": N_("Courrier et gestion documentaire"),
    "assemblees": N_("Assemblées et vie démocratique"),
    "etat_civil": N_("État civil et citoyenneté"),
    "eau": N_("Eau et assainissement"),
    "dechets": N_("Propreté et déchets"),
    "voirie": N_("Voirie, espaces publics et mobilités"),
    "urbanisme": N_("Urbanisme et aménagement"),
    "social": N_("Action sociale et solidarités"),
    "education": N_("Éducation, enfance et jeunesse"),
    "culture": N_("Culture, sport et loisirs"),
    "environnement": N_("Environnement et énergie"),
    "finances": N_("Finances et commande publique"),
    "rh": N_("Ressources humaines"),
    "numerique": N_("Numérique et systèmes d’information"),
    "autre": N_("Autre"),
}

AUDIENCES = {
    "agents": N_("Les agent·es"),
    "usagers": N_("Les usager·es"),
    "both": N_("Les agent·es et les usager·es"),
}

STATUSES = {
    "idee": N_("Idée"),
    "experimentation": N_("Expérimentation"),
    "deploye": N_("Déployé"),
    "abandonne": N_("Abandonné"),
}

HOSTINGS = {
    "internal": N_("Serveurs de la collectivité"),
    "public": N_("Hébergeur public ou mutualisé (syndicat, État)"),
    "france": N_("Prestataire en France"),
    "eu": N_("Prestataire dans l’Union européenne"),
    "outside_eu": N_("Hors de l’Union européenne"),
    "unknown": N_("Non renseigné"),
}

COST_BANDS = {
    "none": N_("Sans coût de licence"),
    "lt_5k": N_("Moins de 5 000 € par an"),
    "5k_20k": N_("De 5 000 à 20 000 € par an"),
    "20k_100k": N_("De 20 000 à 100 000 € par an"),
    "gt_100k": N_("Plus de 100 000 € par an"),
    "unknown": N_("Non renseigné"),
}

# The entry's long texts, each stored as typed and as the sanitised HTML made once when written (text.py).
ENTRY_TEXTS = ("need", "description", "data_used", "human_oversight", "frugality", "training", "results")
RETOUR_TEXTS = ("context", "gains", "difficulties")


class LibraryEntry(TimestampMixin, db.Model):
    """An AI tool or use case in a territory: what need it answers, how it is run and governed."""

    __tablename__ = "library_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(150))
    metier: Mapped[str] = mapped_column(String(20), index=True)
    service: Mapped[str] = mapped_column(String(150), default="")
    audience: Mapped[str] = mapped_column(String(10), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    started_on: Mapped[date | None]
    deployed_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    abandon_reason: Mapped[str] = mapped_column(Text, default="")

    need: Mapped[str] = mapped_column(Text, default="")
    need_html: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    data_used: Mapped[str] = mapped_column(Text, default="")
    data_used_html: Mapped[str] = mapped_column(Text, default="")
    personal_data: Mapped[bool] = mapped_column(default=False, index=True)
    dpia_done: Mapped[bool] = mapped_column(default=False)
    hosting: Mapped[str] = mapped_column(String(20), index=True)
    host_name: Mapped[str] = mapped_column(String(150), default="")
    open_source: Mapped[bool] = mapped_column(default=False, index=True)
    vendor: Mapped[str] = mapped_column(String(150), default="")
    cost_band: Mapped[str] = mapped_column(String(20), default="unknown")
    human_oversight: Mapped[str] = mapped_column(Text, default="")
    human_oversight_html: Mapped[str] = mapped_column(Text, default="")
    human_reachable: Mapped[bool] = mapped_column(default=False)
    frugality: Mapped[str] = mapped_column(Text, default="")
    frugality_html: Mapped[str] = mapped_column(Text, default="")
    training: Mapped[str] = mapped_column(Text, default="")
    training_html: Mapped[str] = mapped_column(Text, default="")
    # The agents who use the tool, and how many of them were trained (the indicators count them).
    agents_concerned: Mapped[int | None]
    agents_trained: Mapped[int | None]
    results: Mapped[str] = mapped_column(Text, default="")
    results_html: Mapped[str] = mapped_column(Text, default="")
    # A role or a service's address (never a person's): shown to signed-in staff of territories only.
    contact: Mapped[str] = mapped_column(String(254), default="")
    # Title, need, service, description and vendor, folded (lower case, no accents) and padded with
    # spaces, so that « LIKE '% mot%' » finds a word start on SQLite and PostgreSQL alike.
    search_text: Mapped[str] = mapped_column(Text, default="")

    territory: Mapped["Territory"] = relationship(lazy="joined")

    @property
    def need_excerpt(self) -> str:
        return excerpt(self.need, 160)

    @property
    def metier_label(self) -> str:
        return METIERS.get(self.metier, self.metier)

    @property
    def audience_label(self) -> str:
        return AUDIENCES.get(self.audience, self.audience)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def hosting_label(self) -> str:
        return HOSTINGS.get(self.hosting, self.hosting)

    @property
    def cost_label(self) -> str:
        return COST_BANDS.get(self.cost_band, self.cost_band)

    def __repr__(self) -> str:
        return f"<LibraryEntry {self.id} {self.title[:30]!r}>"


class LibraryAdoption(TimestampMixin, ModerationMixin, db.Model):
    """« Nous l’utilisons aussi »: another territory uses the entry's tool, with its retour d’expérience.

    The retour can be reported; the moderators of the entry's territory hide it (its reason shown instead).
    """

    __tablename__ = "library_adoption"
    __table_args__ = (UniqueConstraint("entry_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("library_entry.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    context: Mapped[str] = mapped_column(Text, default="")
    context_html: Mapped[str] = mapped_column(Text, default="")
    gains: Mapped[str] = mapped_column(Text, default="")
    gains_html: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    difficulties_html: Mapped[str] = mapped_column(Text, default="")
    would_recommend: Mapped[bool] = mapped_column(default=True)

    entry: Mapped[LibraryEntry] = relationship()
    territory: Mapped["Territory"] = relationship(lazy="joined")


class EntryCommitment(db.Model):
    """A commitment of the entry's territory that led to the tool; ``realises``: the tool carries it out."""

    __tablename__ = "library_entry_commitment"
    __table_args__ = (UniqueConstraint("entry_id", "commitment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("library_entry.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    realises: Mapped[bool] = mapped_column(default=False)

    entry: Mapped[LibraryEntry] = relationship(lazy="joined")
    commitment: Mapped["Commitment"] = relationship(lazy="joined")


class EntryProposal(db.Model):
    """A proposal of the entry's territory that led to the tool."""

    __tablename__ = "library_entry_proposal"
    __table_args__ = (UniqueConstraint("entry_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("library_entry.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)

    proposal: Mapped["Proposal"] = relationship(lazy="joined")


# The manifesto's points are the evaluation grid: an entry is assessed against each relevant point.
VERDICTS = {
    "respects": N_("Respecte"),
    "partly": N_("Respecte en partie"),
    "breaks": N_("Ne respecte pas"),
    "na": N_("Sans objet"),
}


class LibraryAssessment(db.Model):
    """How the entry's territory judges the tool against one point of the manifesto.

    One row per entry and point (named by ``point_uid``, the same across versions); ``version_id``
    is the version it was made against: older than the manifesto's current version, it is outdated.
    """

    __tablename__ = "library_assessment"
    __table_args__ = (
        UniqueConstraint("entry_id", "manifesto_id", "point_uid"),
        CheckConstraint("verdict IN ('respects', 'partly', 'breaks', 'na')", name="known_verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("library_entry.id", ondelete="CASCADE"), index=True)
    manifesto_id: Mapped[int] = mapped_column(ForeignKey("manifesto.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("manifesto_version.id", ondelete="CASCADE"), index=True)
    point_uid: Mapped[int]
    verdict: Mapped[str] = mapped_column(String(10))
    justification: Mapped[str] = mapped_column(Text, default="")
    justification_html: Mapped[str] = mapped_column(Text, default="")
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped["ManifestoVersion"] = relationship(lazy="joined")

    @property
    def verdict_label(self) -> str:
        return VERDICTS.get(self.verdict, self.verdict)


class LibraryReport(db.Model):
    """A report of a retour d’expérience, read by the moderators of the entry's territory (reasons of moderation)."""

    __tablename__ = "library_report"
    __table_args__ = (UniqueConstraint("reporter_id", "adoption_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(ForeignKey("library_adoption.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
