"""Grading amendments when the consultation votes by majority judgment: one changeable mention per person."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.permissions import can
from concertation.texts import services
from concertation.texts.models import AmendmentGrade
from tests.factories import make_consultation, make_user
from tests.texts.scene import adopted_with_mentions, grades_change_later, make_amendment, make_text


def page(response) -> str:
    return response.get_data(as_text=True)


def _judged(phase: str = "vote", **kw):
    text = make_text(make_consultation(phase, voting_method="majority", **kw))
    return text, make_amendment(text)


def test_a_participant_grades_an_amendment_once_and_may_change_the_mention(app):
    text, amendment = _judged()
    judge = make_user()
    services.grade(judge, amendment, 4, utcnow())
    services.grade(judge, amendment, 1, utcnow())
    db.session.commit()
    assert db.session.scalar(select(func.count(AmendmentGrade.id))) == 1
    assert services.mentions_given(judge, [amendment.id]) == {amendment.id: 1}
    with pytest.raises(ActionRefused):
        services.grade(judge, amendment, 6, utcnow())
    with pytest.raises(ActionRefused):
        services.grade(amendment.author, amendment, 3, utcnow())


def test_supports_and_grades_follow_the_voting_method(app):
    text, amendment = _judged()
    user = make_user()
    assert can(user, "text.grade", amendment) and not can(user, "text.support", amendment)
    with pytest.raises(ActionRefused) as refused:
        services.support(user, amendment, utcnow())
    assert refused.value.status == 403
    supported_text = make_text(make_consultation("vote"))
    other = make_amendment(supported_text)
    assert can(user, "text.support", other) and not can(user, "text.grade", other)
    with pytest.raises(ActionRefused):
        services.grade(user, other, 3, utcnow())


def test_the_majority_mention_is_shown_only_when_counts_may_be_and_not_under_the_live_floor(app):
    text, amendment = _judged()
    for mention in (5, 4, 1):
        services.grade(make_user(), amendment, mention, utcnow())
    db.session.commit()
    assert services.judgments(text, [amendment.id], utcnow()) == {}  # the vote is open, results not live
    vote = text.consultation.phase("vote")
    after = vote.ends_at + timedelta(minutes=1)
    judgment = services.judgments(text, [amendment.id], after)[amendment.id]
    assert (judgment.judges, judgment.majority_mention) == (3, 4)

    text.consultation.results_live = True
    db.session.commit()
    live = services.judgments(text, [amendment.id], utcnow())[amendment.id]
    assert live.judges == 3 and live.majority_mention is None  # three judges: under the live floor


def test_grading_through_the_page(client, auth):
    text, amendment = _judged()
    auth.login(make_user())
    html = page(client.get(f"/textes/paragraphes/{amendment.paragraph_id}"))
    assert f"/textes/amendements/{amendment.id}/mention" in html and "Excellent" in html
    assert f"/textes/amendements/{amendment.id}/soutien" not in html
    response = client.post(f"/textes/amendements/{amendment.id}/mention", data={"mention": "5"})
    assert response.status_code == 302
    assert db.session.scalar(select(AmendmentGrade.mention)) == 5
    html = page(client.get(f"/textes/paragraphes/{amendment.paragraph_id}"))
    assert "Changer ma mention" in html and 'value="5" required checked' in html
    assert client.post(f"/textes/amendements/{amendment.id}/mention", data={"mention": "9"}).status_code == 422
    assert (
        client.post(f"/textes/amendements/{amendment.id}/mention", data={"mention": "2"}, csrf=False).status_code == 400
    )
    assert client.post("/textes/amendements/999999/mention", data={"mention": "2"}).status_code == 404


def test_no_grading_in_a_support_consultation_nor_after_the_vote(client, auth):
    supported = make_text(make_consultation("vote"))
    amendment = make_amendment(supported)
    auth.login(make_user())
    assert client.post(f"/textes/amendements/{amendment.id}/mention", data={"mention": "3"}).status_code == 403
    text, late = _judged("synthesis")
    assert client.post(f"/textes/amendements/{late.id}/mention", data={"mention": "3"}).status_code == 403
    assert "Enregistrer ma mention" not in page(client.get(f"/textes/paragraphes/{late.paragraph_id}"))


def test_a_persons_mentions_are_in_their_data_download_and_unlinked_when_the_account_is_deleted(app):
    from concertation.accounts.personal_data import delete_account, export_data

    text, amendment = _judged()
    judge = make_user()
    services.grade(judge, amendment, 4, utcnow())
    db.session.commit()
    assert export_data(judge)["amendment_grades"] == [
        {
            "amendment_id": amendment.id,
            "mention": 4,
            "updated_at": export_data(judge)["amendment_grades"][0]["updated_at"],
        }
    ]
    delete_account(judge, utcnow())
    db.session.commit()
    grade = db.session.scalar(select(AmendmentGrade))
    # The mention still counts, and no longer says whose it was.
    assert grade.mention == 4 and grade.user_id is None


def test_an_adopted_version_keeps_the_majority_mention_its_amendments_had_at_adoption(client, app):
    app.config["LIVE_RESULTS_MIN_JUDGES"] = 3
    text, amendment, version = adopted_with_mentions(results_live=True)
    [source] = [s for p in version.paragraphs for s in p.sources]
    assert (source.judges, source.majority_mention) == (5, 4)
    grades_change_later(amendment)
    assert services.judgments(text, [amendment.id], utcnow())[amendment.id].majority_mention == 0

    html = page(client.get(f"/textes/versions/{version.id}"))
    assert "Mention majoritaire" in html and "Très bien" in html and "5 évaluations" in html
    assert "À rejeter" not in html
    app.config["LIVE_RESULTS_MIN_JUDGES"] = 6  # under the live floor: the number of judges, not the mention
    [judgment] = services.version_judgments(version, utcnow()).values()
    assert (judgment.judges, judgment.majority_mention) == (5, None)


def test_the_frozen_mention_is_shown_only_once_counts_may_be(client):
    text, amendment, version = adopted_with_mentions(results_live=False)
    assert services.version_judgments(version, utcnow()) == {}  # the vote is open and its results are not live
    html = page(client.get(f"/textes/versions/{version.id}"))
    assert "Mention majoritaire" not in html and "évaluations" not in html
    grades_change_later(amendment)
    after = text.consultation.phase("vote").ends_at + timedelta(minutes=1)
    [judgment] = services.version_judgments(version, after).values()
    assert (judgment.judges, judgment.majority_mention) == (5, 4)
