"""Organisers suggest items of their published synthesis; editors accept them into a point or decline them."""

from datetime import datetime

from flask import url_for
from sqlalchemy import select
from flask_babel import lazy_gettext as _l

from concertation.accounts.models import User
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.i18n import N_
from concertation.manifesto import services
from concertation.manifesto.models import Manifesto, ManifestoPoint, ManifestoSuggestion
from concertation.notifications.models import Notification
from concertation.synthesis.figures import NO_THEME
from concertation.synthesis.models import RetainedProposalSnapshot, SynthesisVersion


def suggestable_items(version: SynthesisVersion) -> list[tuple[str, str, str]]:
    """(value, label, group) for each item of a published synthesis: its retained proposals, then its sections."""
    items = [(f"r{r.id}", r.title, N_("Propositions retenues")) for r in version.retained]
    items += [(f"s{i}", s["title"], N_("Sections de la synthèse")) for i, s in enumerate(version.sections)]
    return items


def parse_item(version: SynthesisVersion, value: str) -> tuple[int | None, str | None]:
    """The (retained_id, section title) an item value names, or a refusal."""
    if value and value[0] == "r" and value[1:].isdigit():
        return int(value[1:]), None
    if value and value[0] == "s" and value[1:].isdigit() and int(value[1:]) < len(version.sections):
        return None, version.sections[int(value[1:])]["title"]
    raise ActionRefused(_l("Choisissez une proposition retenue ou une section de la synthèse publiée."), field="item")


def _theme(version: SynthesisVersion, retained_id: int | None, section: str | None) -> str:
    if retained_id is not None:
        return db.session.get(RetainedProposalSnapshot, retained_id).theme_name or NO_THEME
    found = next((s for s in version.sections if s["title"] == section), {})
    return found.get("theme") or section or NO_THEME


def suggest(
    organiser: User, manifesto: Manifesto, synthesis_version_id: int, item: str, justification: str, now: datetime
) -> ManifestoSuggestion:
    """Suggest a retained proposal or a section of a published synthesis for the manifesto."""
    version = services.citable_synthesis(synthesis_version_id, field="item")
    retained_id, section = parse_item(version, item)
    services.check_item(version, retained_id, section, field="item")
    justification = (justification or "").strip()
    if not 10 <= len(justification) <= 1000:
        raise ActionRefused(
            _l("Expliquez en 10 à 1 000 caractères pourquoi cet élément a sa place dans le manifeste."),
            field="justification",
        )
    already = db.session.scalar(
        select(ManifestoSuggestion.id).where(
            ManifestoSuggestion.manifesto_id == manifesto.id,
            ManifestoSuggestion.state == "pending",
            ManifestoSuggestion.synthesis_version_id == version.id,
            ManifestoSuggestion.retained_id.is_(None)
            if retained_id is None
            else ManifestoSuggestion.retained_id == retained_id,
            ManifestoSuggestion.section.is_(None) if section is None else ManifestoSuggestion.section == section,
        )
    )
    if already is not None:
        raise ActionRefused(
            _l("Cet élément est déjà suggéré et attend la réponse de la rédaction."), field="item", status=409
        )
    suggestion = ManifestoSuggestion(
        manifesto_id=manifesto.id,
        territory_id=version.consultation.territory_id,
        synthesis_version_id=version.id,
        retained_id=retained_id,
        section=section,
        theme=_theme(version, retained_id, section)[:80],
        justification=justification,
        suggested_by_id=organiser.id,
        created_at=now,
    )
    db.session.add(suggestion)
    db.session.flush()
    return suggestion


def item_label(suggestion: ManifestoSuggestion) -> str:
    if suggestion.retained is not None:
        return f"Proposition « {suggestion.retained.title} »"
    return f"Section « {suggestion.section} »"


