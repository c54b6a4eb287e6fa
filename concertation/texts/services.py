"""Participatory texts: import, open, amend, support, answer, and publish the adopted version."""

import hashlib
import re
from typing import cast
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, delete, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError

from concertation import phases
from concertation.accounts.models import User
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.moderation import services as moderation
from concertation.notifications import services as notifications
from concertation.text import to_html
from concertation.voting import majority_judgment, results
from concertation.voting.models import MENTIONS
from concertation.texts.models import (
    ACCEPTED,
    AMENDMENT_KINDS,
    AMENDMENT_STATUSES,
    Amendment,
    AmendmentGrade,
    AmendmentSupport,
    Chapter,
    DraftText,
    Paragraph,
    TextFollow,
    TextVersion,
    VersionParagraph,
    VersionSource,
)

TITLE_MAX = 200
SOURCE_MAX = 100_000
PARAGRAPHS_MAX = 500
WORDING_MAX = 3000
JUSTIFICATION_MAX = 2000
REASON_MAX = 3000
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


# Import ---------------------------------------------------------------------


@dataclass
class ParsedChapter:
    title: str
    paragraphs: list[str] = field(default_factory=list)


def parse_markdown(source: str) -> list[ParsedChapter]:
    """Headings become chapters, blocks separated by a blank line become paragraphs."""
    chapters: list[ParsedChapter] = []
    block: list[str] = []

    def close_block() -> None:
        if block:
            if not chapters:
                chapters.append(ParsedChapter(""))
            chapters[-1].paragraphs.append("\n".join(block).strip())
            block.clear()

    for line in (source or "").replace("\r\n", "\n").split("\n"):
        heading = _HEADING.match(line)
        if heading:
            close_block()
            chapters.append(ParsedChapter(heading.group(2)[:TITLE_MAX]))
        elif line.strip():
            block.append(line.rstrip())
        else:
            close_block()
    close_block()
    return [c for c in chapters if c.paragraphs or c.title]


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ActionRefused(_l("Donnez un titre au texte."), field="title")
    if len(title) > TITLE_MAX:
        raise ActionRefused(_l("Le titre doit faire au plus 200 caractères."), field="title")
    return title


def check_source(source: str, field: str = "source") -> list[ParsedChapter]:
    """The chapters of a Markdown source within the limits of a text (the refusal names `field`)."""
    if len(source or "") > SOURCE_MAX:
        raise ActionRefused(_l("Le texte doit faire au plus 100 000 caractères."), field=field)
    parsed = parse_markdown(source)
    count = sum(len(c.paragraphs) for c in parsed)
    if count == 0:
        raise ActionRefused(_l("Le texte ne contient aucun paragraphe."), field=field)
    if count > PARAGRAPHS_MAX:
        raise ActionRefused(_l("Le texte doit compter au plus 500 paragraphes."), field=field)
    return parsed


def _fill(text: DraftText, source: str) -> None:
    parsed = check_source(source)
    for chapter in list(text.chapters):
        text.chapters.remove(chapter)
    db.session.flush()
    number = 0
    for position, item in enumerate(parsed, start=1):
        chapter = Chapter(position=position, title=item.title)
        text.chapters.append(chapter)
        for body in item.paragraphs:
            number += 1
            chapter.paragraphs.append(Paragraph(text=text, number=number, body=body, body_html=to_html(body)))
    text.source = source
    db.session.flush()


def import_text(organiser: User, consultation: Consultation, title: str, source: str, now: datetime) -> DraftText:
    """A new draft text from Markdown, seen by the organisers only until they open it."""
    text = DraftText(
        consultation=consultation, title=_check_title(title), status="draft", created_at=now, created_by_id=organiser.id
    )
    db.session.add(text)
    _fill(text, source)
    return text


def reimport_text(text: DraftText, title: str, source: str) -> DraftText:
    """Correct a draft by importing its Markdown again: only before it is open (amendments point at paragraphs)."""
    if text.status != "draft":
        raise ActionRefused(_l("Un texte ouvert aux amendements ne peut plus être remplacé."), status=409)
    text.title = _check_title(title)
    _fill(text, source)
    return text


def open_text(text: DraftText, now: datetime) -> DraftText:
    if text.status != "draft":
        raise ActionRefused(_l("Ce texte est déjà ouvert."), status=409)
    text.status, text.opened_at = "open", now
    db.session.flush()
    return text


