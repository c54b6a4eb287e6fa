import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.manifesto import endorsements, provenance, services, suggestions, versions
from concertation.manifesto.models import Endorsement, ManifestoSource
from concertation.notifications.models import Notification
from concertation.synthesis import services as synthesis
from tests.factories import make_consultation, make_territory, make_user
from tests.manifesto.scene import manifesto_with_point, published_synthesis


def test_a_point_cannot_cite_an_unpublished_synthesis():
    manifesto, draft, point, _e = manifesto_with_point(publish=False)
    consultation = make_consultation("synthesis")
    unpublished = synthesis.start_synthesis(make_user(), consultation)
    db.session.commit()
    # A draft synthesis has no version row: whatever id is forged, the service refuses it…
    for forged in (unpublished.id, 999_999, None):
        with pytest.raises(ActionRefused, match="publiée"):
            services.add_source(point, forged)
    # …and the database refuses a source row that points at no published version.
    db.session.add(ManifestoSource(point_id=point.id, synthesis_version_id=999_999))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_source_must_belong_to_the_cited_version_and_be_public():
    _m, _d, point, _e = manifesto_with_point(publish=False)
    _c, other, _o = published_synthesis()
    _c2, mine, _o2 = published_synthesis()
    with pytest.raises(ActionRefused, match="retenue"):
        services.add_source(point, mine.id, other.retained[0].id)
    with pytest.raises(ActionRefused, match="section"):
        services.add_source(point, mine.id, section="Une section inventée")
    services.add_source(point, mine.id, section=mine.sections[0]["title"])
    with pytest.raises(ActionRefused, match="déjà"):
        services.add_source(point, mine.id, section=mine.sections[0]["title"])
    _c3, internal, _o3 = published_synthesis(audience="agents")
    with pytest.raises(ActionRefused, match="agents"):
        services.add_source(point, internal.id)


def test_publishing_needs_sources_and_a_note_after_the_first_version():
    editor = make_user("editor")
    manifesto = services.create_manifesto(editor, "Manifeste de test", "", utcnow())
    draft = services.draft_of(manifesto)
    with pytest.raises(ActionRefused, match="aucun point"):
        services.publish(editor, draft, utcnow())
    services.add_point(draft, "Chapitre", "Un point sans source")
    with pytest.raises(ActionRefused, match="Sans source"):
        services.publish(editor, draft, utcnow())


def test_a_published_version_is_frozen_and_the_next_draft_starts_from_it():
    manifesto, first, point, editor = manifesto_with_point()
    frozen = [
        (
            p.uid,
            p.chapter,
            p.title,
            p.body,
            p.body_html,
            [(s.synthesis_version_id, s.retained_id, s.section) for s in p.sources],
        )
        for p in first.points
    ]
    with pytest.raises(ActionRefused, match="figée"):
        services.update_point(point, "Autre", "Titre changé", "Texte changé")
    with pytest.raises(ActionRefused, match="figée"):
        services.add_point(first, "Autre", "Un point de plus")
    with pytest.raises(ActionRefused, match="figée"):
        services.remove_source(point.sources[0])

    second = services.start_draft(manifesto, utcnow())
    assert second.number == 2 and [p.uid for p in second.points] == [point.uid]
    services.update_point(
        second.points[0],
        "Former d’abord",
        "Former tous les agents avant d’équiper",
        "Aucun outil sans formation.\n\nLa formation est un droit, sur le temps de travail.",
    )
    services.remove_source(second.points[0].sources[0])
    services.add_point(second, "Données", "Protéger les données des usagers")
    db.session.commit()
    db.session.expire_all()
    again = services.version_of(manifesto, 1)
    assert [
        (
            p.uid,
            p.chapter,
            p.title,
            p.body,
            p.body_html,
            [(s.synthesis_version_id, s.retained_id, s.section) for s in p.sources],
        )
        for p in again.points
    ] == frozen
    assert services.latest_published(manifesto).number == 1


