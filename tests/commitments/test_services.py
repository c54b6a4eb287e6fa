from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from concertation.commitments import services
from concertation.commitments.models import Commitment, CommitmentChange
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from tests.commitments.scenes import make_commitment, published_synthesis
from tests.factories import make_consultation, make_proposal_row, make_territory


def data(**kw):
    values = {"title": "Former les agents à l’IA", "status": "committed", "progress": 20}
    return services.CommitmentData(**{**values, **kw})


def test_a_commitment_is_created_with_its_links_and_the_first_line_of_its_history():
    scene = published_synthesis()
    commitment = make_commitment(scene)
    assert commitment.territory_id == scene.territory.id
    assert commitment.description_html == "<p>Un plan de formation <strong>pour tous</strong>.</p>"
    assert [link.proposal_id for link in commitment.proposal_links] == [scene.retained.id]
    assert [link.synthesis_version_id for link in commitment.synthesis_links] == [scene.version.id]
    [change] = commitment.changes
    assert change.changed_by_id == scene.organiser.id and change.changes == {"created": [None, commitment.title]}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "IA"}, "title"),
        ({"status": "peut-être"}, "status"),
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"progress": None}, "progress"),
        ({"status": "abandoned", "status_reason": "  "}, "status_reason"),
        ({"responsible_service": "x" * 151}, "responsible_service"),
    ],
)
def test_bad_data_is_refused_on_its_field(values, field):
    scene = published_synthesis()
    with pytest.raises(ActionRefused) as refused:
        services.create_commitment(scene.organiser, scene.territory, data(**values), utcnow())
    assert refused.value.field == field


def test_links_must_belong_to_the_territory():
    scene = published_synthesis()
    foreign = make_proposal_row(make_consultation("synthesis"), answer="retained")
    with pytest.raises(ActionRefused, match="territoire"):
        services.create_commitment(scene.organiser, scene.territory, data(), utcnow(), proposal_ids=[foreign.id])
    with pytest.raises(ActionRefused, match="synthèse"):
        services.create_commitment(
            scene.organiser, make_territory(), data(), utcnow(), synthesis_version_ids=[scene.version.id]
        )


def test_every_update_is_kept_with_what_changed_and_its_public_note():
    scene = published_synthesis()
    commitment = make_commitment(scene)
    later = utcnow() + timedelta(days=3)
    services.update_commitment(
        scene.organiser,
        commitment,
        replace(services.data_of(commitment), status="in_progress", progress=40),
        "Premières sessions de formation.",
        later,
    )
    db.session.commit()
    changes = db.session.scalars(
        select(CommitmentChange).where(CommitmentChange.commitment_id == commitment.id).order_by(CommitmentChange.id)
    ).all()
    assert len(changes) == 2
    assert changes[1].changes == {"status": ["committed", "in_progress"], "progress": [10, 40]}
    assert changes[1].note_html == "<p>Premières sessions de formation.</p>"
    assert changes[1].changed_at == later
    assert commitment.status == "in_progress" and commitment.progress == 40


def test_an_update_that_changes_nothing_is_refused_but_a_note_alone_is_kept():
    scene = published_synthesis()
    commitment = make_commitment(scene)
    with pytest.raises(ActionRefused, match="Rien"):
        services.update_commitment(scene.organiser, commitment, services.data_of(commitment), "", utcnow())
    change = services.update_commitment(
        scene.organiser, commitment, services.data_of(commitment), "Réunion de lancement faite.", utcnow()
    )
    assert change.changes == {} and change.note == "Réunion de lancement faite."


def test_abandoning_needs_a_reason_and_realising_completes_progress():
    scene = published_synthesis()
    commitment = make_commitment(scene)
    current = services.data_of(commitment)
    with pytest.raises(ActionRefused, match="motif"):
        services.update_commitment(scene.organiser, commitment, replace(current, status="abandoned"), "", utcnow())
    services.update_commitment(
        scene.organiser,
        commitment,
        replace(current, status="abandoned", status_reason="Coût hors de portée."),
        "",
        utcnow(),
    )
    assert commitment.status == "abandoned" and commitment.status_reason == "Coût hors de portée."
    services.update_commitment(
        scene.organiser, commitment, replace(services.data_of(commitment), status="done"), "", utcnow()
    )
    assert commitment.progress == 100


