"""Proposal services, without HTTP: writing, editing, withdrawing, listing and searching."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.notifications.models import Follow
from concertation.proposals import search, services
from concertation.proposals.services import ProposalFilters
from concertation.voting.models import Grade, Support
from tests.factories import make_consultation, make_proposal, make_user


def test_submitting_stores_sanitised_html_folded_search_text_and_follows(app):
    consultation = make_consultation("proposals")
    author = make_user()
    proposal = services.submit_proposal(
        author,
        consultation,
        "Protéger les DONNÉES des usagers",
        "Un **hébergement** en France <script>alert(1)</script>",
        consultation.themes[0].id,
        utcnow(),
    )
    db.session.commit()
    assert "<strong>hébergement</strong>" in proposal.body_html and "<script" not in proposal.body_html
    assert proposal.search_text.startswith("proteger les donnees des usagers")
    assert db.session.scalar(select(Follow).where(Follow.proposal_id == proposal.id, Follow.user_id == author.id))


@pytest.mark.parametrize(
    "title, body, theme, field",
    [
        ("Court", "Un texte.", "first", "title"),
        ("x" * 151, "Un texte.", "first", "title"),
        ("Un titre assez long", "", "first", "body"),
        ("Un titre assez long", "x" * 5001, "first", "body"),
        ("Un titre assez long", "Un texte.", None, "theme"),
        ("Un titre assez long", "Un texte.", 999_999, "theme"),
    ],
)
def test_drafts_that_break_a_rule_are_refused_next_to_their_field(app, title, body, theme, field):
    consultation = make_consultation("proposals")
    theme_id = consultation.themes[0].id if theme == "first" else theme
    with pytest.raises(ActionRefused) as refused:
        services.submit_proposal(make_user(), consultation, title, body, theme_id, utcnow())
    assert refused.value.field == field


def test_a_theme_of_another_consultation_is_refused(app):
    other = make_consultation("proposals")
    consultation = make_consultation("proposals")
    with pytest.raises(ActionRefused):
        services.check_draft(consultation, "Un titre assez long", "Texte", other.themes[0].id)


def test_editing_updates_text_and_marks_it_edited(app):
    proposal = make_proposal()
    services.update_proposal(proposal, "Un nouveau titre pour l’IA", "Nouveau *texte*", proposal.theme_id, utcnow())
    db.session.commit()
    assert proposal.edited_at is not None and "<em>texte</em>" in proposal.body_html
    assert "nouveau titre" in proposal.search_text


def test_editing_is_refused_after_the_first_support(app):
    proposal = make_proposal()
    db.session.add(Support(proposal_id=proposal.id, consultation_id=proposal.consultation_id, user_id=make_user().id))
    proposal.support_count = 1
    db.session.commit()
    assert services.has_votes(proposal)
    with pytest.raises(ActionRefused, match="votes"):
        services.update_proposal(proposal, "Un nouveau titre assez long", "Texte", proposal.theme_id, utcnow())


def test_editing_is_refused_after_the_first_grade(app):
    consultation = make_consultation("proposals", voting_method="majority")
    proposal = make_proposal(consultation)
    db.session.add(Grade(proposal_id=proposal.id, consultation_id=consultation.id, user_id=make_user().id, mention=4))
    db.session.commit()
    assert services.has_votes(proposal)


def test_withdrawing_keeps_the_proposal_and_only_once(app):
    proposal = make_proposal()
    services.withdraw_proposal(proposal, utcnow())
    db.session.commit()
    assert proposal.is_withdrawn
    with pytest.raises(ActionRefused):
        services.withdraw_proposal(proposal, utcnow())
    with pytest.raises(ActionRefused):
        services.update_proposal(proposal, "Un nouveau titre assez long", "Texte", proposal.theme_id, utcnow())


def _ids(page):
    return [p.id for p in page.items]


def test_the_list_hides_moderated_proposals_but_shows_the_author_their_pending_ones(app):
    consultation = make_consultation("proposals")
    author = make_user()
    visible = make_proposal(consultation)
    pending = make_proposal(consultation, author, moderation="pending")
    make_proposal(consultation, author, moderation="hidden")
    make_proposal(make_consultation("proposals"))  # another consultation
    public = services.list_proposals(consultation, None, ProposalFilters())
    assert _ids(public) == [visible.id] and public.total == 1
    mine = services.list_proposals(consultation, author, ProposalFilters(sort="recent"))
    assert set(_ids(mine)) == {visible.id, pending.id} and mine.total == 2


def test_filters_by_theme_answer_mine_and_supported(app):
    consultation = make_consultation("proposals")
    me = make_user()
    first, second = consultation.themes[0].id, consultation.themes[1].id
    a = make_proposal(consultation, me, theme_id=first)
    b = make_proposal(consultation, theme_id=second, answer="retained")
    c = make_proposal(consultation, theme_id=second)
    db.session.add(Support(proposal_id=c.id, consultation_id=consultation.id, user_id=me.id))
    db.session.commit()

    def ids(**kw):
        return set(_ids(services.list_proposals(consultation, me, ProposalFilters(**kw))))

    assert ids(theme_id=second) == {b.id, c.id}
    assert ids(answer="retained") == {b.id}
    assert ids(answer="none") == {a.id, c.id}
    assert ids(mine=True) == {a.id}
    assert ids(supported=True) == {c.id}
    assert services.unanswered_count(consultation) == 2


def test_sorts_by_supports_comments_and_date(app):
    consultation = make_consultation("proposals")
    now = utcnow()
    old = make_proposal(consultation, now=now - timedelta(days=2), support_count=5, comment_count=1)
    new = make_proposal(consultation, now=now, support_count=1, comment_count=7)
    assert _ids(services.list_proposals(consultation, None, ProposalFilters(sort="supports"))) == [old.id, new.id]
    assert _ids(services.list_proposals(consultation, None, ProposalFilters(sort="comments"))) == [new.id, old.id]
    assert _ids(services.list_proposals(consultation, None, ProposalFilters(sort="recent"))) == [new.id, old.id]


def test_the_random_order_is_stable_for_one_seed_and_paginates_without_overlap(app):
    consultation = make_consultation("proposals")
    made = [make_proposal(consultation).id for _ in range(12)]
    filters = ProposalFilters(sort="random")
    first = [
        _ids(services.list_proposals(consultation, None, filters, page, seed=42, per_page=5)) for page in (1, 2, 3)
    ]
    again = [
        _ids(services.list_proposals(consultation, None, filters, page, seed=42, per_page=5)) for page in (1, 2, 3)
    ]
    assert first == again
    flat = [i for page in first for i in page]
    assert sorted(flat) == sorted(made)
    orders = {
        tuple(_ids(services.list_proposals(consultation, None, filters, 1, seed=s, per_page=12)))
        for s in (1, 2, 3, 4, 5)
    }
    assert len(orders) == 5, "different visitors see different orders"


def test_full_text_search_folds_accents_and_case(app):
    consultation = make_consultation("proposals")
    data = make_proposal(consultation, title="Protéger les données personnelles", body="Hébergement souverain.")
    make_proposal(consultation, title="Former les agents d’accueil", body="Des ateliers pratiques.")
    for query in ("données", "DONNEES", "donn", "hebergement souverain"):
        page = services.list_proposals(consultation, None, ProposalFilters(q=query))
        assert _ids(page) == [data.id], query
    assert services.list_proposals(consultation, None, ProposalFilters(q="données ateliers")).total == 0


def test_search_survives_what_people_type(app):
    """Search syntax typed by people (FTS5 or tsquery operators) is read as words, never as syntax."""
    consultation = make_consultation("proposals")
    found = make_proposal(consultation, title="Former les agents à l’IA générative")
    for query in ('"', "*", "( & | ! )"):  # no word at all: the list is not filtered
        listed = services.list_proposals(consultation, None, ProposalFilters(q=query))
        assert [p.id for p in listed.items] == [found.id], query
        assert search.similar_proposals(consultation.id, query) == []
    for query in ("AND OR NOT", "NEAR(x y)", "a:b"):  # operators are words like any other: nothing matches
        assert services.list_proposals(consultation, None, ProposalFilters(q=query)).total == 0, query
        assert search.similar_proposals(consultation.id, query) == []
    for query in ("l'IA & (agents) | !", '"agents" générative*', "agents:former (IA)"):
        listed = services.list_proposals(consultation, None, ProposalFilters(q=query))
        assert [p.id for p in listed.items] == [found.id], query
        assert [p.id for p in search.similar_proposals(consultation.id, query)] == [found.id], query


def test_similar_proposals_come_from_the_same_consultation_best_first(app):
    consultation = make_consultation("proposals")
    close = make_proposal(
        consultation,
        title="Former les agents à l’intelligence artificielle",
        body="Des formations pour tous les agents.",
    )
    make_proposal(consultation, title="Réduire la consommation d’énergie des serveurs", body="Sobriété.")
    make_proposal(make_consultation("proposals"), title="Former les agents à l’intelligence artificielle")
    found = search.similar_proposals(consultation.id, "Formation des agents à l’IA : former d’abord")
    assert [p.id for p in found] == [close.id]
    assert search.similar_proposals(consultation.id, "les des") == []


def test_fold_removes_accents_and_ligatures():
    assert search.fold("Œuvre Élève ça") == "oeuvre eleve ca"
