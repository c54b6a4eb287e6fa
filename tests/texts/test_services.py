"""Participatory texts, without HTTP: import, amendments, supports, answers, the adopted version."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.notifications.models import Notification
from concertation.texts import services
from concertation.texts.diff import diff_html, word_diff
from concertation.texts.models import AmendmentSupport
from tests.factories import make_consultation, make_user, when_open
from tests.texts.scene import CHARTER, make_amendment, make_text, paragraph


def test_markdown_headings_become_chapters_and_blocks_numbered_paragraphs(app):
    chapters = services.parse_markdown(CHARTER)
    assert [c.title for c in chapters] == ["", "Principes", "Données"]
    assert [len(c.paragraphs) for c in chapters] == [1, 2, 1]
    # Lines without a blank line between them stay one paragraph.
    assert chapters[2].paragraphs[0].count("\n") == 1

    text = make_text(status="draft")
    numbers = [(p.chapter.title, p.number) for p in services.paragraphs_of(text)]
    assert numbers == [("", 1), ("Principes", 2), ("Principes", 3), ("Données", 4)]
    assert text.status == "draft"


def test_an_empty_or_headings_only_text_is_refused(app):
    consultation = make_consultation()
    organiser = make_user("organiser", consultation.territory)
    for source in ("", "# Seulement un titre\n\n## Et un autre"):
        with pytest.raises(ActionRefused) as refused:
            services.import_text(organiser, consultation, "Charte", source, utcnow())
        assert refused.value.field == "source"
    with pytest.raises(ActionRefused):
        services.import_text(organiser, consultation, "  ", CHARTER, utcnow())


def test_a_draft_is_imported_again_until_it_is_opened(app):
    text = make_text(status="draft")
    services.reimport_text(text, "Charte corrigée", "# Un\n\nSeul paragraphe.")
    db.session.commit()
    assert [p.body for p in services.paragraphs_of(text)] == ["Seul paragraphe."]
    services.open_text(text, utcnow())
    with pytest.raises(ActionRefused):
        services.reimport_text(text, "Charte", CHARTER)
    with pytest.raises(ActionRefused):
        services.open_text(text, utcnow())


def test_word_diff_marks_what_went_and_what_came():
    segments = word_diff("Les agents utilisent l’IA.", "Les agents formés utilisent l’IA générative.")
    assert [(s.kind, s.text) for s in segments] == [
        ("kept", "Les agents"),
        ("inserted", "formés"),
        ("kept", "utilisent"),
        ("deleted", "l’IA."),
        ("inserted", "l’IA générative."),
    ]


def test_the_rendered_diff_says_added_and_deleted_to_a_screen_reader_and_escapes(app):
    html = str(diff_html("un <b>texte</b>", "un texte"))
    assert '<del><span class="visually-hidden">supprimé\u00a0: </span>&lt;b&gt;texte&lt;/b&gt;</del>' in html
    assert '<ins><span class="visually-hidden">ajouté\u00a0: </span>texte</ins>' in html
    assert "<b>" not in html


def test_a_participant_proposes_each_kind_of_amendment(app):
    text = make_text()
    author = make_user()
    now = when_open(text.consultation, "amend")
    replace = services.propose_amendment(author, paragraph(text, 2), "replace", "L’IA aide.", "Plus court.", now)
    delete = services.propose_amendment(author, paragraph(text, 3), "delete", "ignoré", "Inutile.", now)
    add = services.propose_amendment(author, paragraph(text, 3), "add_after", "Un nouveau.", "Manque.", now)
    db.session.commit()
    assert (replace.status, delete.wording, add.kind) == ("pending", "", "add_after")


@pytest.mark.parametrize(
    ("kind", "wording", "justification", "field"),
    [
        ("rewrite", "Autre chose.", "Parce que.", "kind"),
        ("replace", "", "Parce que.", "wording"),
        ("replace", "L’IA aide les agents,   elle ne les remplace pas.", "Parce que.", "wording"),
        ("add_after", "Un ajout.", "", "justification"),
        ("replace", "x" * 3001, "Parce que.", "wording"),
    ],
)
def test_an_amendment_that_breaks_a_rule_is_refused_next_to_its_field(app, kind, wording, justification, field):
    text = make_text()
    with pytest.raises(ActionRefused) as refused:
        services.propose_amendment(
            make_user(), paragraph(text, 2), kind, wording, justification, when_open(text.consultation, "amend")
        )
    assert refused.value.field == field


def test_amendments_only_while_the_text_is_open_and_the_proposals_phase_runs(app):
    draft = make_text(status="draft")
    with pytest.raises(ActionRefused):
        services.propose_amendment(make_user(), paragraph(draft, 1), "delete", "", "Non.", utcnow())
    voting = make_text(make_consultation("vote"))
    with pytest.raises(ActionRefused) as refused:
        services.propose_amendment(make_user(), paragraph(voting, 1), "delete", "", "Non.", utcnow())
    assert refused.value.status == 403


def test_the_same_amendment_twice_is_refused(app):
    text = make_text()
    author = make_user()
    make_amendment(text, author=author, wording="Une rédaction.")
    with pytest.raises(ActionRefused) as refused:
        make_amendment(text, author=author, wording="  une   RÉDACTION. ")
    assert refused.value.status == 409


def test_one_support_per_person_held_by_the_database(app):
    text = make_text()
    amendment = make_amendment(text)
    supporter = make_user()
    now = when_open(text.consultation, "support_amendment")
    assert services.support(supporter, amendment, now) is True
    assert services.support(supporter, amendment, now) is False
    db.session.commit()
    assert amendment.support_count == 1
    db.session.add(AmendmentSupport(amendment_id=amendment.id, user_id=supporter.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert services.withdraw_support(supporter, amendment, now) is True
    db.session.commit()
    assert amendment.support_count == 0


def test_nobody_supports_their_own_amendment_nor_an_answered_one(app):
    text = make_text()
    author = make_user()
    amendment = make_amendment(text, author=author)
    now = when_open(text.consultation, "support_amendment")
    with pytest.raises(ActionRefused):
        services.support(author, amendment, now)
    services.answer_amendment(make_user("organiser", text.consultation.territory), amendment, "rejected", "Non.", now)
    with pytest.raises(ActionRefused):
        services.support(make_user(), amendment, now)


def test_a_rejection_needs_a_reason_and_the_author_hears_of_the_answer(app):
    text = make_text()
    amendment = make_amendment(text)
    organiser = make_user("organiser", text.consultation.territory)
    with pytest.raises(ActionRefused) as refused:
        services.answer_amendment(organiser, amendment, "rejected", "  ", utcnow())
    assert refused.value.field == "reason"
    services.answer_amendment(organiser, amendment, "rejected", "Hors sujet.", utcnow())
    db.session.commit()
    [notification] = db.session.scalars(select(Notification).where(Notification.user_id == amendment.author_id))
    assert "Rejeté" in notification.message
    assert notification.url == f"/textes/paragraphes/{amendment.paragraph_id}#amendement-{amendment.id}"


def test_accepting_with_changes_needs_the_wording_and_not_for_a_deletion(app):
    text = make_text()
    organiser = make_user("organiser", text.consultation.territory)
    amendment = make_amendment(text)
    with pytest.raises(ActionRefused) as refused:
        services.answer_amendment(organiser, amendment, "accepted_changed", "", utcnow())
    assert refused.value.field == "changed_wording"
    deletion = make_amendment(text, 3, kind="delete")
    with pytest.raises(ActionRefused):
        services.answer_amendment(organiser, deletion, "accepted_changed", "", utcnow(), changed_wording="Autre.")


def test_two_rewritings_of_one_paragraph_cannot_both_be_accepted(app):
    text = make_text()
    organiser = make_user("organiser", text.consultation.territory)
    first, second = make_amendment(text, wording="Première."), make_amendment(text, wording="Seconde.")
    services.answer_amendment(organiser, first, "accepted", "", utcnow())
    with pytest.raises(ActionRefused):
        services.answer_amendment(organiser, second, "accepted", "", utcnow())


def test_answering_in_bulk_answers_each_and_tells_each_author(app):
    text = make_text()
    organiser = make_user("organiser", text.consultation.territory)
    amendments = [make_amendment(text, 1, kind="add_after", wording=f"Ajout {n}.") for n in range(3)]
    other_text = make_text()
    foreign = make_amendment(other_text)
    with pytest.raises(ActionRefused):
        services.answer_many(organiser, text, [amendments[0].id, foreign.id], "rejected", "Non.", utcnow())
    with pytest.raises(ActionRefused):
        services.answer_many(organiser, text, [a.id for a in amendments], "rejected", "", utcnow())
    db.session.rollback()
    assert services.answer_many(organiser, text, [a.id for a in amendments], "rejected", "Déjà dit.", utcnow()) == 3
    db.session.commit()
    assert {a.status for a in amendments} == {"rejected"}
    assert db.session.scalar(select(db.func.count(Notification.id))) == 3


def test_publishing_applies_accepted_amendments_and_records_where_each_change_came_from(app):
    text = make_text()
    organiser = make_user("organiser", text.consultation.territory)
    alice, bob = make_user(pseudonym="Alice"), make_user(pseudonym="Bob")
    rewrite = make_amendment(text, 2, author=alice, wording="L’IA aide les agents formés.")
    deletion = make_amendment(text, 3, author=bob, kind="delete")
    addition = make_amendment(text, 3, author=bob, kind="add_after", wording="Un comité suit les outils.")
    rejected = make_amendment(text, 4, wording="Tout est permis.")
    now = when_open(text.consultation, "support_amendment")
    for _ in range(2):
        services.support(make_user(), rewrite, now)
    services.answer_amendment(organiser, rewrite, "accepted_changed", "Précisé.", now, changed_wording="L’IA aide.")
    services.answer_amendment(organiser, deletion, "accepted", "", now)
    services.answer_amendment(organiser, addition, "accepted", "", now)
    services.answer_amendment(organiser, rejected, "rejected", "Contraire au RGPD.", now)
    version = services.publish_version(organiser, text, now + timedelta(minutes=1))
    db.session.commit()

    rows = [(p.number, p.draft_number, p.change, p.body) for p in version.paragraphs]
    assert rows == [
        (1, 1, "kept", paragraph(text, 1).body),
        (2, 2, "changed", "L’IA aide."),
        (None, 3, "deleted", ""),
        (3, None, "added", "Un comité suit les outils."),
        (4, 4, "kept", paragraph(text, 4).body),
    ]
    changed = version.paragraphs[1]
    assert [(s.amendment.author.public_name, s.support_count) for s in changed.sources] == [("Alice", 2)]
    assert changed.draft_body == paragraph(text, 2).body
    assert text.status == "adopted"
    with pytest.raises(ActionRefused):
        services.publish_version(organiser, text, now)


def test_no_adoption_while_amendments_await_their_answer(app):
    text = make_text()
    make_amendment(text)
    with pytest.raises(ActionRefused) as refused:
        services.publish_version(make_user("organiser", text.consultation.territory), text, utcnow())
    assert "1" in refused.value.message


def test_a_person_s_data_holds_their_amendments_and_deletion_unlinks_their_supports(app):
    from concertation.accounts import personal_data

    text = make_text()
    author, supporter = make_user(), make_user()
    amendment = make_amendment(text, author=author)
    services.support(supporter, amendment, when_open(text.consultation, "support_amendment"))
    db.session.commit()
    data = personal_data.export_data(author)
    assert [(a["paragraph"], a["kind"]) for a in data["amendments"]] == [(2, "replace")]
    assert [s["amendment_id"] for s in personal_data.export_data(supporter)["amendment_supports"]] == [amendment.id]
    personal_data.delete_account(supporter, utcnow())
    personal_data.delete_account(author, utcnow())
    db.session.commit()
    [kept] = db.session.scalars(select(AmendmentSupport)).all()
    assert kept.user_id is None and amendment.support_count == 1
    assert amendment.author.public_name == "Participant·e supprimé·e"
