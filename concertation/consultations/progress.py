"""Where a consultation stands (its steps) and what a person can do in it now (its calls to action)."""

from dataclasses import dataclass
from datetime import datetime

from concertation import permissions, phases


@dataclass(frozen=True)
class Step:
    kind: str
    starts_at: datetime
    ends_at: datetime | None
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Progress:
    """The consultation's five steps, the one open now and the next one to open."""

    steps: list[Step]
    current: str  # a phase kind, or "upcoming" / "between"
    number: int | None  # 1-based position of the current step, None before the first or in a gap
    next: Step | None

    @property
    def total(self) -> int:
        return len(self.steps)


def progress(consultation, now: datetime) -> Progress:
    current = phases.current_phase(consultation.phases, now)
    ordered = sorted(consultation.phases, key=lambda p: phases.PHASE_ORDER.index(p.kind))
    steps = []
    for phase in ordered:
        if phase.kind == current:
            state = "current"
        elif phase.ends_at is not None and phase.ends_at <= now:
            state = "done"
        else:
            state = "todo"
        steps.append(Step(phase.kind, phase.starts_at, phase.ends_at, state))
    number = next((i + 1 for i, s in enumerate(steps) if s.state == "current"), None)
    following = next((s for s in steps if s.starts_at > now), None)
    return Progress(steps=steps, current=current, number=number, next=following)


@dataclass(frozen=True)
class OpenActions:
    """What the consultation's current phase lets people do, and whether this person may do it now.

    The calls to action of the consultation's pages are drawn from it: a visitor sees what the
    phase allows and is asked to sign in; a signed-in person who may not take part is told so.
    """

    propose: bool  # the phase takes proposals
    vote: str | None  # "support" or "grade" when the phase takes this consultation's votes
    signed_in: bool
    confirmed: bool
    may_participate: bool  # this person may take part in the consultation at all
    may_propose: bool
    may_vote: bool

    @property
    def any(self) -> bool:
        return self.propose or self.vote is not None


def open_actions(user, consultation, now: datetime) -> OpenActions:
    """Ask phases.py what the phase allows and permissions.py what this person may do, once for a page."""
    power = "grade" if consultation.voting_method == "majority" else "support"
    vote = power if phases.allows(consultation, power, now) else None
    return OpenActions(
        propose=phases.allows(consultation, "propose", now),
        vote=vote,
        signed_in=permissions.signed_in(user),
        confirmed=permissions.confirmed(user),
        may_participate=permissions.can(user, "consultation.participate", consultation, now),
        may_propose=permissions.can(user, "consultation.propose", consultation, now),
        may_vote=vote is not None and permissions.can(user, f"consultation.{vote}", consultation, now),
    )
