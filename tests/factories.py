"""Plain factory functions that build a scene in a line."""

from datetime import datetime
from itertools import count

from werkzeug.security import generate_password_hash

from concertation import phases
from concertation.accounts.models import User
from concertation.consultations.services import ConsultationData, create_consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.territories.models import Territory
from concertation.territories.services import create_territory, grant_role

PASSWORD = "mot-de-passe-de-test"
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_sequence = count(1)


def make_user(role: str | None = None, territory: Territory | None = None, confirmed: bool = True, **kw) -> User:
    """A confirmed participant; `role` ("agent", "organiser", "elu") in `territory`, or "admin"/"editor"."""
    n = next(_sequence)
    user = User(
        email=kw.pop("email", f"personne{n}@exemple.org"),
        pseudonym=kw.pop("pseudonym", f"Personne {n}"),
        password_hash=_PASSWORD_HASH,
        confirmed_at=utcnow() if confirmed else None,
        terms_accepted_at=utcnow(),
        is_admin=role == "admin",
        is_editor=role == "editor",
        **kw,
    )
    db.session.add(user)
    db.session.flush()
    if role in ("agent", "organiser", "elu"):
        grant_role(territory or make_territory(), user, role)
    db.session.commit()
    return user


def make_territory(**kw) -> Territory:
    n = next(_sequence)
    territory = create_territory(
        kw.pop("name", f"Commune {n}"),
        kw.pop("kind", "commune"),
        kw.pop("slug", f"commune-{n}"),
        kw.pop("code", None),
        kw.pop("domains", []),
        kw.pop("population", None),
    )
    db.session.commit()
    return territory


def make_consultation(phase: str = "proposals", territory: Territory | None = None, now: datetime | None = None, **kw):
    """A consultation whose `phase` is open now (or at `now`)."""
    territory = territory or make_territory()
    author = kw.pop("author", None) or make_user("organiser", territory)
    data = ConsultationData(
        title=kw.pop("title", f"Consultation {next(_sequence)} sur l’IA"),
        summary=kw.pop("summary", "Vos priorités pour l’IA dans les services publics."),
        description=kw.pop("description", "Une **description**."),
        audience=kw.pop("audience", "public"),
        voting_method=kw.pop("voting_method", "support"),
        support_limit=kw.pop("support_limit", None),
        supports_during_proposals=kw.pop("supports_during_proposals", False),
        results_live=kw.pop("results_live", False),
        themes=kw.pop("themes", ["Formation", "Accueil"]),
        phase_dates=kw.pop("phase_dates", None) or phases.consecutive_phases(phase, now or utcnow()),
    )
    consultation = create_consultation(author, territory, data)
    db.session.commit()
    return consultation


def when_open(consultation, power: str, now: datetime | None = None) -> datetime:
    """`now`, or — for a scene set in a later phase — a moment when the consultation allowed `power`."""
    if now is not None or phases.allows(consultation, power, utcnow()):
        return now or utcnow()
    for phase in sorted(consultation.phases, key=lambda p: p.starts_at, reverse=True):
        moment = phase.starts_at + (phase.ends_at - phase.starts_at) / 2 if phase.ends_at else phase.starts_at
        if phases.allows(consultation, power, moment):
            return moment
    return utcnow()


def make_proposal(consultation=None, author=None, now: datetime | None = None, **kw):
    """A published proposal (its consultation, in the proposals phase, and author made if not given)."""
    from concertation.proposals.services import submit_proposal

    consultation = consultation or make_consultation("proposals")
    author = author or make_user()
    theme_id = kw.pop("theme_id", consultation.themes[0].id if consultation.themes else None)
    default_title = f"Proposition numéro {next(_sequence)} pour l’IA"
    title = kw.pop("title", default_title)
    proposal = submit_proposal(
        author,
        consultation,
        title if 10 <= len(title) <= 150 else default_title,
        kw.pop("body", "Former les agents **avant** d’acheter des outils."),
        theme_id,
        when_open(consultation, "propose", now),
    )
    # Tests may name a proposal shortly ("Bonne"): the title rule has its own tests.
    proposal.title = title
    for key, value in kw.items():
        setattr(proposal, key, value)
    db.session.commit()
    return proposal


# Rows made directly with the models, bypassing the services (for figures and exports).


def make_proposal_row(
    consultation,
    author: User | None = None,
    title: str | None = None,
    body: str = "",
    theme=None,
    answer: str | None = None,
    **kw,
):
    from concertation.proposals.models import Proposal
    from concertation.text import to_html

    n = next(_sequence)
    title = title or f"Proposition {n}"
    proposal = Proposal(
        consultation_id=consultation.id,
        author_id=(author or make_user()).id,
        theme_id=theme.id if theme is not None else None,
        title=title,
        body=body,
        body_html=to_html(body),
        search_text=f"{title} {body}".lower(),
        answer=answer,
        answer_text=kw.pop("answer_text", ""),
        **kw,
    )
    if answer:
        proposal.answered_at = utcnow()
    db.session.add(proposal)
    db.session.commit()
    return proposal


def make_comment(proposal=None, author=None, parent=None, now: datetime | None = None, **kw):
    """A comment on `proposal` (or a reply to `parent`), or on a consultation given as `consultation`."""
    from concertation.comments.services import add_comment

    consultation = kw.pop("consultation", None)
    if parent is not None:
        proposal, consultation = parent.proposal, parent.consultation
    elif proposal is not None:
        consultation = proposal.consultation
    comment = add_comment(
        author or make_user(),
        consultation,
        kw.pop("body", "Je suis d’accord, c’est essentiel."),
        when_open(consultation, "comment", now),
        proposal=proposal,
        parent=parent,
        stance=kw.pop("stance", None),
    )
    db.session.commit()
    return comment


