"""Consultations: creation and editing, phases, themes, resources, and what visitors see."""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import and_, case, select
from sqlalchemy.orm import aliased
from flask_babel import lazy_gettext as _l

from concertation import permissions, phases, query_args
from concertation.accounts.models import User
from concertation.consultations.models import (
    AUDIENCES,
    VOTE_ASSURANCES,
    VOTING_METHODS,
    Consultation,
    Phase,
    Resource,
    Theme,
)
from concertation.dates import paris_to_utc, utc_to_paris
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.french import fold
from concertation.territories.models import Territory
from concertation.text import to_html

ALLOWED_UPLOADS = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


@dataclass
class ConsultationData:
    """What an organiser types to create or edit a consultation."""

    title: str
    summary: str
    description: str
    audience: str
    voting_method: str
    support_limit: int | None
    supports_during_proposals: bool
    results_live: bool
    themes: list[str]
    phase_dates: list[phases.PhaseDates]
    premoderation: bool = False
    vote_assurance: str = ""  # VOTE_ASSURANCES


def slugify(text: str, max_length: int = 80) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-") or "consultation"


def parse_themes(raw: str) -> list[str]:
    themes: list[str] = []
    for line in (raw or "").splitlines():
        name = line.strip(" \t-•*")
        if not name:
            continue
        if len(name) > 80:
            raise ActionRefused(_l("Le thème « %(name)s… » dépasse 80 caractères.", name=name[:30]), field="themes")
        if name.lower() not in (t.lower() for t in themes):
            themes.append(name)
    if len(themes) > 30:
        raise ActionRefused(_l("Une consultation compte au plus 30 thèmes."), field="themes")
    return themes


def _check(data: ConsultationData) -> None:
    if data.audience not in AUDIENCES:
        raise ActionRefused(_l("Public inconnu."), field="audience")
    if data.voting_method not in VOTING_METHODS:
        raise ActionRefused(_l("Mode de vote inconnu."), field="voting_method")
    if data.support_limit is not None and data.support_limit < 1:
        raise ActionRefused(_l("La limite de soutiens doit être d’au moins 1."), field="support_limit")
    problems = phases.validate_dates(data.phase_dates)
    if problems:
        kind, message = problems[0]
        raise ActionRefused(message, field=f"{kind}_start")


def chained_phases(starts: dict[str, date], current: list[Phase] | None = None) -> list[phases.PhaseDates]:
    """The five phases from the days they begin (Paris): each ends when the next begins.

    A phase begins at midnight, Paris time, on its day; when editing, a day left unchanged keeps the
    hour it had, so that saving the form untouched moves nothing.
    """
    kept = {p.kind: utc_to_paris(p.starts_at) for p in current or []}
    for previous, kind in zip(phases.PHASE_ORDER, phases.PHASE_ORDER[1:]):
        if starts[kind] <= starts[previous]:
            raise ActionRefused(
                _l(
                    "« %(phase)s » doit commencer après « %(previous)s » : les phases se suivent dans cet ordre, "
                    "sans se chevaucher ni revenir en arrière.",
                    phase=_l(phases.PHASE_LABELS[kind]),
                    previous=_l(phases.PHASE_LABELS[previous]),
                ),
                field=f"{kind}_start",
            )
    moments = []
    for kind in phases.PHASE_ORDER:
        old = kept.get(kind)
        wall = (
            old.replace(tzinfo=None)
            if old is not None and old.date() == starts[kind]
            else datetime.combine(starts[kind], time())
        )
        moments.append(paris_to_utc(wall))
    return [
        phases.PhaseDates(kind, moments[i], moments[i + 1] if i + 1 < len(moments) else None)
        for i, kind in enumerate(phases.PHASE_ORDER)
    ]


def earlier_consultations(territory: Territory) -> list[Consultation]:
    """The territory's consultations an organiser may start a new one from, newest first."""
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.territory_id == territory.id)
            .order_by(Consultation.created_at.desc(), Consultation.id.desc())
        ).unique()
    )


def duplicate_data(model: Consultation, now: datetime) -> tuple[ConsultationData, dict[str, date]]:
    """What the form offers when a consultation starts from `model`: its texts and settings, and its
    calendar moved to begin in a week with the same phase lengths (days)."""
    data = ConsultationData(
        title=f"{model.title} (nouvelle édition)"[:150],
        summary=model.summary,
        description=model.description,
        audience=model.audience,
        voting_method=model.voting_method,
        support_limit=model.support_limit,
        supports_during_proposals=model.supports_during_proposals,
        results_live=model.results_live,
        themes=[t.name for t in model.themes],
        phase_dates=[],
        premoderation=model.premoderation,
        vote_assurance=model.vote_assurance,
    )
    old = {p.kind: utc_to_paris(p.starts_at).date() for p in model.phases}
    first = utc_to_paris(now).date() + timedelta(days=7)
    starts = {
        kind: first + (old[kind] - old["information"])
        if kind in old and "information" in old
        else first + timedelta(days=14 * i)
        for i, kind in enumerate(phases.PHASE_ORDER)
    }
    return data, starts


def _unique_slug(territory: Territory, title: str, except_id: int | None = None) -> str:
    base = slugify(title)
    slug, n = base, 2
    while True:
        query = select(Consultation.id).where(Consultation.territory_id == territory.id, Consultation.slug == slug)
        if except_id is not None:
            query = query.where(Consultation.id != except_id)
        if db.session.scalar(query) is None:
            return slug
        slug, n = f"{base}-{n}", n + 1


