"""Territories amend the manifesto's draft: in a territory's name, co-signed by others, answered by the editors.

The editors open the draft to amendments. An organiser proposes, on a point of the draft, a new wording,
its deletion or a new point after it, in the name of one of their territories; organisers of other
territories co-sign it in theirs. The editors answer each one; accepting applies it to the draft at once
(accepted with changes: the editors' wording), so the draft always reads as it will be published, and the
published version keeps, for each changed point, the amendments it came from and their territories.

Services change the session and flush; the caller commits once.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from concertation.accounts.models import User
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.manifesto import services
from concertation.manifesto.models import (
    ACCEPTED,
    AMENDMENT_KINDS,
    AMENDMENT_STATUSES,
    AmendmentCosignature,
    ManifestoAmendment,
    ManifestoPoint,
    ManifestoVersion,
)
from concertation.notifications import services as notifications
from concertation.territories.models import Membership, Territory
from concertation.territories.names import territory_name
from concertation.text import to_html
from concertation.texts.services import WORDING_MAX, check_answer_wording

JUSTIFICATION_MIN, JUSTIFICATION_MAX = 10, 2000


# Opening the draft ------------------------------------------------------------------


def open_amendments(version: ManifestoVersion) -> ManifestoVersion:
    """Open the draft to the territories' amendments."""
    services.refuse_if_published(version)
    if version.amendments_open:
        raise ActionRefused(_l("Le brouillon est déjà ouvert aux amendements des territoires."), status=409)
    version.amendments_open = True
    db.session.flush()
    return version


def close_amendments(version: ManifestoVersion) -> ManifestoVersion:
    """Close it: no new amendment nor co-signature; those already proposed still wait for their answer."""
    services.refuse_if_published(version)
    if not version.amendments_open:
        raise ActionRefused(_l("Le brouillon n’est pas ouvert aux amendements des territoires."), status=409)
    version.amendments_open = False
    db.session.flush()
    return version


def refuse_unless_open(version: ManifestoVersion) -> None:
    if version.is_published:
        raise ActionRefused(
            _l("Cette version du manifeste est publiée : ses points ne s’amendent plus."),
            status=409,
        )
    if not version.amendments_open:
        raise ActionRefused(
            _l("Le brouillon du manifeste n’est pas ouvert aux amendements des territoires."), status=409
        )


def draft_point(version: ManifestoVersion, uid: int) -> ManifestoPoint | None:
    return next((p for p in version.points if p.uid == uid), None)


# Proposing and co-signing -----------------------------------------------------------


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def propose(
    organiser: User,
    territory: Territory,
    version: ManifestoVersion,
    point_uid: int,
    kind: str,
    wording: str,
    justification: str,
    now: datetime,
    title: str = "",
) -> ManifestoAmendment:
    """An amendment to a point of the draft, in the territory's name (the caller checked ``manifesto.amend``)."""
    refuse_unless_open(version)
    point = draft_point(version, point_uid)
    if point is None:
        raise ActionRefused(_l("Ce point n’existe pas dans le brouillon."), status=404)
    if kind not in AMENDMENT_KINDS:
        raise ActionRefused(_l("Choisissez le type d’amendement."), field="kind")
    wording = (wording or "").strip() if kind != "delete" else ""
    title = (title or "").strip() if kind == "add_after" else ""
    justification = (justification or "").strip()
    if kind != "delete":
        if not wording:
            raise ActionRefused(_l("Écrivez la rédaction que vous proposez."), field="wording")
        if len(wording) > WORDING_MAX:
            raise ActionRefused(_l("La rédaction doit faire au plus 3 000 caractères."), field="wording")
        if kind == "replace" and _same(wording, point.body):
            raise ActionRefused(_l("Cette rédaction est identique au texte du point."), field="wording")
    if kind == "add_after" and not 5 <= len(title) <= 200:
        raise ActionRefused(_l("Le titre du nouveau point doit faire entre 5 et 200 caractères."), field="title")
    if not JUSTIFICATION_MIN <= len(justification) <= JUSTIFICATION_MAX:
        raise ActionRefused(
            _l("Expliquez en 10 à 2 000 caractères pourquoi votre territoire propose ce changement."),
            field="justification",
        )
    for _attempt in range(3):
        number = (
            db.session.scalar(
                select(func.max(ManifestoAmendment.number)).where(ManifestoAmendment.version_id == version.id)
            )
            or 0
        ) + 1
        amendment = ManifestoAmendment(
            version_id=version.id,
            number=number,
            point_uid=point.uid,
            territory_id=territory.id,
            proposed_by_id=organiser.id,
            kind=kind,
            original=point.body if kind != "add_after" else "",
            wording=wording,
            title=title,
            justification=justification,
            justification_html=to_html(justification, markdown=False),
            created_at=now,
        )
        try:
            # Two territories proposing at the same moment draw the same number: the unique key sends one round again.
            with db.session.begin_nested():
                db.session.add(amendment)
            return amendment
        except IntegrityError:
            continue
    raise ActionRefused(_l("Beaucoup d’amendements arrivent en même temps : envoyez le vôtre à nouveau."), status=409)


