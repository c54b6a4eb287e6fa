from datetime import timedelta

from concertation.db import utcnow
from concertation.synthesis import figures
from tests.factories import (
    make_comment_row,
    make_consultation,
    make_grade,
    make_proposal_row,
    make_support,
    make_territory,
    make_user,
)


def test_participants_are_distinct_people_who_contributed_or_voted_agents_apart():
    territory = make_territory(population=1000)
    consultation = make_consultation("vote", territory=territory)
    formation, accueil = consultation.themes
    agent = make_user("agent", territory)
    citizen, voter = make_user(), make_user()
    p1 = make_proposal_row(consultation, author=citizen, theme=formation)
    p2 = make_proposal_row(consultation, author=agent, theme=accueil)
    make_support(p1, voter)
    make_support(p1, agent)
    make_support(p2, citizen)
    make_comment_row(consultation, p1, author=voter)
    hidden = make_proposal_row(consultation, moderation="hidden")
    make_support(hidden, make_user())  # a vote on hidden content does not count
    make_comment_row(consultation, p1, moderation="hidden")

    f = figures.consultation_figures(consultation)
    assert (f["participants"], f["agents"], f["citizens"]) == (3, 1, 2)
    assert (f["proposals"], f["comments"], f["contributions"], f["votes"], f["voters"]) == (2, 1, 3, 3, 3)
    assert f["population_share"] == 0.3
    by_theme = {row["theme"]: row for row in f["by_theme"]}
    assert by_theme["Formation"] == {
        "theme_id": formation.id,
        "theme": "Formation",
        "proposals": 1,
        "comments": 1,
        "votes": 2,
    }
    assert by_theme["Accueil"]["votes"] == 1


def test_weeks_start_on_monday():
    consultation = make_consultation("vote")
    monday = (utcnow() - timedelta(days=30)).replace(hour=12)
    monday -= timedelta(days=monday.weekday())
    make_proposal_row(consultation, created_at=monday)
    make_proposal_row(consultation, created_at=monday + timedelta(days=6, hours=10))  # Sunday, same week
    make_proposal_row(consultation, created_at=monday + timedelta(days=7))  # next Monday
    weeks = figures.consultation_figures(consultation)["by_week"]
    assert [(w["week"], w["proposals"]) for w in weeks] == [
        (monday.date().isoformat(), 2),
        ((monday + timedelta(days=7)).date().isoformat(), 1),
    ]


def test_majority_mention_is_the_lower_median_in_sql():
    consultation = make_consultation("vote", voting_method="majority")
    p = make_proposal_row(consultation)
    for mention in (1, 2, 4, 5):
        make_grade(p, mention)
    q = make_proposal_row(consultation)
    for mention in (5, 5, 0):
        make_grade(q, mention)
    empty = make_proposal_row(consultation)
    summaries = figures.vote_summaries(consultation, [p.id, q.id, empty.id])
    assert summaries[p.id] == {"support_count": 0, "grade_count": 4, "majority_mention": 2}
    assert summaries[q.id]["majority_mention"] == 5
    assert summaries[empty.id]["majority_mention"] is None
    assert figures.consultation_figures(consultation)["votes"] == 7


def test_population_unknown_gives_no_share():
    consultation = make_consultation("vote")
    make_proposal_row(consultation)
    assert figures.consultation_figures(consultation)["population_share"] is None
