"""What each phase of a consultation allows, and which phase is open now.

The current phase is derived from the phases' dates; it is never stored.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from concertation.i18n import N_

PHASE_ORDER = ("information", "proposals", "vote", "synthesis", "closed")

PHASE_LABELS = {
    "information": N_("Information"),
    "proposals": N_("Propositions"),
    "vote": N_("Vote"),
    "synthesis": N_("Synthèse"),
    "closed": N_("Clôture"),
}

# The powers each phase grants; "support_early" is support during proposals,
# granted only when the consultation allows it. A participatory text's amendments are
# proposed with the proposals ("amend") and supported until the vote ends ("support_amendment").
PHASE_POWERS: dict[str, frozenset[str]] = {
    "information": frozenset(),
    "proposals": frozenset(
        {"propose", "comment", "support_early", "edit_proposal", "withdraw_proposal", "amend", "support_amendment"}
    ),
    "vote": frozenset({"vote", "comment", "withdraw_proposal", "support_amendment"}),
    "synthesis": frozenset({"synthesise"}),
    "closed": frozenset(),
}

UPCOMING = "upcoming"
BETWEEN = "between"


@dataclass(frozen=True)
class PhaseDates:
    kind: str
    starts_at: datetime
    ends_at: datetime | None


def current_phase(phases, now: datetime) -> str:
    """The kind of the phase open at `now`, or "upcoming" before the first, "between" in a gap."""
    ordered = sorted(phases, key=lambda p: PHASE_ORDER.index(p.kind))
    if not ordered or now < ordered[0].starts_at:
        return UPCOMING
    for phase in ordered:
        if phase.starts_at <= now and (phase.ends_at is None or now < phase.ends_at):
            return phase.kind
    return BETWEEN


def allows(consultation, power: str, now: datetime) -> bool:
    """Whether the consultation's phase open at `now` grants `power`."""
    kind = current_phase(consultation.phases, now)
    powers = PHASE_POWERS.get(kind, frozenset())
    if power == "support":
        if consultation.voting_method != "support":
            return False
        return "vote" in powers or ("support_early" in powers and consultation.supports_during_proposals)
    if power == "grade":
        return consultation.voting_method == "majority" and "vote" in powers
    return power in powers


def results_visible(consultation, now: datetime) -> bool:
    """Vote results are public once the vote phase has ended, or live if the organiser chose so."""
    if consultation.results_live:
        return True
    vote = next((p for p in consultation.phases if p.kind == "vote"), None)
    return vote is not None and vote.ends_at is not None and now >= vote.ends_at


def validate_dates(dates: list[PhaseDates]) -> list[tuple[str, str]]:
    """Problems with a consultation's phase dates, as (phase kind, French message) pairs."""
    problems: list[tuple[str, str]] = []
    by_kind = {d.kind: d for d in dates}
    missing = [k for k in PHASE_ORDER if k not in by_kind]
    for kind in missing:
        problems.append(
            (kind, _l("La date de début de la phase « %(phase)s » est obligatoire.", phase=_l(PHASE_LABELS[kind])))
        )
    if missing:
        return problems
    previous = None
    for kind in PHASE_ORDER:
        d = by_kind[kind]
        label = _l(PHASE_LABELS[kind])
        if kind != "closed" and d.ends_at is None:
            problems.append((kind, _l("La phase « %(phase)s » doit avoir une date de fin.", phase=label)))
        if d.ends_at is not None and d.ends_at <= d.starts_at:
            problems.append((kind, _l("La phase « %(phase)s » doit finir après avoir commencé.", phase=label)))
        if previous is not None and previous.ends_at is not None and d.starts_at < previous.ends_at:
            problems.append(
                (
                    kind,
                    _l(
                        "La phase « %(phase)s » commence avant la fin de la phase « %(previous)s » : "
                        "les phases ne peuvent ni se chevaucher ni revenir en arrière.",
                        phase=label,
                        previous=_l(PHASE_LABELS[previous.kind]),
                    ),
                )
            )
        previous = d
    return problems


def consecutive_phases(current: str, now: datetime, days: int = 30) -> list[PhaseDates]:
    """Back-to-back phases of `days` days placed so that `current` is open at `now`.

    "upcoming" puts them all in the future. Used by the demonstration and the tests.
    """
    length = timedelta(days=days)
    day_start = now.replace(hour=8, minute=0, second=0, microsecond=0)
    if current == UPCOMING:
        start = day_start + timedelta(days=10)
    else:
        start = day_start - PHASE_ORDER.index(current) * length - timedelta(days=days // 3)
    dates = []
    for i, kind in enumerate(PHASE_ORDER):
        begins = start + i * length
        dates.append(PhaseDates(kind, begins, None if kind == "closed" else begins + length))
    return dates


# Questionnaires are answered while the consultation takes contributions: its proposals or vote phase.
QUESTIONNAIRE_PHASES = frozenset({"proposals", "vote"})


def questionnaire_open(consultation, now: datetime) -> bool:
    """Whether the consultation's questionnaires take answers at `now`."""
    return current_phase(consultation.phases, now) in QUESTIONNAIRE_PHASES


def is_closed(consultation, now: datetime) -> bool:
    """Whether the consultation has reached its closing phase."""
    return current_phase(consultation.phases, now) == "closed"