def _refuse_cosign(territory: Territory, amendment: ManifestoAmendment) -> None:
    refuse_unless_open(amendment.version)
    if amendment.status != "pending":
        raise ActionRefused(_l("Cet amendement a déjà reçu sa réponse."), status=409)
    if amendment.territory_id == territory.id:
        raise ActionRefused(_l("Cet amendement est déjà proposé au nom de ce territoire."), status=409)


def cosign(organiser: User, territory: Territory, amendment: ManifestoAmendment, now: datetime) -> bool:
    """Co-sign in the territory's name; once per territory (the database holds it). Whether a signature was added."""
    _refuse_cosign(territory, amendment)
    try:
        with db.session.begin_nested():
            db.session.add(
                AmendmentCosignature(
                    amendment_id=amendment.id, territory_id=territory.id, signed_by_id=organiser.id, signed_at=now
                )
            )
    except IntegrityError:
        return False
    db.session.refresh(amendment)
    return True


def withdraw_cosignature(territory: Territory, amendment: ManifestoAmendment) -> bool:
    _refuse_cosign(territory, amendment)
    found = next((c for c in amendment.cosignatures if c.territory_id == territory.id), None)
    if found is None:
        return False
    amendment.cosignatures.remove(found)
    db.session.flush()
    return True


# Reading ----------------------------------------------------------------------------


def amendments_of(version: ManifestoVersion) -> list[ManifestoAmendment]:
    """A version's amendments by number."""
    return list(
        db.session.scalars(
            select(ManifestoAmendment)
            .where(ManifestoAmendment.version_id == version.id)
            .order_by(ManifestoAmendment.number)
        ).unique()
    )


def by_point(version: ManifestoVersion) -> tuple[dict[int, list[ManifestoAmendment]], list[ManifestoAmendment]]:
    """The version's amendments by the uid of the point they amend, and those whose point has left the version."""
    uids = {p.uid for p in version.points}
    grouped: dict[int, list[ManifestoAmendment]] = {uid: [] for uid in uids}
    elsewhere = []
    for amendment in amendments_of(version):
        if amendment.point_uid in grouped:
            grouped[amendment.point_uid].append(amendment)
        else:
            elsewhere.append(amendment)
    return grouped, elsewhere


def amendment_of(version: ManifestoVersion, number: int) -> ManifestoAmendment | None:
    return db.session.scalar(
        select(ManifestoAmendment).where(
            ManifestoAmendment.version_id == version.id, ManifestoAmendment.number == number
        )
    )


def count(version: ManifestoVersion, status: str | None = None) -> int:
    """How many amendments the version has (with this status)."""
    query = select(func.count(ManifestoAmendment.id)).where(ManifestoAmendment.version_id == version.id)
    if status is not None:
        query = query.where(ManifestoAmendment.status == status)
    return db.session.scalar(query) or 0


def pending_count(version: ManifestoVersion) -> int:
    return count(version, "pending")


# Answering --------------------------------------------------------------------------


