"""Scenes for the manifesto tests: published syntheses in several territories, a manifesto citing them."""

from concertation.db import utcnow
from concertation.extensions import db
from concertation.manifesto import services
from concertation.synthesis import services as synthesis
from tests.factories import make_consultation, make_proposal_row, make_support, make_territory, make_user


def published_synthesis(territory=None, title="Former les agents avant tout outil", supports=3, **kw):
    """A consultation of `territory` with a published synthesis retaining one proposal (supported `supports` times)."""
    territory = territory or make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("synthesis", territory=territory, author=organiser, **kw)
    proposal = make_proposal_row(
        consultation,
        title=title,
        body="Des formations pour tous les agents.",
        theme=consultation.themes[0],
        answer="retained",
    )
    for _ in range(supports):
        make_support(proposal)
    draft = synthesis.start_synthesis(organiser, consultation)
    synthesis.update_synthesis(
        draft,
        f"Synthèse — {consultation.title}",
        "Ce que les habitant·es ont dit.",
        {draft.sections[0].id: "La formation d’abord."},
    )
    synthesis.set_retained(draft, [proposal.id])
    version = synthesis.publish(organiser, draft, utcnow())
    db.session.commit()
    return consultation, version, organiser


def manifesto_with_point(version=None, editor=None, publish=True):
    """A manifesto whose draft has one point citing the retained proposal of `version`; published if asked."""
    editor = editor or make_user("editor")
    if version is None:
        _c, version, _o = published_synthesis()
    manifesto = services.create_manifesto(
        editor, "Manifeste pour une IA territoriale responsable", "Une IA **choisie**, pas subie.", utcnow()
    )
    draft = services.draft_of(manifesto)
    point = services.add_point(
        draft,
        "Former d’abord",
        "Former les agents avant d’équiper",
        "Aucun outil sans formation.\n\nLa formation est un droit.",
    )
    services.add_source(point, version.id, version.retained[0].id)
    if publish:
        services.publish(editor, draft, utcnow())
    db.session.commit()
    return manifesto, draft, point, editor