def texts_of(consultation: Consultation, with_drafts: bool) -> list[DraftText]:
    query = select(DraftText).where(DraftText.consultation_id == consultation.id)
    if not with_drafts:
        query = query.where(DraftText.status != "draft")
    return list(db.session.scalars(query.order_by(DraftText.id)).unique())


def paragraphs_of(text: DraftText) -> list[Paragraph]:
    return list(db.session.scalars(select(Paragraph).where(Paragraph.text_id == text.id).order_by(Paragraph.number)))


# Amendments -----------------------------------------------------------------


def wording_key(wording: str) -> str:
    return hashlib.sha256(" ".join((wording or "").split()).casefold().encode()).hexdigest()


def propose_amendment(
    author: User, paragraph: Paragraph, kind: str, wording: str, justification: str, now: datetime
) -> Amendment:
    """A participant's amendment to a paragraph of an open text, during the consultation's proposals phase."""
    text = paragraph.text
    if text.status != "open":
        raise ActionRefused(_l("Ce texte n’est pas ouvert aux amendements."), status=403)
    if not phases.allows(text.consultation, "amend", now):
        raise ActionRefused(_l("Les amendements ne se proposent que pendant la phase des propositions."), status=403)
    if moderation.is_blocked(author.id, text.consultation.territory_id):
        raise ActionRefused(_l("Vous ne pouvez plus contribuer dans ce territoire."), status=403)
    if kind not in AMENDMENT_KINDS:
        raise ActionRefused(_l("Choisissez le type d’amendement."), field="kind")
    wording = (wording or "").strip() if kind != "delete" else ""
    justification = (justification or "").strip()
    if kind != "delete":
        if not wording:
            raise ActionRefused(_l("Écrivez la rédaction que vous proposez."), field="wording")
        if len(wording) > WORDING_MAX:
            raise ActionRefused(_l("La rédaction doit faire au plus 3 000 caractères."), field="wording")
        if kind == "replace" and " ".join(wording.split()) == " ".join(paragraph.body.split()):
            raise ActionRefused(_l("Cette rédaction est identique au paragraphe."), field="wording")
    if not justification:
        raise ActionRefused(_l("Expliquez pourquoi vous proposez ce changement."), field="justification")
    if len(justification) > JUSTIFICATION_MAX:
        raise ActionRefused(_l("La justification doit faire au plus 2 000 caractères."), field="justification")
    amendment = Amendment(
        text_id=text.id,
        paragraph=paragraph,
        author=author,
        kind=kind,
        wording=wording,
        wording_key=wording_key(wording),
        justification=justification,
        justification_html=to_html(justification, markdown=False),
        created_at=now,
        moderation=moderation.initial_state(text.consultation),
    )
    try:
        with db.session.begin_nested():
            db.session.add(amendment)
    except IntegrityError:
        raise ActionRefused(_l("Vous avez déjà proposé cet amendement."), status=409) from None
    if amendment.moderation == "pending":
        moderation.notify_organisers(
            text.consultation.territory, "Amendement en attente de modération", moderation.target_url(amendment), now
        )
    return amendment


def rewrite_justification(amendment: Amendment, justification: str) -> None:
    """New justification (the moderation's redaction), and its stored HTML."""
    amendment.justification = justification
    amendment.justification_html = to_html(justification, markdown=False)
    db.session.flush()


def _shown(author_id: int | None, all_states: bool):
    """Visible amendments; with their author's own pending or hidden ones, or all for the organisers."""
    if all_states:
        return true()
    if author_id is None:
        return Amendment.moderation == "visible"
    return or_(Amendment.moderation == "visible", Amendment.author_id == author_id)


def amendments_of(
    paragraphs: list[Paragraph], author_id: int | None = None, all_states: bool = False
) -> dict[int, list[Amendment]]:
    """The visible amendments of these paragraphs, by paragraph id (one query), in the order they were proposed.

    With ``author_id``, that person's own amendments waiting for (or hidden by) the moderation too;
    with ``all_states``, every one (the organisers'). Not the most supported first: the order would
    tell the counts that ``voting.results.counts_shown`` hides."""
    by_paragraph: dict[int, list[Amendment]] = {p.id: [] for p in paragraphs}
    if not paragraphs:
        return by_paragraph
    query = (
        select(Amendment)
        .where(Amendment.paragraph_id.in_(list(by_paragraph)), _shown(author_id, all_states))
        .order_by(Amendment.id)
    )
    for amendment in db.session.scalars(query).unique():
        by_paragraph[amendment.paragraph_id].append(amendment)
    return by_paragraph