def _check_answer(amendment: ManifestoAmendment, status: str, reason: str, changed: str) -> ManifestoPoint | None:
    """The point the answer changes (None for a rejection), or a refusal."""
    if status not in AMENDMENT_STATUSES or status == "pending":
        raise ActionRefused(_l("Choisissez une réponse."), field="status")
    if amendment.version.is_published:
        raise ActionRefused(_l("Les amendements d’une version publiée ne se répondent plus."), status=409)
    if amendment.status != "pending":
        raise ActionRefused(_l("Cet amendement a déjà reçu sa réponse."), status=409)
    if status == "rejected" and not reason:
        raise ActionRefused(_l("Donnez la raison du rejet : le territoire la lira."), field="reason")
    check_answer_wording(amendment.kind, status, reason, changed)
    if status == "rejected":
        return None
    point = draft_point(amendment.version, amendment.point_uid)
    if point is None:
        raise ActionRefused(
            _l("Le point amendé n’est plus dans le brouillon : cet amendement ne peut qu’être rejeté."), status=409
        )
    if amendment.kind in ("replace", "delete"):
        # Two rewritings of one point cannot both enter the text: the editors merge them into one.
        other = db.session.scalar(
            select(ManifestoAmendment.number).where(
                ManifestoAmendment.version_id == amendment.version_id,
                ManifestoAmendment.point_uid == amendment.point_uid,
                ManifestoAmendment.id != amendment.id,
                ManifestoAmendment.kind.in_(("replace", "delete")),
                ManifestoAmendment.status.in_(ACCEPTED),
            )
        )
        if other is not None:
            raise ActionRefused(
                _l(
                    "L’amendement n° %(n)d, qui réécrit ce point, est déjà accepté : acceptez celui-ci avec "
                    "modifications en fusionnant les deux rédactions, ou rejetez-le.",
                    n=other,
                ),
                field="status",
            )
    return point


def _apply(amendment: ManifestoAmendment, point: ManifestoPoint) -> None:
    """Write the accepted amendment into the draft."""
    wording = amendment.adopted_wording
    if amendment.kind == "replace":
        services.update_point(point, point.chapter, point.title, wording)
        amendment.result_uid = point.uid
    elif amendment.kind == "delete":
        services.remove_point(point)
    else:
        added = services.add_point(point.version, point.chapter, amendment.title, wording)
        # The new point comes right after the amended one: the points that followed move down one place.
        db.session.execute(
            update(ManifestoPoint)
            .where(
                ManifestoPoint.version_id == point.version_id,
                ManifestoPoint.chapter == point.chapter,
                ManifestoPoint.position > point.position,
                ManifestoPoint.id != added.id,
            )
            .values(position=ManifestoPoint.position + 1)
            .execution_options(synchronize_session="fetch")
        )
        added.position = point.position + 1
        amendment.result_uid = added.uid
    db.session.flush()


def _record(amendment: ManifestoAmendment, editor: User, status: str, reason: str, changed: str, now: datetime):
    amendment.status = status
    amendment.final_wording = changed if status == "accepted_changed" else ""
    amendment.answer_text, amendment.answer_html = reason, to_html(reason, markdown=False)
    amendment.answered_at, amendment.answered_by_id = now, editor.id


def answer(
    editor: User, amendment: ManifestoAmendment, status: str, reason: str, now: datetime, changed_wording: str = ""
) -> ManifestoAmendment:
    """Accept (as written or with changes: applied to the draft at once) or reject with a reason; the territory is told."""
    reason, changed = (reason or "").strip(), (changed_wording or "").strip()
    point = _check_answer(amendment, status, reason, changed)
    _record(amendment, editor, status, reason, changed, now)
    if point is not None:
        _apply(amendment, point)
    db.session.flush()
    _notify([amendment], editor, now)
    return amendment


def answer_many(
    editor: User, version: ManifestoVersion, numbers: list[int], status: str, reason: str, now: datetime
) -> int:
    """The same answer to many amendments of the draft (not "with changes", which is written one by one)."""
    if status == "accepted_changed":
        raise ActionRefused(_l("Une acceptation avec modifications se fait amendement par amendement."), field="status")
    if not numbers:
        raise ActionRefused(_l("Cochez au moins un amendement."), field="amendments")
    found = list(
        db.session.scalars(
            select(ManifestoAmendment)
            .where(ManifestoAmendment.version_id == version.id, ManifestoAmendment.number.in_(numbers))
            .order_by(ManifestoAmendment.number)
        ).unique()
    )
    if len(found) != len(set(numbers)):
        raise ActionRefused(_l("Certains amendements cochés n’appartiennent pas à ce brouillon."), field="amendments")
    reason = (reason or "").strip()
    for amendment in found:
        # One by one, so that the check of the next one sees this one applied.
        point = _check_answer(amendment, status, reason, "")
        _record(amendment, editor, status, reason, "", now)
        if point is not None:
            _apply(amendment, point)
        db.session.flush()
    _notify(found, editor, now)
    return len(found)


