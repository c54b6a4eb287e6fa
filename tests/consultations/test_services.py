from datetime import timedelta

import pytest

from concertation import phases
from concertation.consultations import services
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from tests.factories import make_consultation, make_territory, make_user


def data(**kw):
    base = dict(
        title="Former les agents à l’IA",
        summary="Vos priorités",
        description="# Titre\n<script>x</script>",
        audience="public",
        voting_method="support",
        support_limit=5,
        supports_during_proposals=False,
        results_live=False,
        themes=["Formation", "Accueil"],
        phase_dates=phases.consecutive_phases("proposals", utcnow()),
    )
    base.update(kw)
    return services.ConsultationData(**base)


def test_create_consultation_sanitises_and_derives_its_phase(app):
    territory = make_territory()
    consultation = services.create_consultation(make_user("organiser", territory), territory, data())
    db.session.commit()
    assert consultation.slug == "former-les-agents-a-l-ia"
    assert "<script" not in consultation.description_html and "<h3>Titre</h3>" in consultation.description_html
    assert [t.name for t in consultation.themes] == ["Formation", "Accueil"]
    assert phases.current_phase(consultation.phases, utcnow()) == "proposals"


def test_slugs_are_unique_within_a_territory(app):
    territory = make_territory()
    author = make_user("organiser", territory)
    first = services.create_consultation(author, territory, data())
    second = services.create_consultation(author, territory, data())
    assert (first.slug, second.slug) == ("former-les-agents-a-l-ia", "former-les-agents-a-l-ia-2")


def test_dates_that_go_backwards_are_refused(app):
    territory = make_territory()
    dates = phases.consecutive_phases("proposals", utcnow())
    dates[3] = phases.PhaseDates("synthesis", dates[1].starts_at, dates[3].ends_at)
    with pytest.raises(ActionRefused, match="chevaucher") as refused:
        services.create_consultation(make_user(), territory, data(phase_dates=dates))
    assert refused.value.field == "synthesis_start"


def test_support_limit_only_applies_to_supports(app):
    territory = make_territory()
    consultation = services.create_consultation(
        make_user(), territory, data(voting_method="majority", supports_during_proposals=True)
    )
    assert consultation.support_limit is None and not consultation.supports_during_proposals


def test_update_keeps_theme_rows_and_moves_dates(app):
    consultation = make_consultation("information", themes=["Formation", "Accueil"])
    formation_id = consultation.themes[0].id
    services.update_consultation(
        consultation,
        data(themes=["Accueil", "formation", "Données"], phase_dates=phases.consecutive_phases("vote", utcnow())),
    )
    db.session.commit()
    assert [t.name for t in consultation.themes] == ["Accueil", "formation", "Données"]
    assert consultation.themes[1].id == formation_id
    assert phases.current_phase(consultation.phases, utcnow()) == "vote"


def test_parse_themes():
    assert services.parse_themes("- Formation\n\n• Accueil\nformation") == ["Formation", "Accueil"]
    with pytest.raises(ActionRefused):
        services.parse_themes("x" * 81)


def test_open_consultations_hide_closed_and_other_agents_ones(app):
    public = make_consultation("vote")
    make_consultation("closed")
    agents_only = make_consultation("proposals", audience="agents")
    visitor_sees = services.open_consultations(None, utcnow())
    assert visitor_sees == [public]
    agent = make_user("agent", agents_only.territory)
    assert set(services.open_consultations(agent, utcnow())) == {public, agents_only}
    assert set(services.open_consultations(make_user("admin"), utcnow())) == {public, agents_only}


def test_upcoming_consultations_come_after_running_ones(app):
    upcoming = make_consultation("upcoming")
    running = make_consultation("proposals")
    assert services.open_consultations(None, utcnow()) == [running, upcoming]


def test_link_resources_must_be_web_addresses(app):
    consultation = make_consultation()
    with pytest.raises(ActionRefused, match="http"):
        services.add_resource(consultation, "Lien", "", "javascript:alert(1)")
    with pytest.raises(ActionRefused, match="lien ou joignez"):
        services.add_resource(consultation, "Rien", "", None)
    resource = services.add_resource(consultation, "Guide CNIL", "", "https://www.cnil.fr/")
    assert resource.kind == "link"


def test_now_argument_is_respected(app):
    consultation = make_consultation("proposals")
    later = utcnow() + timedelta(days=45)
    assert phases.current_phase(consultation.phases, later) == "vote"