def text_amendments(text: DraftText, status: str | None = None) -> list[Amendment]:
    """The visible amendments of a text (those the organisers answer), in the order of the paragraphs."""
    query = select(Amendment).join(Paragraph).where(Amendment.text_id == text.id, Amendment.moderation == "visible")
    if status:
        query = query.where(Amendment.status == status)
    return list(db.session.scalars(query.order_by(Paragraph.number, Amendment.id)).unique())


def published_amendments(text: DraftText) -> list[Amendment]:
    """The amendments a text publishes, in the order of the paragraphs: the visible ones, and the ones the
    moderation hid, which the exports show by the moderation's reason instead of their text (as comments)."""
    query = select(Amendment).join(Paragraph).where(Amendment.text_id == text.id, Amendment.moderation != "pending")
    return list(db.session.scalars(query.order_by(Paragraph.number, Amendment.id)).unique())


# Supports -------------------------------------------------------------------


def _refuse_support(user: User, amendment: Amendment, now: datetime, method: str = "support") -> None:
    """The rules of supporting and of grading an amendment: one of them, by the consultation's voting method."""
    text = amendment.paragraph.text
    if text.status != "open" or not phases.allows(text.consultation, "support_amendment", now):
        raise ActionRefused(_l("Les soutiens aux amendements sont fermés."), status=403)
    if text.consultation.voting_method != method:
        if method == "support":
            raise ActionRefused(
                _l("Cette consultation vote au jugement majoritaire : donnez une mention à l’amendement."), status=403
            )
        raise ActionRefused(_l("Cette consultation ne vote pas au jugement majoritaire."), status=403)
    if amendment.status != "pending":
        raise ActionRefused(_l("Cet amendement a déjà reçu sa réponse."), status=409)
    if not amendment.is_visible:
        raise ActionRefused(_l("Cet amendement n’est pas visible : on ne peut pas le soutenir."), status=403)
    if amendment.author_id == user.id:
        raise ActionRefused(_l("Vous ne pouvez pas soutenir votre propre amendement."), status=403)


def supports(user: User, amendment: Amendment) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    query = select(AmendmentSupport.id).where(
        AmendmentSupport.amendment_id == amendment.id, AmendmentSupport.user_id == user.id
    )
    return db.session.scalar(query) is not None


def supported_ids(user, amendment_ids: list[int]) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False) or not amendment_ids:
        return set()
    query = select(AmendmentSupport.amendment_id).where(
        AmendmentSupport.user_id == user.id, AmendmentSupport.amendment_id.in_(amendment_ids)
    )
    return set(db.session.scalars(query))