def test_milestones_are_added_and_reached_once_each_in_the_history():
    scene = published_synthesis()
    commitment = make_commitment(scene)
    now = utcnow()
    milestone = services.add_milestone(scene.organiser, commitment, "Marché public lancé", date(2027, 3, 1), now)
    with pytest.raises(ActionRefused, match="future"):
        services.complete_milestone(scene.organiser, milestone, now.date() + timedelta(days=2), now)
    services.complete_milestone(scene.organiser, milestone, None, now)
    assert milestone.done_on == now.date()
    with pytest.raises(ActionRefused, match="déjà"):
        services.complete_milestone(scene.organiser, milestone, None, now)
    with pytest.raises(ActionRefused, match="jalon"):
        services.add_milestone(scene.organiser, commitment, "  ", None, now)
    kinds = [list(c.changes) for c in commitment.changes]
    assert kinds == [["created"], ["milestone"], ["milestone_done"]]


def test_bulk_creation_from_a_published_synthesis_uses_the_frozen_retained_proposals():
    scene = published_synthesis()
    snapshots = {r.proposal_id: r for r in scene.version.retained}
    # The live proposal changes after publication: the commitment takes the title the synthesis froze.
    scene.retained.title = "Titre changé après la publication"
    made = services.create_from_synthesis(
        scene.organiser, scene.version, [s.id for s in scene.version.retained], "committed", utcnow()
    )
    db.session.commit()
    assert [c.title for c in made] == [
        "Former tous les agents avant tout outil",
        "Un assistant pour l’accueil en mairie",
    ]
    assert made[0].description == "Plan voté."
    link = made[0].proposal_links[0]
    assert link.proposal_id == scene.retained.id and link.retained_id == snapshots[scene.retained.id].id
    assert all(c.synthesis_links[0].synthesis_version_id == scene.version.id for c in made)
    assert all(c.status == "committed" and c.territory_id == scene.territory.id for c in made)
    assert services.already_committed(scene.version) == {scene.retained.id, scene.other.id}


def test_bulk_creation_refuses_an_empty_choice_a_foreign_snapshot_and_a_second_commitment():
    scene = published_synthesis()
    first = scene.version.retained[0]
    with pytest.raises(ActionRefused, match="Cochez"):
        services.create_from_synthesis(scene.organiser, scene.version, [], "committed", utcnow())
    with pytest.raises(ActionRefused, match="retenues"):
        services.create_from_synthesis(scene.organiser, scene.version, [first.id + 1000], "committed", utcnow())
    services.create_from_synthesis(scene.organiser, scene.version, [first.id], "committed", utcnow())
    with pytest.raises(ActionRefused, match="déjà un engagement"):
        services.create_from_synthesis(scene.organiser, scene.version, [first.id], "committed", utcnow())


def test_counts_per_status_name_every_status_and_stay_in_their_territory():
    scene = published_synthesis()
    make_commitment(scene)
    make_commitment(scene, title="Abandonné pour de bon", proposal_ids=[], status="under_study")
    make_commitment(published_synthesis())
    assert services.status_counts(scene.territory.id) == {
        "under_study": 1,
        "committed": 1,
        "in_progress": 0,
        "done": 0,
        "abandoned": 0,
    }
    assert sum(services.status_counts().values()) == 3
    assert db.session.scalar(select(Commitment.id).where(Commitment.status == "committed").limit(1))


def test_what_a_proposal_became():
    scene = published_synthesis()
    commitment = make_commitment(scene)
    assert services.commitments_of_proposal(scene.retained) == [commitment]
    assert services.commitments_of_proposal(scene.refused) == []
