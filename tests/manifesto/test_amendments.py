"""Territories amend the manifesto's draft: proposing, co-signing, answering, publication and provenance (no HTTP)."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.jobs import OutboxMessage
from concertation.manifesto import amendments, provenance, services, versions
from concertation.manifesto.exports import open_data
from concertation.manifesto.models import AmendmentCosignature
from concertation.notifications.models import Notification
from tests.factories import make_territory, make_user
from tests.manifesto.scene import manifesto_with_point

NEW_WORDING = "Aucun outil sans formation des agents.\n\nLa formation est un droit, sur le temps de travail."


def open_draft(territory_names=("Saint-Aubin-des-Prés", "Trois Rivières")):
    """A published manifesto (one point), the draft of version 2 open to amendments, and organisers of two territories."""
    manifesto, v1, point, editor = manifesto_with_point()
    draft = services.start_draft(manifesto, utcnow())
    amendments.open_amendments(draft)
    people = []
    for name in territory_names:
        territory = make_territory(name=name)
        people.append((territory, make_user("organiser", territory)))
    db.session.commit()
    return manifesto, draft, point.uid, editor, people


def propose(draft, uid, territory, organiser, kind="replace", wording=NEW_WORDING, **kw):
    amendment = amendments.propose(
        organiser,
        territory,
        draft,
        uid,
        kind,
        wording,
        kw.pop("justification", "Les agents demandent que la formation soit sur leur temps de travail."),
        utcnow(),
        **kw,
    )
    db.session.commit()
    return amendment


def test_an_organiser_proposes_in_the_territory_name_and_amendments_are_numbered_per_version():
    _m, draft, uid, _e, [(t1, o1), (t2, o2)] = open_draft()
    first = propose(draft, uid, t1, o1)
    second = propose(draft, uid, t2, o2, kind="add_after", wording="Un texte nouveau.", title="Un point nouveau")
    assert (first.number, second.number) == (1, 2)
    assert (
        first.territory.name == "Saint-Aubin-des-Prés"
        and first.original == "Aucun outil sans formation.\n\nLa formation est un droit."
    )
    # Nothing changes in the draft until the editors accept.
    assert amendments.draft_point(draft, uid).body == "Aucun outil sans formation.\n\nLa formation est un droit."


@pytest.mark.parametrize(
    "kind, wording, title, field",
    [
        ("replace", "", "", "wording"),
        ("replace", "Aucun   outil sans formation.\nLa formation est un droit.", "", "wording"),  # identical
        ("add_after", "Un texte.", "Net", "title"),
        ("move", "x", "", "kind"),
    ],
)
def test_bad_amendments_are_refused_with_their_field(kind, wording, title, field):
    _m, draft, uid, _e, [(t1, o1), _other] = open_draft()
    with pytest.raises(ActionRefused) as refused:
        amendments.propose(o1, t1, draft, uid, kind, wording, "Une justification assez longue.", utcnow(), title=title)
    assert refused.value.field == field
    with pytest.raises(ActionRefused) as refused:
        amendments.propose(o1, t1, draft, uid, "delete", "", "court", utcnow())
    assert refused.value.field == "justification"


def test_a_closed_draft_or_a_published_version_refuses_amendments_with_409():
    manifesto, draft, uid, _e, [(t1, o1), _other] = open_draft()
    amendments.close_amendments(draft)
    with pytest.raises(ActionRefused, match="pas ouvert") as refused:
        amendments.propose(o1, t1, draft, uid, "delete", "", "Ce point est redondant avec un autre.", utcnow())
    assert refused.value.status == 409
    published = services.latest_published(manifesto)
    with pytest.raises(ActionRefused, match="publiée") as refused:
        amendments.propose(o1, t1, published, uid, "delete", "", "Ce point est redondant avec un autre.", utcnow())
    assert refused.value.status == 409
    with pytest.raises(ActionRefused):
        amendments.open_amendments(published)


def test_other_territories_cosign_once_each_but_not_the_proposing_one():
    _m, draft, uid, _e, [(t1, o1), (t2, o2)] = open_draft()
    amendment = propose(draft, uid, t1, o1)
    assert amendments.cosign(o2, t2, amendment, utcnow()) is True
    assert amendments.cosign(make_user("organiser", t2), t2, amendment, utcnow()) is False
    db.session.commit()
    assert [c.territory.name for c in amendment.cosignatures] == ["Trois Rivières"]
    with pytest.raises(ActionRefused, match="déjà proposé") as refused:
        amendments.cosign(o1, t1, amendment, utcnow())
    assert refused.value.status == 409
    # The database holds one signature per territory, whatever the code does.
    db.session.add(AmendmentCosignature(amendment_id=amendment.id, territory_id=t2.id, signed_at=utcnow()))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert amendments.withdraw_cosignature(t2, amendment) is True
    db.session.commit()
    assert amendment.cosignatures == []


def test_accepting_applies_the_wording_to_the_draft_and_the_territories_hear_of_it():
    _m, draft, uid, editor, [(t1, o1), (t2, o2)] = open_draft()
    o1.notify_by_email = True
    amendment = propose(draft, uid, t1, o1)
    amendments.cosign(o2, t2, amendment, utcnow())
    amendments.answer(editor, amendment, "accepted", "", utcnow())
    db.session.commit()
    assert amendments.draft_point(draft, uid).body == NEW_WORDING
    assert amendment.result_uid == uid
    told = db.session.scalars(select(Notification).where(Notification.kind == "manifesto_amendment")).all()
    assert sorted(n.user_id for n in told) == sorted([o1.id, o2.id])
    assert "amendement n° 1 de Saint-Aubin-des-Prés" in told[0].message and told[0].url.endswith("#amendement-1")
    # o1 asked for emails: one waits in the outbox, sent after the commit.
    assert db.session.scalar(select(OutboxMessage.recipient).where(OutboxMessage.recipient == o1.email))
    with pytest.raises(ActionRefused, match="déjà reçu") as refused:
        amendments.answer(editor, amendment, "rejected", "Trop tard.", utcnow())
    assert refused.value.status == 409


def test_accepted_with_changes_uses_the_editors_wording_and_a_rejection_needs_a_reason():
    _m, draft, uid, editor, [(t1, o1), (t2, o2)] = open_draft()
    changed = propose(draft, uid, t1, o1)
    rejected = propose(draft, uid, t2, o2, kind="delete", wording="")
    with pytest.raises(ActionRefused) as refused:
        amendments.answer(editor, changed, "accepted_changed", "", utcnow())
    assert refused.value.field == "changed_wording"
    amendments.answer(editor, changed, "accepted_changed", "Fusionné.", utcnow(), changed_wording="Former d’abord.")
    with pytest.raises(ActionRefused) as refused:
        amendments.answer(editor, rejected, "rejected", "", utcnow())
    assert refused.value.field == "reason"
    # A second rewriting of the same point cannot enter the text beside the first.
    with pytest.raises(ActionRefused, match="n° 1"):
        amendments.answer(editor, rejected, "accepted", "", utcnow())
    amendments.answer(editor, rejected, "rejected", "Le point reste nécessaire.", utcnow())
    db.session.commit()
    assert amendments.draft_point(draft, uid).body == "Former d’abord."
    assert (changed.status, rejected.status) == ("accepted_changed", "rejected")


def test_a_new_point_comes_right_after_the_amended_one_and_a_deletion_removes_the_point():
    manifesto, draft, uid, editor, [(t1, o1), (t2, o2)] = open_draft()
    follower = services.add_point(draft, "Former d’abord", "Un point qui suivait", "Texte.")
    addition = propose(draft, uid, t1, o1, kind="add_after", wording="Un tutorat entre agents.", title="Le tutorat")
    deletion = propose(draft, follower.uid, t2, o2, kind="delete", wording="")
    count = amendments.answer_many(editor, draft, [addition.number, deletion.number], "accepted", "", utcnow())
    db.session.commit()
    assert count == 2
    db.session.expire_all()
    draft = services.draft_of(manifesto)
    assert [p.title for p in draft.points] == ["Former les agents avant d’équiper", "Le tutorat"]
    assert addition.result_uid == draft.points[1].uid and deletion.result_uid is None


def test_bulk_answers_refuse_foreign_numbers_and_changes():
    _m, draft, uid, editor, [(t1, o1), _other] = open_draft()
    amendment = propose(draft, uid, t1, o1)
    with pytest.raises(ActionRefused, match="n’appartiennent pas"):
        amendments.answer_many(editor, draft, [amendment.number, 99], "rejected", "Non.", utcnow())
    with pytest.raises(ActionRefused, match="amendement par amendement"):
        amendments.answer_many(editor, draft, [amendment.number], "accepted_changed", "", utcnow())
    assert amendment.status == "pending"


def test_publication_waits_for_every_answer_then_the_provenance_names_the_territories():
    manifesto, draft, uid, editor, [(t1, o1), (t2, o2)] = open_draft()
    amendment = propose(draft, uid, t1, o1)
    amendments.cosign(o2, t2, amendment, utcnow())
    db.session.commit()
    with pytest.raises(ActionRefused, match="1 amendement des territoires") as refused:
        services.publish(editor, draft, utcnow(), "Version amendée par les territoires.")
    assert refused.value.status == 409
    amendments.answer(editor, amendment, "accepted", "Bienvenu.", utcnow())
    services.publish(editor, draft, utcnow(), "Version amendée par les territoires.")
    db.session.commit()
    assert draft.amendments_open is False
    [link] = provenance.amendment_links(draft)[uid]
    assert link.label == ("amendé par Saint-Aubin-des-Prés (amendement n° 1, version 2), cosigné par Trois Rivières")
    assert link.url.endswith("/versions/2/amendements#amendement-1")
    # The citizens' chain is still there beside it.
    [source] = provenance.chain(amendments.draft_point(draft, uid))
    assert source.proposals
    change = versions.compare(services.version_of(manifesto, 1), draft).of("changed")[0]
    assert [a.label for a in change.amendments] == [link.label]
    # The open data names the territories, never the people.
    exported = open_data.document(draft)
    [row] = exported["amendments"]
    assert (row["territory"], row["cosigned_by"], row["status"]) == (
        "Saint-Aubin-des-Prés",
        ["Trois Rivières"],
        "accepted",
    )
    text = open_data.as_json(draft).decode()
    for person in (o1, o2, editor):
        assert person.email not in text and person.pseudonym not in text


def test_a_rejected_amendment_leaves_no_provenance():
    _m, draft, uid, editor, [(t1, o1), _other] = open_draft()
    amendment = propose(draft, uid, t1, o1)
    amendments.answer(editor, amendment, "rejected", "Le texte actuel suffit.", utcnow())
    services.publish(editor, draft, utcnow(), "Rien ne change.")
    db.session.commit()
    assert provenance.amendment_links(draft) == {}
    assert open_data.document(draft)["amendments"] == []


def test_the_printed_manifesto_names_the_territories_that_amended_a_point(app):
    """The PDF and the ODT carry the amendment's provenance as a note of the point, as its page does."""
    from concertation.manifesto.exports import document, odt, pdf
    from tests.documents import odt_text, pdf_text

    manifesto, draft, uid, editor, [(t1, o1), (t2, o2)] = open_draft()
    amendment = propose(draft, uid, t1, o1)
    amendments.cosign(o2, t2, amendment, utcnow())
    amendments.answer(editor, amendment, "accepted", "Bienvenu.", utcnow())
    services.publish(editor, draft, utcnow(), "Version amendée par les territoires.")
    db.session.commit()
    with app.test_request_context():
        printed = document.prepare(draft, base_url="https://concertation.example")
        expected = "Amendé par Saint-Aubin-des-Prés (amendement n° 1, version 2), cosigné par Trois Rivières"
        assert any(expected in text for _n, text in printed.notes), printed.notes
        for text in (pdf_text(pdf.render(printed)), odt_text(odt.render(printed))):
            flat = " ".join(text.split())
            assert expected in flat
            assert "/versions/2/amendements#amendement-1" in flat.replace(" ", "")  # the address may wrap
            for person in (o1, o2, editor):
                assert person.pseudonym not in flat


def test_a_person_s_data_download_holds_the_amendments_cosignatures_and_answers_they_made():
    from concertation.accounts.personal_data import export_data

    _m, draft, uid, editor, [(t1, o1), (t2, o2)] = open_draft()
    amendment = propose(draft, uid, t1, o1)
    amendments.cosign(o2, t2, amendment, utcnow())
    amendments.answer(editor, amendment, "rejected", "Déjà couvert par le point suivant.", utcnow())
    db.session.commit()
    proposed = export_data(o1)["manifesto"]["amendments"]
    assert [(a["number"], a["territory"], a["wording"], a["status"]) for a in proposed] == [
        (1, "Saint-Aubin-des-Prés", NEW_WORDING, "rejected")
    ]
    assert export_data(o2)["manifesto"]["cosignatures"][0]["territory"] == "Trois Rivières"
    assert export_data(editor)["manifesto"]["amendments_answered"][0]["answer"] == "Déjà couvert par le point suivant."
    # Nothing of it in the download of someone else.
    assert export_data(make_user())["manifesto"] == {
        "amendments": [],
        "amendments_answered": [],
        "cosignatures": [],
        "endorsements": [],
        "suggestions": [],
    }
