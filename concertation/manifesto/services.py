"""The manifesto's editing: the draft version, its points and their sources, publication.

Services change the session and flush; the caller commits once. A published
version is frozen: every change goes through ``refuse_if_published``, which refuses it.
"""

from datetime import datetime

from sqlalchemy import func, select
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from concertation.accounts.models import User
from concertation.consultations.services import slugify
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.manifesto.models import (
    Manifesto,
    ManifestoAmendment,
    ManifestoPoint,
    ManifestoSource,
    ManifestoVersion,
)
from concertation.synthesis.models import RetainedProposalSnapshot, SynthesisVersion
from concertation.text import to_html

MAX_TEXT = 20_000


def _check_title(title: str, field: str = "title") -> str:
    title = (title or "").strip()
    if not 5 <= len(title) <= 200:
        raise ActionRefused(_l("Le titre doit faire entre 5 et 200 caractères."), field=field)
    return title


def _check_text(text: str, field: str) -> str:
    if len(text or "") > MAX_TEXT:
        raise ActionRefused(_l("Le texte dépasse %(max)s caractères.", max=format_decimal(MAX_TEXT)), field=field)
    return text or ""


# Manifestos and versions ----------------------------------------------------------


def create_manifesto(editor: User, title: str, introduction: str, now: datetime) -> Manifesto:
    """A new manifesto, with an empty draft (version 1)."""
    title = _check_title(title)
    slug, n = slugify(title), 2
    base = slug
    while db.session.scalar(select(Manifesto.id).where(Manifesto.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    manifesto = Manifesto(slug=slug, title=title, created_by_id=editor.id)
    db.session.add(manifesto)
    db.session.flush()
    introduction = _check_text(introduction, "introduction")
    db.session.add(
        ManifestoVersion(
            manifesto_id=manifesto.id,
            number=1,
            title=title,
            introduction=introduction,
            introduction_html=to_html(introduction),
            created_at=now,
        )
    )
    db.session.flush()
    return manifesto


def all_manifestos() -> list[Manifesto]:
    return list(db.session.scalars(select(Manifesto).order_by(Manifesto.created_at, Manifesto.id)))


def published_versions(manifesto: Manifesto) -> list[ManifestoVersion]:
    """The published versions, newest first."""
    return list(
        db.session.scalars(
            select(ManifestoVersion)
            .where(ManifestoVersion.manifesto_id == manifesto.id, ManifestoVersion.published_at.is_not(None))
            .order_by(ManifestoVersion.number.desc())
        )
    )


def latest_published(manifesto: Manifesto) -> ManifestoVersion | None:
    return db.session.scalar(
        select(ManifestoVersion)
        .where(ManifestoVersion.manifesto_id == manifesto.id, ManifestoVersion.published_at.is_not(None))
        .order_by(ManifestoVersion.number.desc())
        .limit(1)
    )


def draft_of(manifesto: Manifesto) -> ManifestoVersion | None:
    return db.session.scalar(
        select(ManifestoVersion).where(
            ManifestoVersion.manifesto_id == manifesto.id, ManifestoVersion.published_at.is_(None)
        )
    )


def version_of(manifesto: Manifesto, number: int) -> ManifestoVersion | None:
    return db.session.scalar(
        select(ManifestoVersion).where(ManifestoVersion.manifesto_id == manifesto.id, ManifestoVersion.number == number)
    )


def start_draft(manifesto: Manifesto, now: datetime) -> ManifestoVersion:
    """The draft, made (if there is none) as a copy of the latest published version: points and sources."""
    draft = draft_of(manifesto)
    if draft is not None:
        return draft
    latest = latest_published(manifesto)
    if latest is None:
        draft = ManifestoVersion(manifesto_id=manifesto.id, number=1, title=manifesto.title, created_at=now)
    else:
        draft = ManifestoVersion(
            manifesto_id=manifesto.id,
            number=latest.number + 1,
            title=latest.title,
            introduction=latest.introduction,
            introduction_html=latest.introduction_html,
            created_at=now,
        )
        draft.points = [
            ManifestoPoint(
                uid=p.uid,
                chapter=p.chapter,
                chapter_position=p.chapter_position,
                position=p.position,
                title=p.title,
                body=p.body,
                body_html=p.body_html,
                sources=[
                    ManifestoSource(
                        synthesis_version_id=s.synthesis_version_id, retained_id=s.retained_id, section=s.section
                    )
                    for s in p.sources
                ],
            )
            for p in latest.points
        ]
    db.session.add(draft)
    db.session.flush()
    return draft


def refuse_if_published(version: ManifestoVersion) -> None:
    """A published version is frozen: every change to it is refused (409)."""
    if version.is_published:
        raise ActionRefused(
            _l(
                "Cette version est publiée : elle est figée. Les modifications se font dans le "
                "brouillon de la version suivante."
            ),
            status=409,
        )


def update_draft(version: ManifestoVersion, title: str, introduction: str) -> ManifestoVersion:
    refuse_if_published(version)
    version.title = _check_title(title)
    version.introduction = _check_text(introduction, "introduction")
    version.introduction_html = to_html(version.introduction)
    db.session.flush()
    return version


# Points -----------------------------------------------------------------------------


def chapters(version: ManifestoVersion) -> list[tuple[str, list[ManifestoPoint]]]:
    """The version's points grouped by chapter, in order."""
    grouped: dict[str, list[ManifestoPoint]] = {}
    for point in version.points:
        grouped.setdefault(point.chapter, []).append(point)
    return list(grouped.items())


def _chapter_position(version: ManifestoVersion, chapter: str) -> int:
    """An existing chapter keeps its place; a new one comes after the others."""
    known = db.session.scalar(
        select(func.min(ManifestoPoint.chapter_position)).where(
            ManifestoPoint.version_id == version.id, ManifestoPoint.chapter == chapter
        )
    )
    if known is not None:
        return known
    last = db.session.scalar(
        select(func.max(ManifestoPoint.chapter_position)).where(ManifestoPoint.version_id == version.id)
    )
    return 0 if last is None else last + 1


def _check_point(chapter: str, title: str, body: str) -> tuple[str, str, str]:
    chapter = (chapter or "").strip()
    if not 2 <= len(chapter) <= 150:
        raise ActionRefused(_l("Le chapitre doit faire entre 2 et 150 caractères."), field="chapter")
    return chapter, _check_title(title), _check_text(body, "body")


def add_point(version: ManifestoVersion, chapter: str, title: str, body: str = "") -> ManifestoPoint:
    """A new point at the end of its chapter; its uid is new across all the manifesto's versions."""
    refuse_if_published(version)
    chapter, title, body = _check_point(chapter, title, body)
    uid = (
        db.session.scalar(
            select(func.max(ManifestoPoint.uid))
            .join(ManifestoVersion)
            .where(ManifestoVersion.manifesto_id == version.manifesto_id)
        )
        or 0
    )
    position = db.session.scalar(
        select(func.max(ManifestoPoint.position)).where(
            ManifestoPoint.version_id == version.id, ManifestoPoint.chapter == chapter
        )
    )
    point = ManifestoPoint(
        uid=uid + 1,
        chapter=chapter,
        chapter_position=_chapter_position(version, chapter),
        position=0 if position is None else position + 1,
        title=title,
        body=body,
        body_html=to_html(body),
    )
    version.points.append(point)
    db.session.flush()
    return point


def update_point(point: ManifestoPoint, chapter: str, title: str, body: str, position: int | None = None) -> None:
    refuse_if_published(point.version)
    chapter, title, body = _check_point(chapter, title, body)
    if chapter != point.chapter:
        point.chapter_position = _chapter_position(point.version, chapter)
    point.chapter, point.title, point.body, point.body_html = chapter, title, body, to_html(body)
    if position is not None:
        point.position = position
    db.session.flush()


def remove_point(point: ManifestoPoint) -> None:
    refuse_if_published(point.version)
    point.version.points.remove(point)
    db.session.flush()


# Sources ----------------------------------------------------------------------------


def citable_synthesis(synthesis_version_id: int | None, field: str = "source") -> SynthesisVersion:
    """A published synthesis version the public may read, or a refusal: drafts have no version row to cite."""
    version = db.session.get(SynthesisVersion, synthesis_version_id) if synthesis_version_id else None
    if version is None:
        raise ActionRefused(
            _l("Seule une synthèse publiée peut être citée : aucune version publiée ne porte ce numéro."), field=field
        )
    if not version.consultation.is_public:
        raise ActionRefused(
            _l(
                "Cette synthèse est réservée aux agents de son territoire : le manifeste, public, ne peut pas la citer."
            ),
            field=field,
        )
    return version


def check_item(version: SynthesisVersion, retained_id: int | None, section: str | None, field: str = "source") -> None:
    """The retained proposal or section must belong to this published synthesis version."""
    if retained_id is not None:
        snapshot = db.session.get(RetainedProposalSnapshot, retained_id)
        if snapshot is None or snapshot.version_id != version.id:
            raise ActionRefused(
                _l("Cette proposition n’est pas retenue dans la version publiée de la synthèse."), field=field
            )
    if section is not None and section not in [s["title"] for s in version.sections]:
        raise ActionRefused(_l("Cette section n’existe pas dans la version publiée de la synthèse."), field=field)


def add_source(
    point: ManifestoPoint, synthesis_version_id: int, retained_id: int | None = None, section: str | None = None
) -> ManifestoSource:
    """Cite a published synthesis version (whole, one section, or one retained proposal) in support of the point."""
    refuse_if_published(point.version)
    version = citable_synthesis(synthesis_version_id)
    check_item(version, retained_id, section)
    if retained_id is not None:
        section = None
    if any(
        (s.synthesis_version_id, s.retained_id, s.section) == (version.id, retained_id, section) for s in point.sources
    ):
        raise ActionRefused(_l("Ce point cite déjà cette source."), field="source")
    source = ManifestoSource(synthesis_version_id=version.id, retained_id=retained_id, section=section)
    point.sources.append(source)
    db.session.flush()
    return source


def remove_source(source: ManifestoSource) -> None:
    refuse_if_published(source.point.version)
    source.point.sources.remove(source)
    db.session.flush()


def citable_versions() -> list[SynthesisVersion]:
    """Published syntheses the manifesto may cite (not those reserved to agents), newest first."""
    from concertation.consultations.models import Consultation

    return list(
        db.session.scalars(
            select(SynthesisVersion)
            .join(Consultation)
            .where(Consultation.is_public)
            .order_by(SynthesisVersion.published_at.desc(), SynthesisVersion.id.desc())
        )
    )


# Publishing -------------------------------------------------------------------------


def publish(editor: User, version: ManifestoVersion, now: datetime, change_note: str = "") -> ManifestoVersion:
    """Freeze the draft: from now on its points and sources never change; the next draft copies them."""
    refuse_if_published(version)
    if not version.points:
        raise ActionRefused(_l("Le brouillon ne compte aucun point : ajoutez-en au moins un avant de publier."))
    unsourced = [p.title for p in version.points if not p.sources]
    if unsourced:
        raise ActionRefused(
            _l(
                "Chaque point doit citer au moins une synthèse publiée. Sans source : %(titles)s.",
                titles=", ".join(f"« {t} »" for t in unsourced),
            )
        )
    pending = db.session.scalar(
        select(func.count(ManifestoAmendment.id)).where(
            ManifestoAmendment.version_id == version.id, ManifestoAmendment.status == "pending"
        )
    )
    if pending:
        # A frozen version could never answer them: the territories would wait for nothing.
        raise ActionRefused(
            lazy_ngettext(
                "Répondez d’abord à %(num)d amendement des territoires encore en attente.",
                "Répondez d’abord aux %(num)d amendements des territoires encore en attente.",
                pending,
            ),
            status=409,
        )
    change_note = (change_note or "").strip()
    if version.number > 1 and not change_note:
        raise ActionRefused(_l("Expliquez en une phrase ce qui change dans cette version."), field="change_note")
    version.change_note = change_note[:500] or "Première version publiée."
    version.published_at = now
    version.published_by_id = editor.id
    version.amendments_open = False
    db.session.flush()
    return version