def make_support(proposal, user: User | None = None, **kw):
    from sqlalchemy import update
    from concertation.proposals.models import Proposal
    from concertation.voting.models import Support

    support = Support(
        proposal_id=proposal.id, consultation_id=proposal.consultation_id, user_id=(user or make_user()).id, **kw
    )
    db.session.add(support)
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values(support_count=Proposal.support_count + 1)
    )
    db.session.commit()
    db.session.refresh(proposal)
    return support


def make_grade(proposal, mention: int, user: User | None = None, **kw):
    from concertation.voting.models import Grade

    grade = Grade(
        proposal_id=proposal.id,
        consultation_id=proposal.consultation_id,
        user_id=(user or make_user()).id,
        mention=mention,
        **kw,
    )
    db.session.add(grade)
    db.session.commit()
    return grade


def make_comment_row(consultation, proposal=None, author: User | None = None, body: str = "Je suis d’accord.", **kw):
    from sqlalchemy import update
    from concertation.comments.models import Comment
    from concertation.proposals.models import Proposal
    from concertation.text import to_html

    comment = Comment(
        consultation_id=consultation.id,
        proposal_id=proposal.id if proposal else None,
        author_id=(author or make_user()).id,
        body=body,
        body_html=to_html(body),
        **kw,
    )
    db.session.add(comment)
    if proposal is not None:
        db.session.execute(
            update(Proposal).where(Proposal.id == proposal.id).values(comment_count=Proposal.comment_count + 1)
        )
    db.session.commit()
    return comment


def make_questionnaire(consultation=None, published: bool = True, audience: str = "both", **kw):
    """A questionnaire of two sections: a required single choice, a multiple choice (at most 2) shown
    only for its first option, a 1–5 scale; then a ranking, a matrix and a long text."""
    from concertation.questionnaires import services as q

    consultation = consultation or make_consultation("proposals")
    organiser = kw.pop("author", None) or make_user("organiser", consultation.territory)
    questionnaire = q.create_questionnaire(
        organiser, consultation, kw.pop("title", "Vos usages de l’IA"), "Dix minutes.", audience, utcnow()
    )
    first = q.add_section(questionnaire, "Vos usages")
    used = q.add_question(
        first, q.QuestionData("single", "Utilisez-vous l’IA ?", required=True, options=["Oui", "Non"])
    )
    q.add_question(
        first,
        q.QuestionData(
            "multiple",
            "Pour quoi ?",
            options=["Écrire", "Traduire", "Chercher"],
            max_choices=2,
            condition_option_id=used.options[0].id,
        ),
    )
    q.add_question(
        first,
        q.QuestionData("scale", "Confiance", scale_max=5, scale_min_label="Aucune", scale_max_label="Totale"),
    )
    second = q.add_section(questionnaire, "Vos besoins")
    q.add_question(second, q.QuestionData("ranking", "Classez", options=["Formation", "Outils", "Temps"]))
    q.add_question(second, q.QuestionData("matrix", "Intérêt", options=["Atelier", "Tutoriel"], scale_max=5))
    q.add_question(second, q.QuestionData("long_text", "Autre chose ?"))
    if published:
        q.publish(questionnaire, utcnow())
    db.session.commit()
    return questionnaire


def workshop_data(**kw):
    """What an organiser types to announce a workshop: in person, in 5 days, 12 seats, unless `kw` says otherwise."""
    from datetime import timedelta

    from concertation.workshops.services import WorkshopData

    starts = kw.pop("starts_at", utcnow() + timedelta(days=5))
    values = dict(
        title="Atelier numérique",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=12,
        mode="in_person",
        address="Salle des fêtes",
    )
    values.update(kw)
    return WorkshopData(**values)


def make_workshop(consultation=None, starts_in=None, capacity: int = 10, **kw):
    """A workshop of the consultation (in the proposals phase if made here); `starts_in` a timedelta
    from now (negative: a past workshop), 3 days by default; in person unless `mode="online"`."""
    from datetime import timedelta

    from concertation.workshops import services as workshops
    from concertation.workshops.models import Workshop

    consultation = consultation or make_consultation("proposals")
    starts_at = utcnow() + (starts_in if starts_in is not None else timedelta(days=3))
    online = kw.get("mode") == "online"
    data = workshops.WorkshopData(
        title=kw.pop("title", "Atelier sur l’IA à la médiathèque"),
        starts_at=starts_at,
        ends_at=starts_at + kw.pop("duration", timedelta(hours=2)),
        capacity=capacity,
        mode=kw.pop("mode", "in_person"),
        description=kw.pop("description", "Deux heures pour **débattre**."),
        address="" if online else kw.pop("address", "Médiathèque, 2 place de l’Église, Saint-Aubin"),
        accessibility=kw.pop("accessibility", "Rez-de-chaussée accessible en fauteuil ; boucle magnétique."),
        online_url=kw.pop("online_url", "https://visio.exemple.org/atelier") if online else "",
    )
    organiser = kw.pop("author", None) or make_user("organiser", consultation.territory)
    workshop = Workshop(consultation=consultation, created_by_id=organiser.id, capacity=capacity, seats_taken=0)
    workshops._write(workshop, data)  # direct, so that a past workshop can be made too
    db.session.add(workshop)
    db.session.commit()
    return workshop