def test_the_difference_between_versions_is_right():
    manifesto, first, point, editor = manifesto_with_point()
    kept = services.add_point(services.start_draft(manifesto, utcnow()), "Données", "Un point qui sera retiré")
    _c, extra, _o = published_synthesis(title="Héberger les données en Europe")
    draft = services.draft_of(manifesto)
    services.add_source(kept, extra.id)
    services.publish(editor, draft, utcnow(), "Un point sur les données")
    third = services.start_draft(manifesto, utcnow())
    changed = next(p for p in third.points if p.uid == point.uid)
    services.update_point(
        changed,
        "Former d’abord",
        "Former tous les agents",
        "Aucun outil sans formation.\n\nLa formation est un droit, sur le temps de travail.",
    )
    services.add_source(changed, extra.id, extra.retained[0].id)
    services.remove_point(next(p for p in third.points if p.uid == kept.uid))
    added = services.add_point(third, "Sobriété", "Réserver l’IA aux usages utiles", "Mesurer l’énergie.")
    services.add_source(added, extra.id)
    services.publish(editor, third, utcnow(), "Formation précisée, sobriété")
    db.session.commit()

    diff = versions.compare(services.version_of(manifesto, 2), third)
    assert [p.title for p in diff.of("added")] == ["Réserver l’IA aux usages utiles"]
    assert [p.title for p in diff.of("removed")] == ["Un point qui sera retiré"]
    [change] = diff.of("changed")
    assert change.old_title == "Former les agents avant d’équiper" and change.title == "Former tous les agents"
    assert ("-", "La formation est un droit.") in change.lines
    assert ("+", "La formation est un droit, sur le temps de travail.") in change.lines
    assert change.sources_added == [provenance.source_label(changed.sources[-1])] and not change.sources_removed
    assert versions.compare(first, first).is_empty
    assert [v.change_note for v in services.published_versions(manifesto)] == [
        "Formation précisée, sobriété",
        "Un point sur les données",
        "Première version publiée.",
    ]


def test_provenance_chain_and_participation_counted_once_per_consultation():
    t1, t2 = make_territory(name="Saint-Aubin"), make_territory(name="Trois Rivières")
    c1, v1, organiser = published_synthesis(t1, supports=3)
    _c2, v2, _o = published_synthesis(t2, supports=2)
    manifesto, draft, point, editor = manifesto_with_point(v1, publish=False)
    services.add_source(point, v1.id)  # the same consultation, cited twice
    services.add_source(point, v2.id, section=v2.sections[0]["title"])
    services.publish(editor, draft, utcnow())
    db.session.commit()
    chain = provenance.chain(point)
    assert [link.territory for link in chain] == ["Saint-Aubin", "Trois Rivières"]
    assert chain[0].whole and chain[0].proposals[0].snapshot.support_count == 3
    assert chain[0].proposals[0].url == f"/propositions/{v1.retained[0].proposal_id}"
    assert chain[1].sections[0].url.endswith("#section-1")
    c = provenance.contribution(draft)
    assert [name for name, _s, _n in c.territories] == ["Saint-Aubin", "Trois Rivières"]
    assert c.consultations == 2
    assert c.participants == v1.figures["participants"] + v2.figures["participants"]
    assert c.citizens + c.agents == c.participants