def support(user: User, amendment: Amendment, now: datetime) -> bool:
    """Support an amendment; once per person (the database holds it). Whether a support was added."""
    _refuse_support(user, amendment, now)
    try:
        with db.session.begin_nested():
            db.session.add(AmendmentSupport(amendment_id=amendment.id, user_id=user.id, created_at=now))
    except IntegrityError:
        return False
    db.session.execute(
        update(Amendment)
        .where(Amendment.id == amendment.id)
        .values(support_count=Amendment.support_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(amendment)
    return True


def withdraw_support(user: User, amendment: Amendment, now: datetime) -> bool:
    _refuse_support(user, amendment, now)
    removed = db.session.scalar(
        delete(AmendmentSupport)
        .where(AmendmentSupport.amendment_id == amendment.id, AmendmentSupport.user_id == user.id)
        .returning(AmendmentSupport.id)
    )
    if removed is None:
        return False
    db.session.execute(
        update(Amendment)
        .where(Amendment.id == amendment.id)
        .values(support_count=Amendment.support_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(amendment)
    return True


# Grades (majority judgment) -------------------------------------------------


def grade(user: User, amendment: Amendment, mention: int, now: datetime) -> None:
    """Give (or change) a mention to an amendment; once per person (the database holds it)."""
    if isinstance(mention, bool) or not isinstance(mention, int) or not 0 <= mention < len(MENTIONS):
        raise ActionRefused(_l("Choisissez une des six mentions."), field="mention")
    _refuse_support(user, amendment, now, method="majority")
    query = select(AmendmentGrade).where(AmendmentGrade.amendment_id == amendment.id, AmendmentGrade.user_id == user.id)
    existing = db.session.scalar(query)
    if existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    AmendmentGrade(
                        amendment_id=amendment.id, user_id=user.id, mention=mention, created_at=now, updated_at=now
                    )
                )
            return
        except IntegrityError:
            # A second click at the same moment: change that one (the unique key says it exists).
            existing = db.session.execute(query).scalar_one()
    existing.mention, existing.updated_at = mention, now
    db.session.flush()


def mentions_given(user, amendment_ids: list[int]) -> dict[int, int]:
    if user is None or not getattr(user, "is_authenticated", False) or not amendment_ids:
        return {}
    query = select(AmendmentGrade.amendment_id, AmendmentGrade.mention).where(
        AmendmentGrade.user_id == user.id, AmendmentGrade.amendment_id.in_(amendment_ids)
    )
    return dict(db.session.execute(query).tuples().all())


@dataclass(frozen=True)
class Judgment:
    """What may be shown of an amendment's grades: its number of judges, and its majority mention when allowed."""

    judges: int
    majority_mention: int | None


def judgments(text: DraftText, amendment_ids: list[int], now: datetime) -> dict[int, Judgment]:
    """The amendments' judgments (one GROUP BY), under the one rule of vote counts; empty when counts are hidden.

    While the vote is open (live results) a majority mention needs the live floor of judges, as a
    proposal's distribution does, so that no figure tells what one person chose."""
    consultation = text.consultation
    if consultation.voting_method != "majority" or not amendment_ids or not results.counts_shown(consultation, now):
        return {}
    return {
        amendment_id: _shown_judgment(consultation, sum(tally), majority_judgment.majority_mention(tally), now)
        for amendment_id, tally in _tallies(amendment_ids).items()
    }


def _tallies(amendment_ids: list[int]) -> dict[int, list[int]]:
    """The count of each mention the amendments received, by amendment id (one GROUP BY)."""
    tallies = {amendment_id: [0] * len(MENTIONS) for amendment_id in amendment_ids}
    if not amendment_ids:
        return tallies
    rows = db.session.execute(
        select(AmendmentGrade.amendment_id, AmendmentGrade.mention, func.count(AmendmentGrade.id))
        .where(AmendmentGrade.amendment_id.in_(amendment_ids))
        .group_by(AmendmentGrade.amendment_id, AmendmentGrade.mention)
    )
    for amendment_id, mention, count in rows:
        tallies[amendment_id][mention] = count
    return tallies


def _shown_judgment(consultation: Consultation, judges: int, mention: int | None, now: datetime) -> Judgment:
    """A judgment as it may be shown: its majority mention only above the live floor of judges."""
    shown = judges and results.distribution_shown(consultation, judges, now)
    return Judgment(judges, mention if shown else None)


def version_judgments(version: TextVersion, now: datetime) -> dict[int, Judgment]:
    """The judgments of a version's sources as frozen at adoption, by source id, under the one rule of counts.

    Empty under supports, while counts are hidden, and for sources adopted before mentions were frozen."""
    consultation = version.text.consultation
    if consultation.voting_method != "majority" or not results.counts_shown(consultation, now):
        return {}
    return {
        source.id: _shown_judgment(consultation, source.judges, source.majority_mention, now)
        for paragraph in version.paragraphs
        for source in paragraph.sources
        if source.judges is not None
    }


# Answers --------------------------------------------------------------------


def check_answer_wording(kind: str, status: str, reason: str, changed: str) -> None:
    """What an answer to an amendment writes, for a text's amendments and the manifesto's alike: a reason that
    fits, and for « accepted with changes » a wording that exists and fits, never asked of a deletion."""
    if len(reason) > REASON_MAX:
        raise ActionRefused(_l("La réponse doit faire au plus 3 000 caractères."), field="reason")
    if status == "accepted_changed":
        if kind == "delete":
            raise ActionRefused(_l("Une suppression s’accepte ou se rejette, sans modification."), field="status")
        if not changed:
            raise ActionRefused(_l("Écrivez la rédaction retenue."), field="changed_wording")
        if len(changed) > WORDING_MAX:
            raise ActionRefused(_l("La rédaction doit faire au plus 3 000 caractères."), field="changed_wording")


def _check_answer(amendment: Amendment, status: str, reason: str, changed: str) -> None:
    if status not in AMENDMENT_STATUSES or status == "pending":
        raise ActionRefused(_l("Choisissez une réponse."), field="status")
    if not amendment.is_visible:
        raise ActionRefused(_l("Cet amendement est masqué ou attend la modération : il ne se répond pas."), status=409)
    if amendment.paragraph.text.status != "open":
        raise ActionRefused(_l("Les amendements d’un texte adopté ne se répondent plus."), status=409)
    if status == "rejected" and not reason:
        raise ActionRefused(_l("Donnez la raison du rejet."), field="reason")
    check_answer_wording(amendment.kind, status, reason, changed)
    if status in ACCEPTED and amendment.kind in ("replace", "delete"):
        # Two rewritings of one paragraph cannot both enter the text: the organisers merge them into one.
        other = db.session.scalar(
            select(Amendment.id).where(
                Amendment.paragraph_id == amendment.paragraph_id,
                Amendment.id != amendment.id,
                Amendment.kind.in_(("replace", "delete")),
                Amendment.status.in_(ACCEPTED),
                Amendment.moderation == "visible",
            )
        )
        if other is not None:
            raise ActionRefused(
                _l(
                    "Un autre amendement qui réécrit ou supprime ce paragraphe est déjà accepté : "
                    "acceptez celui-ci avec modifications dans l’autre, ou rejetez-le."
                ),
                field="status",
            )


def _notify_answer(amendments: list[Amendment], organiser: User, now: datetime) -> None:
    items = [
        (
            a.author_id,
            f"La collectivité a répondu à votre amendement au paragraphe {a.paragraph.number} "
            f"de « {a.paragraph.text.title} » : {AMENDMENT_STATUSES[a.status]}.",
            notifications.path_for("texts.paragraph", paragraph_id=a.paragraph_id) + f"#amendement-{a.id}",
        )
        for a in amendments
    ]
    notifications.notify_each(items, "answer", now, organiser)


def answer_amendment(
    organiser: User, amendment: Amendment, status: str, reason: str, now: datetime, changed_wording: str = ""
) -> Amendment:
    """Accept (as written or with changes) or reject an amendment, with a reason; its author is told."""
    reason, changed = (reason or "").strip(), (changed_wording or "").strip()
    _check_answer(amendment, status, reason, changed)
    amendment.status = status
    amendment.final_wording = changed if status == "accepted_changed" else ""
    amendment.answer_text, amendment.answer_html = reason, to_html(reason, markdown=False)
    amendment.answered_at, amendment.answered_by_id = now, organiser.id
    db.session.flush()
    _notify_answer([amendment], organiser, now)
    return amendment


def answer_many(organiser: User, text: DraftText, ids: list[int], status: str, reason: str, now: datetime) -> int:
    """The same answer to many amendments of one text (not "with changes", which is written one by one)."""
    if status == "accepted_changed":
        raise ActionRefused(_l("Une acceptation avec modifications se fait amendement par amendement."), field="status")
    if not ids:
        raise ActionRefused(_l("Cochez au moins un amendement."), field="amendments")
    amendments = list(
        db.session.scalars(
            select(Amendment).where(Amendment.id.in_(ids), Amendment.text_id == text.id).order_by(Amendment.id)
        ).unique()
    )
    if len(amendments) != len(set(ids)):
        raise ActionRefused(_l("Certains amendements cochés n’appartiennent pas à ce texte."), field="amendments")
    reason = (reason or "").strip()
    for amendment in amendments:
        _check_answer(amendment, status, reason, "")
        amendment.status, amendment.final_wording = status, ""
        amendment.answer_text, amendment.answer_html = reason, to_html(reason, markdown=False)
        amendment.answered_at, amendment.answered_by_id = now, organiser.id
        # Flushed one by one, so that the check of the next one sees this one accepted.
        db.session.flush()
    _notify_answer(amendments, organiser, now)
    return len(amendments)


# The adopted version --------------------------------------------------------


def publish_version(organiser: User, text: DraftText, now: datetime) -> TextVersion:
    """Apply the accepted amendments to the draft and freeze the result, with where each change came from."""
    if text.status != "open":
        raise ActionRefused(_l("Seul un texte ouvert aux amendements peut être adopté."), status=409)
    # Amendments hidden or waiting for the moderation are not in the text, and do not hold it back.
    pending = db.session.scalar(
        select(func.count(Amendment.id)).where(
            Amendment.text_id == text.id, Amendment.status == "pending", Amendment.moderation == "visible"
        )
    )
    if pending:
        raise ActionRefused(
            _l("Répondez d’abord aux %(count)d amendements encore en attente.", count=pending), status=409
        )
    number = (db.session.scalar(select(func.max(TextVersion.number)).where(TextVersion.text_id == text.id)) or 0) + 1
    version = TextVersion(text=text, number=number, title=text.title, published_at=now, published_by_id=organiser.id)
    db.session.add(version)
    paragraphs = paragraphs_of(text)
    accepted = {pid: [a for a in items if a.is_accepted] for pid, items in amendments_of(paragraphs).items()}
    # Under majority judgment each source keeps its judges and majority mention as they stand now, as it
    # keeps its support count: the published version does not move if grades change later.
    judged = text.consultation.voting_method == "majority"
    tallies = _tallies([a.id for items in accepted.values() for a in items]) if judged else {}

    def source(amendment: Amendment) -> VersionSource:
        if not judged:
            return VersionSource(amendment=amendment, support_count=amendment.support_count)
        tally = tallies[amendment.id]
        return VersionSource(
            amendment=amendment,
            support_count=amendment.support_count,
            judges=sum(tally),
            majority_mention=majority_judgment.majority_mention(tally),
        )

    position, adopted_number = 0, 0

    def add(change: str, body: str, draft: Paragraph | None, sources: list[Amendment], chapter: str) -> None:
        nonlocal position, adopted_number
        position += 1
        if change != "deleted":
            adopted_number += 1
        version.paragraphs.append(
            VersionParagraph(
                position=position,
                number=adopted_number if change != "deleted" else None,
                draft_number=draft.number if draft is not None else None,
                chapter_title=chapter,
                change=change,
                body=body,
                body_html=to_html(body) if body else "",
                draft_body=draft.body if draft is not None else "",
                sources=[source(a) for a in sources],
            )
        )

    for paragraph in paragraphs:
        chapter = paragraph.chapter.title
        mine = accepted[paragraph.id]
        rewrite = next((a for a in mine if a.kind in ("replace", "delete")), None)
        if rewrite is None:
            add("kept", paragraph.body, paragraph, [], chapter)
        elif rewrite.kind == "delete":
            add("deleted", "", paragraph, [rewrite], chapter)
        else:
            add("changed", rewrite.adopted_wording, paragraph, [rewrite], chapter)
        for addition in (a for a in mine if a.kind == "add_after"):
            add("added", addition.adopted_wording, None, [addition], chapter)
    text.status = "adopted"
    db.session.flush()
    _notify_version(version, organiser, now)
    return version


def _notify_version(version: TextVersion, organiser: User, now: datetime) -> None:
    """Tell the text's followers (through the notifications and their outbox) that a version is adopted."""
    followers = db.session.scalars(select(TextFollow.user_id).where(TextFollow.text_id == version.text_id))
    notifications.notify(
        followers,
        "text_version",
        f"La version adoptée n° {version.number} de « {version.title} » est publiée.",
        notifications.path_for("texts.version", version_id=version.id),
        now,
        actor=organiser,
    )


# Following ------------------------------------------------------------------


def is_following(user, text: DraftText) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    query = select(TextFollow.id).where(TextFollow.text_id == text.id, TextFollow.user_id == user.id)
    return db.session.scalar(query) is not None


def follow(user: User, text: DraftText, now: datetime) -> bool:
    """Follow a text; following twice changes nothing (the database holds it). Whether a follow was added."""
    try:
        with db.session.begin_nested():
            db.session.add(TextFollow(text_id=text.id, user_id=user.id, created_at=now))
    except IntegrityError:
        return False
    return True


def unfollow(user: User, text: DraftText) -> bool:
    result = cast(
        CursorResult,
        db.session.execute(delete(TextFollow).where(TextFollow.text_id == text.id, TextFollow.user_id == user.id)),
    )
    return bool(result.rowcount)


def versions_of(text: DraftText) -> list[TextVersion]:
    return list(
        db.session.scalars(select(TextVersion).where(TextVersion.text_id == text.id).order_by(TextVersion.number))
    )