def _notify(answered: list[ManifestoAmendment], editor: User, now: datetime) -> None:
    """The organisers of the proposing and co-signing territories hear of the answer (notifications, then outbox)."""
    territory_ids = {a.territory_id for a in answered} | {c.territory_id for a in answered for c in a.cosignatures}
    organisers: dict[int, list[int]] = {}
    for territory_id, user_id in db.session.execute(
        select(Membership.territory_id, Membership.user_id).where(
            Membership.territory_id.in_(territory_ids), Membership.role == "organiser"
        )
    ):
        organisers.setdefault(territory_id, []).append(user_id)
    items = []
    for a in answered:
        version = a.version
        message = (
            f"La rédaction du manifeste « {version.manifesto.title} » a répondu à l’amendement n° {a.number} "
            f"{a.territory.of_name} : {AMENDMENT_STATUSES[a.status]}."
        )
        url = (
            notifications.path_for("manifesto.amendments", slug=version.manifesto.slug, number=version.number)
            + f"#amendement-{a.number}"
        )
        for territory_id in [a.territory_id, *(c.territory_id for c in a.cosignatures)]:
            items += [(user_id, message, url) for user_id in organisers.get(territory_id, [])]
    notifications.notify_each(items, "manifesto_amendment", now, editor)


# Provenance -------------------------------------------------------------------------

CREDIT_VERBS = {
    "replace": _l("amendé par"),
    "delete": _l("supprimé par"),
    "add_after": _l("ajouté par"),
}


def credit(amendment: ManifestoAmendment) -> str:
    """« amendé par Saint-Aubin (amendement n° 3, version 2), cosigné par la Communauté… »: territories only."""
    line = _l(
        "%(verb)s %(territory)s (amendement n° %(n)d, version %(v)d)",
        verb=CREDIT_VERBS[amendment.kind],
        territory=territory_name(amendment.territory),
        n=amendment.number,
        v=amendment.version.number,
    )
    names = [territory_name(c.territory) for c in amendment.cosignatures]
    if names:
        return str(_l("%(line)s, cosigné par %(names)s", line=line, names=", ".join(names)))
    return str(line)


def accepted_in(versions: list[ManifestoVersion]) -> list[ManifestoAmendment]:
    """The accepted amendments of these versions, oldest version first."""
    if not versions:
        return []
    return list(
        db.session.scalars(
            select(ManifestoAmendment)
            .join(ManifestoVersion, ManifestoVersion.id == ManifestoAmendment.version_id)
            .where(
                ManifestoAmendment.version_id.in_([v.id for v in versions]),
                ManifestoAmendment.status.in_(ACCEPTED),
            )
            .order_by(ManifestoVersion.number, ManifestoAmendment.number)
        ).unique()
    )


def by_uid(amendments: list[ManifestoAmendment]) -> dict[int, list[ManifestoAmendment]]:
    """Accepted amendments by the point they shaped: the new point for an addition, else the amended point."""
    found: dict[int, list[ManifestoAmendment]] = {}
    for a in amendments:
        uid = a.result_uid if a.kind == "add_after" and a.result_uid is not None else a.point_uid
        found.setdefault(uid, []).append(a)
    return found


def versions_upto(version: ManifestoVersion, after: int = 0) -> list[ManifestoVersion]:
    """The versions numbered after `after` up to this one whose amendments shaped it: the published ones, and
    this one even while it is the draft."""
    return list(
        db.session.scalars(
            select(ManifestoVersion).where(
                ManifestoVersion.manifesto_id == version.manifesto_id,
                ManifestoVersion.number > after,
                ManifestoVersion.number <= version.number,
                or_(ManifestoVersion.published_at.is_not(None), ManifestoVersion.id == version.id),
            )
        )
    )