def _apply(consultation: Consultation, data: ConsultationData) -> None:
    consultation.title = data.title.strip()
    consultation.summary = data.summary.strip()
    consultation.description = data.description
    consultation.description_html = to_html(data.description)
    consultation.audience = data.audience
    consultation.voting_method = data.voting_method
    consultation.support_limit = data.support_limit if data.voting_method == "support" else None
    consultation.supports_during_proposals = data.supports_during_proposals and data.voting_method == "support"
    consultation.results_live = data.results_live
    consultation.premoderation = data.premoderation
    consultation.vote_assurance = data.vote_assurance if data.vote_assurance in VOTE_ASSURANCES else ""
    existing_phases = {p.kind: p for p in consultation.phases}
    new_phases = []
    for d in data.phase_dates:
        phase = existing_phases.get(d.kind) or Phase(kind=d.kind)
        phase.starts_at, phase.ends_at = d.starts_at, d.ends_at
        new_phases.append(phase)
    consultation.phases = new_phases
    existing_themes = {t.name.lower(): t for t in consultation.themes}
    new_themes = []
    for position, name in enumerate(data.themes):
        theme = existing_themes.get(name.lower()) or Theme(name=name)
        theme.name, theme.position = name, position
        new_themes.append(theme)
    consultation.themes = new_themes


def create_consultation(author: User, territory: Territory, data: ConsultationData) -> Consultation:
    _check(data)
    consultation = Consultation(territory=territory, created_by_id=author.id, slug=_unique_slug(territory, data.title))
    _apply(consultation, data)
    db.session.add(consultation)
    db.session.flush()
    return consultation


def update_consultation(consultation: Consultation, data: ConsultationData) -> Consultation:
    _check(data)
    # Removing a theme that proposals use is refused by the database (see the proposals area).
    consultation.slug = _unique_slug(consultation.territory, data.title, except_id=consultation.id)
    _apply(consultation, data)
    db.session.flush()
    return consultation


def visible_to(user, query):
    """Restrict a consultation query to what `user` may see (consultation.view, in SQL)."""
    return query.where(permissions.viewable_consultations(user))


def open_consultations(user, now: datetime, page: int = 1, per_page: int | None = None):
    """Consultations not yet closed, across territories: running ones first, soonest-closing first.

    With `per_page`, one page of them (a Flask-SQLAlchemy Pagination); else the whole list.
    """
    closing = aliased(Phase)
    opening = aliased(Phase)
    query = (
        select(Consultation)
        .join(closing, and_(closing.consultation_id == Consultation.id, closing.kind == "closed"))
        .join(opening, and_(opening.consultation_id == Consultation.id, opening.kind == "information"))
        .where(closing.starts_at > now)
        .order_by(case((opening.starts_at > now, 1), else_=0), closing.starts_at, Consultation.id)
    )
    query = visible_to(user, query)
    if per_page is None:
        return db.session.scalars(query).unique().all()
    return query_args.paginate(query, per_page, page=page)


def consultations_of(territory: Territory, user, now: datetime) -> list[Consultation]:
    query = visible_to(user, select(Consultation).where(Consultation.territory_id == territory.id))
    consultations = db.session.scalars(query.order_by(Consultation.created_at.desc())).unique().all()
    return consultations


def set_premoderation(consultation: Consultation, on: bool) -> Consultation:
    """Switch pre-moderation: new and edited proposals and comments wait for an organiser before they are public.

    Switching it off publishes nothing by itself: what waits is approved or refused in the queue.
    """
    consultation.premoderation = bool(on)
    db.session.flush()
    return consultation


def add_resource(
    consultation: Consultation,
    title: str,
    description: str,
    url: str | None,
    upload=None,
    upload_dir: str | None = None,
    max_bytes: int = 10 * 1024 * 1024,
) -> Resource:
    """A link, or a document sent by the organiser (saved under `upload_dir`)."""
    title = title.strip()
    if not title:
        raise ActionRefused(_l("Le titre de la ressource est obligatoire."), field="title")
    fields: dict = {}
    if upload is not None and upload.filename:
        extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
        if extension not in ALLOWED_UPLOADS:
            raise ActionRefused(
                _l("Ce type de fichier n’est pas accepté (PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, TXT, CSV, PNG, JPG)."),
                field="file",
            )
        data = upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ActionRefused(_l("Le fichier dépasse %(size)d Mo.", size=max_bytes // (1024 * 1024)), field="file")
        if not data:
            raise ActionRefused(_l("Le fichier est vide."), field="file")
        key = f"{secrets.token_hex(16)}.{extension}"
        Path(upload_dir).mkdir(parents=True, exist_ok=True)
        (Path(upload_dir) / key).write_bytes(data)
        safe_name = re.sub(r"[^\w.\- ]", "_", Path(upload.filename).name)[:200]
        fields = dict(kind="document", file_key=key, file_name=safe_name, file_size=len(data))
    elif url:
        if not re.match(r"^https?://[^\s]+$", url.strip()):
            raise ActionRefused(_l("Le lien doit commencer par http:// ou https://."), field="url")
        fields = dict(kind="link", url=url.strip())
    else:
        raise ActionRefused(_l("Indiquez un lien ou joignez un document."), field="url")
    resource = Resource(
        consultation_id=consultation.id,
        title=title,
        description=description.strip(),
        position=len(consultation.resources),
        **fields,
    )
    db.session.add(resource)
    db.session.flush()
    db.session.refresh(consultation, ["resources"])
    return resource


def remove_resource(resource: Resource, upload_dir: str | None = None) -> None:
    if resource.file_key and upload_dir:
        (Path(upload_dir) / resource.file_key).unlink(missing_ok=True)
    db.session.delete(resource)
    db.session.flush()
