"""Comment services, without HTTP: threads, counts, stances, corrections, deletion, bounded loading."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from concertation.comments import services
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from tests.factories import make_comment, make_consultation, make_proposal, make_user


def test_replies_thread_up_to_three_levels(app):
    proposal = make_proposal()
    first = make_comment(proposal)
    second = make_comment(parent=first)
    third = make_comment(parent=second)
    assert (first.depth, second.depth, third.depth) == (1, 2, 3)
    assert second.root_id == first.id and third.root_id == first.id and third.parent_id == second.id
    with pytest.raises(ActionRefused, match="troisième niveau"):
        services.add_comment(make_user(), proposal.consultation, "Encore", utcnow(), proposal=proposal, parent=third)


def test_a_reply_must_stay_in_its_discussion(app):
    proposal = make_proposal()
    elsewhere = make_comment(make_proposal())
    with pytest.raises(ActionRefused):
        services.add_comment(
            make_user(), proposal.consultation, "Réponse", utcnow(), proposal=proposal, parent=elsewhere
        )


def test_the_comment_count_is_kept_exact(app):
    proposal = make_proposal()
    first = make_comment(proposal)
    make_comment(parent=first)
    make_comment(proposal)
    db.session.refresh(proposal)
    assert proposal.comment_count == 3
    services.delete_comment(first, utcnow())
    db.session.commit()
    db.session.refresh(proposal)
    assert proposal.comment_count == 2
    with pytest.raises(ActionRefused):
        services.delete_comment(first, utcnow())


def test_deleting_keeps_the_replies_and_erases_the_text(app):
    first = make_comment(make_proposal(), body="Texte à effacer")
    reply = make_comment(parent=first)
    services.delete_comment(first, utcnow())
    db.session.commit()
    assert first.is_deleted and first.body == "" and first.body_html == ""
    thread = services.thread_page(1, proposal=first.proposal)
    assert thread.roots.items == [first] and thread.children(first) == [reply]


def test_a_comment_is_corrected_within_fifteen_minutes_only(app):
    comment = make_comment(make_proposal())
    services.edit_comment(comment, "Texte *corrigé*", comment.created_at + timedelta(minutes=10))
    assert comment.edited_at is not None and "<em>corrigé</em>" in comment.body_html
    with pytest.raises(ActionRefused, match="15 minutes"):
        services.edit_comment(comment, "Trop tard", comment.created_at + timedelta(minutes=16))


@pytest.mark.parametrize("body", ["", "   ", "x" * 3001])
def test_empty_or_long_comments_are_refused(app, body):
    proposal = make_proposal()
    with pytest.raises(ActionRefused) as refused:
        services.add_comment(make_user(), proposal.consultation, body, utcnow(), proposal=proposal)
    assert refused.value.field == "body"


def test_stances_are_summed_in_one_query_and_only_on_top_level_comments(app):
    proposal = make_proposal()
    first = make_comment(proposal, stance="for")
    make_comment(proposal, stance="for")
    make_comment(proposal, stance="against")
    reply = make_comment(parent=first, stance="against")
    assert reply.stance is None
    deleted = make_comment(proposal, stance="neutral")
    services.delete_comment(deleted, utcnow())
    db.session.commit()
    assert services.stance_summary(proposal) == {"for": 2, "against": 1, "neutral": 0}
    with pytest.raises(ActionRefused):
        services.add_comment(make_user(), proposal.consultation, "x", utcnow(), proposal=proposal, stance="peut-être")


def test_consultation_comments_are_apart_from_proposal_comments(app):
    consultation = make_consultation("proposals")
    general = make_comment(consultation=consultation, stance="for")
    make_comment(make_proposal(consultation))
    thread = services.thread_page(1, consultation=consultation)
    assert thread.roots.items == [general] and general.stance is None


def test_thread_pages_hold_top_level_comments_newest_first(app):
    proposal = make_proposal()
    now = utcnow()
    roots = [make_comment(proposal, now=now + timedelta(seconds=i)) for i in range(5)]
    page = services.thread_page(1, proposal=proposal, per_page=2)
    assert page.roots.items == [roots[4], roots[3]] and page.roots.total == 5 and page.roots.pages == 3


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __call__(self, *args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self)


def _discussion(roots: int, replies_per_root: int):
    proposal = make_proposal()
    consultation = proposal.consultation
    people = [make_user() for _ in range(4)]
    now = utcnow()
    for i in range(roots):
        root = services.add_comment(
            people[i % 4],
            consultation,
            f"Commentaire {i}",
            now,
            proposal=proposal,
            stance="for" if i % 2 else "against",
        )
        parent = root
        for j in range(replies_per_root):
            parent = services.add_comment(
                people[j % 4],
                consultation,
                f"Réponse {j}",
                now,
                proposal=proposal,
                parent=parent if parent.depth < 3 else root,
            )
    db.session.commit()
    return proposal


def test_opening_a_proposal_costs_the_same_queries_with_10_or_300_comments(client, app):
    small, large = _discussion(2, 4), _discussion(60, 4)
    assert large.comment_count == 300
    counts = []
    for proposal in (small, large):
        url = f"/propositions/{proposal.id}" + ("?page=2" if proposal is large else "")
        client.get(url)  # warm caches (templates, compiled statements)
        with StatementCounter(db.engine) as counter:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(counter.count)
    html = response.get_data(as_text=True)
    assert html.count('class="comment depth-') == 20 * 5, "one page: 20 threads with all their replies"
    assert counts[0] == counts[1], counts
    # The proposal and its consultation (5), the page of threads (count, roots, replies, their authors' roles: 5),
    # the stance summary (1).
    assert counts[1] <= 11, counts