def pending_by_theme(manifesto: Manifesto) -> list[tuple[str, list[ManifestoSuggestion]]]:
    """The suggestions waiting for an answer, from every territory, grouped by theme."""
    pending = db.session.scalars(
        select(ManifestoSuggestion)
        .where(ManifestoSuggestion.manifesto_id == manifesto.id, ManifestoSuggestion.state == "pending")
        .order_by(ManifestoSuggestion.theme, ManifestoSuggestion.created_at, ManifestoSuggestion.id)
    )
    grouped: dict[str, list[ManifestoSuggestion]] = {}
    for suggestion in pending:
        grouped.setdefault(suggestion.theme, []).append(suggestion)
    return list(grouped.items())


def decided(manifesto: Manifesto, limit: int = 50) -> list[ManifestoSuggestion]:
    return list(
        db.session.scalars(
            select(ManifestoSuggestion)
            .where(ManifestoSuggestion.manifesto_id == manifesto.id, ManifestoSuggestion.state != "pending")
            .order_by(ManifestoSuggestion.decided_at.desc(), ManifestoSuggestion.id.desc())
            .limit(limit)
        )
    )


def of_consultation(consultation) -> list[ManifestoSuggestion]:
    """A consultation's suggestions, newest first, with their outcome."""
    return list(
        db.session.scalars(
            select(ManifestoSuggestion)
            .join(SynthesisVersion)
            .where(SynthesisVersion.consultation_id == consultation.id)
            .order_by(ManifestoSuggestion.created_at.desc(), ManifestoSuggestion.id.desc())
        )
    )


def _pending(suggestion: ManifestoSuggestion) -> None:
    if suggestion.state != "pending":
        raise ActionRefused(_l("Cette suggestion a déjà reçu une réponse."), status=409)


def _notify(suggestion: ManifestoSuggestion, kind: str, message: str, now: datetime) -> None:
    if suggestion.suggested_by_id is None:
        return
    url = url_for("manifesto.suggest", consultation_id=suggestion.synthesis_version.consultation_id)
    db.session.add(
        Notification(user_id=suggestion.suggested_by_id, kind=kind, message=message[:500], url=url, created_at=now)
    )


def accept(
    editor: User,
    suggestion: ManifestoSuggestion,
    now: datetime,
    point_uid: int | None = None,
    chapter: str = "",
    title: str = "",
) -> ManifestoPoint:
    """Add the suggested item as a source of an existing point of the draft (by uid) or of a new point."""
    _pending(suggestion)
    draft = services.start_draft(suggestion.manifesto, now)
    if point_uid is not None:
        point = next((p for p in draft.points if p.uid == point_uid), None)
        if point is None:
            raise ActionRefused(_l("Ce point n’existe pas dans le brouillon."), field="point")
    else:
        point = services.add_point(draft, chapter, title)
    if not any(
        (s.synthesis_version_id, s.retained_id, s.section)
        == (suggestion.synthesis_version_id, suggestion.retained_id, suggestion.section)
        for s in point.sources
    ):
        services.add_source(point, suggestion.synthesis_version_id, suggestion.retained_id, suggestion.section)
    suggestion.state, suggestion.decided_at, suggestion.decided_by_id = "accepted", now, editor.id
    suggestion.point_uid = point.uid
    _notify(
        suggestion,
        "manifesto_accepted",
        f"Votre suggestion ({item_label(suggestion)}) est retenue dans le manifeste « "
        f"{suggestion.manifesto.title} », au point « {point.title} ».",
        now,
    )
    db.session.flush()
    return point


def decline(editor: User, suggestion: ManifestoSuggestion, reason: str, now: datetime) -> None:
    _pending(suggestion)
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= 1000:
        raise ActionRefused(
            _l("Donnez en 5 à 1 000 caractères la raison de ce refus : l’organisateur·rice la lira."), field="reason"
        )
    suggestion.state, suggestion.decided_at, suggestion.decided_by_id = "declined", now, editor.id
    suggestion.decision_reason = reason
    _notify(
        suggestion,
        "manifesto_declined",
        f"Votre suggestion ({item_label(suggestion)}) n’est pas reprise dans le manifeste « "
        f"{suggestion.manifesto.title} » : {reason}",
        now,
    )
    db.session.flush()