def test_suggestions_are_accepted_into_a_point_or_declined_with_a_reason_and_the_organiser_is_told():
    manifesto, first, point, editor = manifesto_with_point()
    consultation, version, organiser = published_synthesis(title="Un humain toujours joignable à l’accueil")
    with pytest.raises(ActionRefused, match="10 à 1 000"):
        suggestions.suggest(organiser, manifesto, version.id, f"r{version.retained[0].id}", "court", utcnow())
    one = suggestions.suggest(
        organiser,
        manifesto,
        version.id,
        f"r{version.retained[0].id}",
        "Portée par 3 habitant·es et tous les agents d’accueil.",
        utcnow(),
    )
    with pytest.raises(ActionRefused, match="déjà suggéré"):
        suggestions.suggest(
            organiser,
            manifesto,
            version.id,
            f"r{version.retained[0].id}",
            "Portée par 3 habitant·es et tous les agents d’accueil.",
            utcnow(),
        )
    two = suggestions.suggest(
        organiser, manifesto, version.id, "s0", "La section sur la formation fait consensus.", utcnow()
    )
    assert [(theme, len(group)) for theme, group in suggestions.pending_by_theme(manifesto)] == [("Formation", 2)]

    new_point = suggestions.accept(editor, one, utcnow(), chapter="Accueil", title="Un humain toujours joignable")
    suggestions.decline(editor, two, "Déjà couvert par le point sur la formation.", utcnow())
    three = suggestions.suggest(organiser, manifesto, version.id, "s1", "L’accueil humain, demandé partout.", utcnow())
    with pytest.raises(ActionRefused, match="n’existe pas"):
        suggestions.accept(editor, three, utcnow(), point_uid=999)
    joined = suggestions.accept(editor, three, utcnow(), point_uid=point.uid)
    db.session.commit()
    assert joined.uid == point.uid and joined.version_id != point.version_id  # the draft's copy, not the frozen one
    assert (version.id, None, version.sections[1]["title"]) in [
        (s.synthesis_version_id, s.retained_id, s.section) for s in joined.sources
    ]
    draft = services.draft_of(manifesto)
    assert draft.number == 2 and new_point.version_id == draft.id
    assert [(s.synthesis_version_id, s.retained_id) for s in new_point.sources] == [
        (version.id, version.retained[0].id)
    ]
    assert (one.state, one.point_uid, two.state) == ("accepted", new_point.uid, "declined")
    kinds = list(
        db.session.scalars(
            select(Notification.kind).where(Notification.user_id == organiser.id).order_by(Notification.id)
        )
    )
    assert kinds == ["manifesto_accepted", "manifesto_declined", "manifesto_accepted"]
    with pytest.raises(ActionRefused, match="déjà reçu"):
        suggestions.decline(editor, one, "Trop tard pour changer d’avis.", utcnow())
    assert [s.state for s in suggestions.of_consultation(consultation)] == ["accepted", "declined", "accepted"]


def test_one_signature_per_territory_per_version_withdrawable_and_not_carried_over():
    manifesto, first, point, editor = manifesto_with_point()
    territory = make_territory(name="Saint-Aubin")
    elu, other_elu = make_user("elu", territory), make_user("elu", territory)
    endorsement = endorsements.sign(elu, first, territory, "Nous nous engageons.", utcnow())
    db.session.commit()
    with pytest.raises(ActionRefused, match="déjà signé"):
        endorsements.sign(other_elu, first, territory, "", utcnow())
    # The database holds the rule too, whatever the Python check says.
    db.session.add(Endorsement(version_id=first.id, territory_id=territory.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()

    endorsements.withdraw(endorsement, utcnow())
    assert endorsements.signatories(first) == []
    endorsements.sign(other_elu, first, territory, "", utcnow())
    db.session.commit()
    assert db.session.scalar(select(func.count(Endorsement.id))) == 1
    assert [e.territory.name for e in endorsements.signatories(first)] == ["Saint-Aubin"]

    second = services.start_draft(manifesto, utcnow())
    services.publish(editor, second, utcnow(), "Deuxième version")
    db.session.commit()
    assert endorsements.signatories(second) == []
    assert [(t.name, n) for t, n in endorsements.earlier_signatories(second)] == [("Saint-Aubin", 1)]
    with pytest.raises(ActionRefused, match="plus récente"):
        endorsements.sign(elu, first, make_territory(), "", utcnow())
    with pytest.raises(ActionRefused, match="publiée"):
        endorsements.sign(elu, services.start_draft(manifesto, utcnow()), territory, "", utcnow())


def test_two_elus_signing_at_the_same_instant_meet_the_database_constraint(monkeypatch):
    manifesto, first, _p, _e = manifesto_with_point()
    territory = make_territory()
    endorsements.sign(make_user("elu", territory), first, territory, "", utcnow())
    db.session.commit()
    # The second request read "not signed yet" before the first one committed: the constraint still says no.
    monkeypatch.setattr(endorsements, "endorsement_of", lambda version, territory: None)
    with pytest.raises(ActionRefused, match="déjà signé") as refused:
        endorsements.sign(make_user("elu", territory), first, territory, "", utcnow())
    assert refused.value.status == 409
    db.session.commit()
    assert db.session.scalar(select(func.count(Endorsement.id))) == 1


def test_only_syntheses_open_to_all_are_citable():
    _c1, public, _o1 = published_synthesis(title="Former les agents et les habitants")
    _c2, both, _o2 = published_synthesis(audience="both")
    _c3, internal, _o3 = published_synthesis(audience="agents")
    citable = {v.id for v in services.citable_versions()}
    assert {public.id, both.id} <= citable
    assert internal.id not in citable
