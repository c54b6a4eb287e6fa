import pytest
from sqlalchemy import func, select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.merging import merge_proposals
from concertation.synthesis import services, versions
from concertation.synthesis.models import RetainedProposalSnapshot
from tests.factories import make_comment_row, make_consultation, make_proposal_row, make_support, make_user


def scene(voting_method="support"):
    consultation = make_consultation("synthesis", voting_method=voting_method)
    organiser = db.session.get(type(make_user()), consultation.created_by_id)
    formation = consultation.themes[0]
    retained = make_proposal_row(
        consultation,
        title="Former tous les agents avant tout outil",
        theme=formation,
        answer="retained",
        answer_text="Plan de formation voté en conseil.",
    )
    other = make_proposal_row(consultation, title="Ateliers en médiathèque", answer="retained")
    refused = make_proposal_row(consultation, title="Un robot à l’accueil", answer="not_retained")
    for _ in range(3):
        make_support(retained)
    make_support(other)
    synthesis = services.start_synthesis(organiser, consultation)
    services.update_synthesis(
        synthesis,
        "Synthèse : former avant d’équiper",
        "Les habitants ont parlé.",
        {synthesis.sections[0].id: "Premier paragraphe.\n\nSecond paragraphe."},
    )
    db.session.commit()
    return consultation, organiser, synthesis, retained, other, refused


def test_draft_has_one_section_per_theme_and_renders_markdown_once():
    consultation, _o, synthesis, *_ = scene()
    assert [s.title for s in synthesis.sections] == [t.name for t in consultation.themes]
    assert synthesis.sections[0].body_html == "<p>Premier paragraphe.</p>\n<p>Second paragraphe.</p>"
    services.update_synthesis(synthesis, "Titre correct", "<script>alert(1)</script>**fort**", {})
    assert "<script>" not in synthesis.introduction_html and "<strong>fort</strong>" in synthesis.introduction_html


def test_only_proposals_answered_retained_can_be_put_forward():
    _c, _o, synthesis, retained, other, refused = scene()
    with pytest.raises(ActionRefused):
        services.set_retained(synthesis, [retained.id, refused.id])
    services.set_retained(synthesis, [other.id, retained.id])
    assert [r.proposal_id for r in synthesis.retained] == [other.id, retained.id]


def test_citations_point_at_visible_contributions_of_the_consultation_and_existing_paragraphs():
    consultation, _o, synthesis, retained, *_ = scene()
    section = synthesis.sections[0]
    comment = make_comment_row(consultation, retained, body="Oui, et former aussi les élus.")
    services.add_citation(section, "proposal", retained.id, 2)
    services.add_citation(section, "comment", comment.id, None)
    with pytest.raises(ActionRefused, match="paragraphe"):
        services.add_citation(section, "proposal", retained.id, 3)
    with pytest.raises(ActionRefused, match="déjà"):
        services.add_citation(section, "proposal", retained.id, 2)
    foreign = make_proposal_row(make_consultation("synthesis"))
    with pytest.raises(ActionRefused):
        services.add_citation(section, "proposal", foreign.id, None)
    hidden = make_comment_row(consultation, retained, moderation="hidden")
    with pytest.raises(ActionRefused):
        services.add_citation(section, "comment", hidden.id, None)


def test_publication_freezes_figures_and_retained_proposals():
    consultation, organiser, synthesis, retained, other, _r = scene()
    services.set_retained(synthesis, [retained.id])
    services.add_citation(synthesis.sections[0], "proposal", other.id, 1)
    version = services.publish(organiser, synthesis, utcnow())
    db.session.commit()
    frozen_figures = dict(version.figures)
    snapshot = version.retained[0]
    assert (snapshot.title, snapshot.support_count, snapshot.author_pseudonym) == (
        retained.title,
        3,
        retained.author.pseudonym,
    )
    assert version.sections[0]["citations"][0]["number"] == 1

    # Data moves afterwards: votes, an edited title, a deleted author.
    for _ in range(5):
        make_support(retained)
    retained.title = "Titre modifié après coup"
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(type(version), version.id)
    assert again.figures == frozen_figures
    assert again.retained[0].support_count == 3 and again.retained[0].title == "Former tous les agents avant tout outil"


def test_a_correction_is_a_new_version_and_the_difference_is_shown():
    consultation, organiser, synthesis, retained, other, _r = scene()
    services.set_retained(synthesis, [retained.id])
    first = services.publish(organiser, synthesis, utcnow())
    with pytest.raises(ActionRefused, match="corrige"):
        services.publish(organiser, synthesis, utcnow())
    services.update_synthesis(
        synthesis,
        synthesis.title,
        "Les habitants ont beaucoup parlé.",
        {synthesis.sections[0].id: "Premier paragraphe.\n\nSecond paragraphe, précisé."},
    )
    services.set_retained(synthesis, [other.id])
    make_support(other)
    second = services.publish(organiser, synthesis, utcnow(), "Précisions après relecture")
    db.session.commit()
    assert (first.number, second.number) == (1, 2)
    assert [v.number for v in services.published_versions(consultation)] == [2, 1]
    diff = versions.compare(first, second)
    assert [t.title for t in diff.changed_texts] == ["Introduction", synthesis.sections[0].title]
    assert ("+", "Second paragraphe, précisé.") in diff.changed_texts[1].lines
    assert ("-", "Second paragraphe.") in diff.changed_texts[1].lines
    assert diff.proposals_added == [other.title] and diff.proposals_removed == [retained.title]
    assert ("votes", 4, 5) in diff.figures_changed
    assert db.session.scalar(select(func.count(RetainedProposalSnapshot.id))) == 2


