"""Proposals, comments, syntheses and the manifesto in the open API: public data only, votes secret until public."""

from concertation.db import utcnow
from concertation.extensions import db
from concertation.moderation.services import hide
from tests.queries import statements_for
from tests.factories import (
    make_comment,
    make_comment_row,
    make_consultation,
    make_grade,
    make_proposal,
    make_proposal_row,
    make_support,
    make_territory,
    make_user,
)
from tests.manifesto.scene import manifesto_with_point, published_synthesis


def data(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_proposals_are_visible_ones_in_id_order_with_pseudonyms_only(client):
    consultation = make_consultation("vote")
    author = make_user(pseudonym="Camille")
    shown = make_proposal_row(consultation, author=author, theme=consultation.themes[0])
    make_proposal_row(consultation, moderation="hidden")
    make_proposal_row(consultation, moderation="pending")
    withdrawn = make_proposal_row(consultation, withdrawn_at=utcnow())
    body = data(client, f"/api/v1/consultations/{consultation.id}/proposals")
    assert [p["id"] for p in body["data"]] == [shown.id, withdrawn.id]
    assert body["data"][0]["author"] == "Camille" and body["data"][0]["theme"]["name"] == "Formation"
    assert [p["withdrawn"] for p in body["data"]] == [False, True]
    assert author.email not in str(body)


def test_filters_by_theme_and_answer(client):
    consultation = make_consultation("vote")
    first, second = consultation.themes
    retained = make_proposal_row(consultation, theme=first, answer="retained")
    unanswered = make_proposal_row(consultation, theme=second)
    url = f"/api/v1/consultations/{consultation.id}/proposals"
    assert [p["id"] for p in data(client, f"{url}?theme={second.id}")["data"]] == [unanswered.id]
    assert [p["id"] for p in data(client, f"{url}?answer=retained")["data"]] == [retained.id]
    assert [p["id"] for p in data(client, f"{url}?answer=none")["data"]] == [unanswered.id]
    bad = client.get(f"{url}?answer=peut-etre")
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert "answer" in bad.get_json()["detail"]


def test_support_counts_stay_secret_until_results_are_public(client):
    secret = make_consultation("vote")
    proposal = make_proposal_row(secret)
    make_support(proposal)
    item = data(client, f"/api/v1/consultations/{secret.id}/proposals")["data"][0]
    assert item["results_public"] is False and item["results"] is None
    assert "support_count" not in str(data(client, f"/api/v1/proposals/{proposal.id}"))
    public = make_consultation("synthesis")
    counted = make_proposal_row(public)
    make_support(counted)
    make_support(counted)
    item = data(client, f"/api/v1/consultations/{public.id}/proposals")["data"][0]
    assert item["results_public"] is True and item["results"] == {"method": "support", "support_count": 2}


def test_majority_results_give_mention_judges_and_distribution(client):
    consultation = make_consultation("synthesis", voting_method="majority")
    proposal = make_proposal_row(consultation)
    for mention in (5, 4, 1):
        make_grade(proposal, mention)
    make_proposal_row(consultation)
    first, ungraded = data(client, f"/api/v1/consultations/{consultation.id}/proposals")["data"]
    result = first["results"]
    assert result["judges"] == 3 and result["majority_mention"] == 4 and result["majority_label"] == "Très bien"
    assert [d["count"] for d in result["distribution"]] == [0, 1, 0, 0, 1, 1]
    assert ungraded["results"]["judges"] == 0 and ungraded["results"]["majority_mention"] is None


def test_majority_results_are_secret_during_the_vote(client):
    consultation = make_consultation("vote", voting_method="majority")
    make_grade(make_proposal_row(consultation), 5)
    item = data(client, f"/api/v1/consultations/{consultation.id}/proposals")["data"][0]
    assert item["results"] is None and item["results_public"] is False


def test_comments_are_threaded_with_placeholders_for_hidden_and_deleted(client):
    from concertation.comments.services import delete_comment

    proposal = make_proposal()
    writer = make_user(pseudonym="Dominique")
    root = make_comment(proposal, author=writer, stance="for")
    reply = make_comment(parent=root)
    rude = make_comment(parent=reply, body="Texte insultant")
    gone = make_comment(proposal, body="Texte regretté")
    organiser = next(m.user for m in proposal.consultation.territory.memberships)
    hide(organiser, rude, "Propos injurieux", utcnow())
    delete_comment(gone, utcnow())
    db.session.commit()
    detail = data(client, f"/api/v1/proposals/{proposal.id}")["data"]
    assert detail["stances"] == {"for": 1, "against": 0, "neutral": 0}
    response = client.get(detail["comments_url"])
    threads = response.get_json()["data"]
    assert [t["id"] for t in threads] == [root.id, gone.id]
    assert threads[0]["author"] == "Dominique" and threads[0]["stance"] == "for"
    assert [(r["id"], r["parent_id"], r["depth"]) for r in threads[0]["replies"]] == [
        (reply.id, root.id, 2),
        (rude.id, reply.id, 3),
    ]
    placeholder = threads[0]["replies"][1]
    assert placeholder["hidden"] is True and placeholder["reason"] == "Propos injurieux"
    assert "body_html" not in placeholder and "author" not in placeholder
    assert threads[1]["deleted"] is True and "body_html" not in threads[1]
    text = response.get_data(as_text=True)
    assert "insultant" not in text and "regretté" not in text and writer.email not in text


def test_hidden_proposals_and_agents_only_content_are_not_found(client):
    hidden = make_proposal_row(make_consultation("vote"), moderation="hidden")
    assert client.get(f"/api/v1/proposals/{hidden.id}").status_code == 404
    agents = make_consultation("vote", audience="agents")
    secret = make_proposal_row(agents)
    assert client.get(f"/api/v1/consultations/{agents.id}/proposals").status_code == 404
    assert client.get(f"/api/v1/proposals/{secret.id}").status_code == 404
    assert client.get(f"/api/v1/proposals/{secret.id}/comments").status_code == 404


def test_published_syntheses_with_frozen_figures_and_retained_proposals(client):
    consultation, version, _organiser = published_synthesis(supports=3)
    published_synthesis()
    published_synthesis(audience="agents")
    listed = data(client, "/api/v1/syntheses")
    assert listed["meta"]["total"] == 2
    only = data(client, f"/api/v1/syntheses?territory={consultation.territory.slug}")["data"]
    assert [s["id"] for s in only] == [version.id]
    latest = data(client, f"/api/v1/consultations/{consultation.id}/synthesis")["data"]
    assert latest == data(client, only[0]["api_url"])["data"]
    assert latest["versions"] == [1] and latest["figures"]["proposals"] == 1
    assert latest["retained"][0]["support_count"] == 3 and latest["retained"][0]["title"] == version.retained[0].title
    assert client.get(f"/api/v1/consultations/{consultation.id}/synthesis/versions/2").status_code == 404


def test_agents_only_syntheses_are_not_found(client):
    consultation, _version, _organiser = published_synthesis(audience="agents")
    assert client.get(f"/api/v1/consultations/{consultation.id}/synthesis").status_code == 404
    assert client.get(f"/api/v1/consultations/{consultation.id}/synthesis/versions/1").status_code == 404


def test_manifesto_versions_points_sources_and_signatories_without_signers(client):
    from concertation.manifesto.endorsements import sign

    manifesto, version, point, _editor = manifesto_with_point()
    territory = point.sources[0].synthesis_version.consultation.territory
    elu = make_user("elu", territory)
    sign(elu, version, territory, "Nous portons ce manifeste.", utcnow())
    db.session.commit()
    listed = data(client, "/api/v1/manifestos")["data"]
    assert [(m["slug"], m["latest_version"]) for m in listed] == [(manifesto.slug, 1)]
    detail = data(client, f"/api/v1/manifestos/{manifesto.slug}")["data"]
    assert [(v["number"], v["signatories"]) for v in detail["versions"]] == [(1, 1)]
    response = client.get(detail["versions"][0]["api_url"])
    body = response.get_json()["data"]
    source = body["chapters"][0]["points"][0]["sources"][0]
    assert source["territory"] == territory.name and source["proposal"]["supports"] == 3
    assert body["signatories"] == [
        {
            "territory": territory.name,
            "signed_at": body["signatories"][0]["signed_at"],
            "statement": "Nous portons ce manifeste.",
        }
    ]
    text = response.get_data(as_text=True)
    assert elu.email not in text and elu.pseudonym not in text


def test_draft_manifestos_are_not_published(client):
    manifesto, _draft, _point, _editor = manifesto_with_point(publish=False)
    assert data(client, "/api/v1/manifestos")["data"] == []
    assert client.get(f"/api/v1/manifestos/{manifesto.slug}").status_code == 404
    assert client.get(f"/api/v1/manifestos/{manifesto.slug}/versions/1").status_code == 404


def _majority_scene(proposals: int):
    consultation = make_consultation("synthesis", voting_method="majority", territory=make_territory())
    for _ in range(proposals):
        proposal = make_proposal_row(consultation, author=make_user(), theme=consultation.themes[1])
        make_grade(proposal, 3)
    return consultation, proposal


def test_no_query_per_row(client):
    """The same number of statements for a page of 2 items as for a page of 8: no N+1."""
    counts = []
    for size in (2, 8):
        consultation, proposal = _majority_scene(size)
        root = make_comment_row(consultation, proposal)
        for _ in range(size):
            make_comment_row(consultation, proposal, parent_id=root.id, root_id=root.id, depth=2)
            make_comment_row(consultation, proposal)
        for _ in range(size):
            published_synthesis()
        counts.append(
            [
                statements_for(client, url)
                for url in (
                    f"/api/v1/consultations/{consultation.id}/proposals",
                    f"/api/v1/proposals/{proposal.id}/comments",
                    "/api/v1/syntheses?per_page=100",
                )
            ]
        )
    assert counts[0] == counts[1]