def test_an_empty_synthesis_cannot_be_published():
    consultation = make_consultation("synthesis")
    organiser = make_user()
    synthesis = services.start_synthesis(organiser, consultation)
    with pytest.raises(ActionRefused, match="vide"):
        services.publish(organiser, synthesis, utcnow())


def test_publication_refuses_citations_or_retained_proposals_no_longer_visible():
    consultation, organiser, synthesis, retained, other, _r = scene()
    services.add_citation(synthesis.sections[0], "proposal", other.id, None)
    other.moderation = "hidden"
    with pytest.raises(ActionRefused, match="plus visibles"):
        services.publish(organiser, synthesis, utcnow())
    services.remove_citation(synthesis.sections[0].citations[0])
    services.set_retained(synthesis, [retained.id])
    retained.answer = "under_study"
    with pytest.raises(ActionRefused, match="plus «\u00a0Retenue\u00a0»"):
        services.publish(organiser, synthesis, utcnow())


def test_saving_the_retained_selection_again_unchanged_or_reordered_keeps_it():
    _c, _o, synthesis, retained, other, _r = scene()
    services.set_retained(synthesis, [retained.id, other.id])
    db.session.commit()
    services.set_retained(synthesis, [retained.id, other.id])
    db.session.commit()
    services.set_retained(synthesis, [other.id, retained.id])
    db.session.commit()
    db.session.expire_all()
    assert [r.proposal_id for r in synthesis.retained] == [other.id, retained.id]


def test_merging_a_duplicate_carries_its_citations_and_retained_status_to_the_kept_proposal():
    consultation, organiser, synthesis, retained, other, _r = scene()
    kept = make_proposal_row(consultation, title="Former les agents d’abord")  # not answered yet
    section = synthesis.sections[0]
    services.add_citation(section, "proposal", retained.id, 1)
    services.add_citation(section, "proposal", kept.id, 2)
    services.set_retained(synthesis, [other.id, retained.id])
    db.session.commit()

    merge_proposals(organiser, retained, kept, utcnow())
    db.session.commit()
    db.session.expire_all()
    assert kept.answer == "retained" and kept.answer_text == "Plan de formation voté en conseil."
    assert [r.proposal_id for r in synthesis.retained] == [other.id, kept.id]
    assert sorted((c.proposal_id, c.paragraph) for c in section.citations) == [(kept.id, 1), (kept.id, 2)]
    version = services.publish(organiser, synthesis, utcnow())
    assert [r.proposal_id for r in version.retained] == [other.id, kept.id]


def test_merging_into_a_proposal_already_cited_and_retained_keeps_one_of_each():
    consultation, organiser, synthesis, retained, other, _r = scene()
    section = synthesis.sections[0]
    services.add_citation(section, "proposal", retained.id, None)
    services.add_citation(section, "proposal", other.id, None)
    services.set_retained(synthesis, [retained.id, other.id])
    db.session.commit()
    merge_proposals(organiser, other, retained, utcnow())
    db.session.commit()
    db.session.expire_all()
    assert [r.proposal_id for r in synthesis.retained] == [retained.id]
    assert [(c.proposal_id, c.paragraph) for c in section.citations] == [(retained.id, None)]
    services.publish(organiser, synthesis, utcnow())


def test_publication_names_every_problem_at_once():
    consultation, organiser, synthesis, retained, other, _r = scene()
    services.add_citation(synthesis.sections[0], "proposal", other.id, None)
    services.set_retained(synthesis, [retained.id])
    other.moderation = "hidden"
    retained.answer = "under_study"
    with pytest.raises(ActionRefused) as refused:
        services.publish(organiser, synthesis, utcnow())
    assert "plus visibles" in str(refused.value) and "plus «\u00a0Retenue\u00a0»" in str(refused.value)


def test_contributions_to_cite_are_found_by_words_of_their_title_or_text():
    from concertation.synthesis import citing

    consultation, _o, synthesis, retained, other, _r = scene()
    comment = make_comment_row(consultation, retained, body="Pensez aux médiathèques rurales.")
    hidden = make_proposal_row(consultation, title="Former en secret", moderation="hidden")
    make_proposal_row(make_consultation("synthesis"), title="Former ailleurs")
    found = citing.citable(consultation, "former")
    assert [(f.kind, f.id) for f in found] == [("proposal", retained.id)]
    assert [(f.kind, f.id) for f in citing.citable(consultation, "ATELIERS")] == [("proposal", other.id)]
    assert ("comment", comment.id) in [(f.kind, f.id) for f in citing.citable(consultation, "médiathèques rurales")]
    assert [(f.kind, f.id) for f in citing.citable(consultation, f"n° {other.id}")][0] == ("proposal", other.id)
    assert hidden.id not in [f.id for f in citing.citable(consultation, "secret")]
    assert citing.citable(consultation, "   ") == []
    assert citing.parse_choice(f"comment:{comment.id}") == ("comment", comment.id)
    assert citing.parse_choice("user:1") is None and citing.parse_choice("proposal:") is None
