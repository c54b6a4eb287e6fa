"""The synthesis aid's page through the test client: who may see it, computing, edits, drafts that cite, opinions."""

import re

import pytest
from sqlalchemy import select

from concertation.db import utcnow
from concertation.extensions import db
from concertation.synthesis import services, themes
from concertation.synthesis.models import AidGroup, AidPlacement, SynthesisCitation
from tests.factories import make_consultation, make_proposal_row, make_support, make_territory, make_user
from tests.synthesis.aid_fixtures import themed_texts


def scene(phase="synthesis", per_theme=12):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation(phase, territory=territory, author=organiser)
    author = make_user()
    proposals = [
        make_proposal_row(consultation, author=author, title=t, body=b) for _th, t, b in themed_texts(per_theme)
    ]
    return territory, organiser, consultation, proposals


def aid_url(consultation, tail=""):
    return f"/consultations/{consultation.id}/synthese/aide{tail}"


@pytest.mark.parametrize(
    "who, status",
    [
        ("visitor", 302),
        ("participant", 403),
        ("other organiser", 403),
        ("elu", 403),
        ("organiser", 200),
        ("admin", 200),
    ],
)
def test_only_the_consultations_organisers_see_and_compute_the_aid(client, auth, fake_embeddings, who, status):
    territory, organiser, consultation, _p = scene()
    user = {
        "participant": lambda: make_user(),
        "other organiser": lambda: make_user("organiser"),
        "elu": lambda: make_user("elu", territory),
        "organiser": lambda: organiser,
        "admin": lambda: make_user("admin"),
    }.get(who, lambda: None)()
    if user is not None:
        auth.login(user)
    assert client.get(aid_url(consultation)).status_code == status
    posted = client.post(aid_url(consultation, "/calculer"))
    assert posted.status_code == (302 if status == 200 else status)
    assert (db.session.scalar(select(AidGroup.id).limit(1)) is not None) == (status == 200)


def test_the_page_explains_the_method_its_limits_and_that_it_is_deterministic(client, auth, fake_embeddings):
    _t, organiser, consultation, _p = scene()
    auth.login(organiser)
    html = client.get(aid_url(consultation)).get_data(as_text=True)
    assert "n’a pas encore été calculée" in html
    for words in (
        "Les mêmes propositions donnent toujours le même résultat",
        "Ce que l’aide ne sait pas faire",
        "k-moyennes",
        "chacune est la plus proche de l’autre",
        "Aucune phrase n’est inventée",
        "au moins 10 personnes",
        # What the duplicates list is worth on the labelled corpus, in figures, and what to do with it.
        "elle signale 24 paires, dont 4 des 40 qui disent vraiment la même chose",
        "ne fusionnez qu’après avoir lu les deux textes",
    ):
        assert words in html


def test_computed_groups_drafts_cite_proposals_whose_links_open(client, auth, fake_embeddings):
    _t, organiser, consultation, proposals = scene()
    auth.login(organiser)
    assert client.post(aid_url(consultation, "/calculer")).status_code == 302
    html = client.get(aid_url(consultation)).get_data(as_text=True)
    assert "Groupe 1\u00a0:" in html and "Brouillon cité" in html and "Méthode\u00a0: sens des phrases" in html
    drafts = re.findall(r'<ul class="draft">(.*?)</ul>', html, re.S)
    assert len(drafts) == 3
    for draft in drafts:
        quotes = re.findall(r"<li><q class=\"quote\">(.*?)</q> — <a href=\"([^\"]+)\">", draft)
        assert 3 <= len(quotes) <= 5
        for sentence, link in quotes:
            page = client.get(link)
            assert page.status_code == 200 and sentence.replace("&#39;", "'") in page.get_data(as_text=True)


def test_accepting_a_draft_adds_quotes_and_their_citations_to_a_section(client, auth, fake_embeddings):
    _t, organiser, consultation, _p = scene()
    auth.login(organiser)
    client.post(aid_url(consultation, "/calculer"))
    synthesis = services.start_synthesis(organiser, consultation)
    db.session.commit()
    section, group = synthesis.sections[0], themes.groups_of(consultation)[0]
    response = client.post(
        aid_url(consultation, f"/groupes/{group.id}/brouillon"), data={f"d{group.id}-section_id": section.id}
    )
    assert response.status_code == 302 and f"#section-{section.id}" in response.headers["Location"]
    db.session.expire_all()
    cited = db.session.scalars(select(SynthesisCitation).where(SynthesisCitation.section_id == section.id)).all()
    assert [c.proposal_id for c in cited] == [pid for pid, _n, _h in group.draft]
    assert [c.paragraph for c in cited] == list(range(1, len(cited) + 1))
    assert section.body.count("> « ") == len(cited)
    # Nothing is published by accepting: the organiser still edits and publishes.
    assert services.latest_version(consultation) is None


def test_edits_through_the_forms_and_bad_input_kept_with_a_french_message(client, auth, fake_embeddings):
    _t, organiser, consultation, proposals = scene()
    auth.login(organiser)
    client.post(aid_url(consultation, "/calculer"))
    a, b, _c = themes.groups_of(consultation)
    assert (
        client.post(
            aid_url(consultation, "/renommer"), data={"rename-group_id": a.id, "rename-name": "Former les agents"}
        ).status_code
        == 302
    )
    bad = client.post(aid_url(consultation, "/deplacer"), data={"move-proposals": "999999, 12abc", "move-group_id": 0})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "numéros de propositions séparés" in html and "999999, 12abc" in html
    moved = client.post(
        aid_url(consultation, "/deplacer"), data={"move-proposals": str(proposals[0].id), "move-group_id": b.id}
    )
    assert moved.status_code == 302
    assert (
        client.post(aid_url(consultation, "/fondre"), data={"fuse-group_id": a.id, "fuse-other_id": a.id}).status_code
        == 422
    )
    make_proposal_row(consultation, title=proposals[5].title, body=proposals[5].body)
    client.post(aid_url(consultation, "/calculer"))
    html = client.get(aid_url(consultation)).get_data(as_text=True)
    assert "Former les agents" in html
    assert db.session.get(AidPlacement, proposals[0].id).group_id == b.id


def test_forged_group_of_another_consultation_is_refused(client, auth, fake_embeddings):
    _t, organiser, consultation, _p = scene()
    _t2, other_organiser, other, _p2 = scene()
    themes.refresh_aid(other, utcnow())
    db.session.commit()
    foreign = themes.groups_of(other)[0]
    auth.login(organiser)
    client.post(aid_url(consultation, "/calculer"))
    response = client.post(aid_url(consultation, "/renommer"), data={"rename-group_id": foreign.id, "rename-name": "x"})
    assert response.status_code == 422
    assert db.session.get(AidGroup, foreign.id).name is None
    assert client.post(aid_url(consultation, f"/groupes/{foreign.id}/brouillon")).status_code == 404


def test_without_the_model_the_page_says_it_uses_the_fallback(client, auth, app):
    app.config["AID_EMBEDDING_MODEL"] = "none"
    _t, organiser, consultation, _p = scene()
    auth.login(organiser)
    client.post(aid_url(consultation, "/calculer"))
    html = client.get(aid_url(consultation)).get_data(as_text=True)
    assert "Méthode de repli" in html and "Groupes de propositions proches (par les mots)" in html


def vote_in_blocs(consultation, proposals, blocs):
    """Each bloc: (people, indexes of the proposals they all support)."""
    for people, chosen in blocs:
        for _ in range(people):
            voter = make_user()
            for i in chosen:
                make_support(proposals[i], voter)


def test_opinion_groups_never_show_a_group_under_ten_people(app, fake_embeddings):
    _t, _o, consultation, proposals = scene("vote", per_theme=2)
    vote_in_blocs(consultation, proposals, [(12, [0, 1, 2]), (7, [3, 4, 5])])
    from concertation.synthesis import opinions

    assert opinions.opinion_groups(consultation)["groups"] == []
    vote_in_blocs(consultation, proposals, [(5, [3, 4, 5, 0])])
    found = opinions.opinion_groups(consultation)
    assert len(found["groups"]) == 2 and all(g["size"] >= 10 for g in found["groups"])
    assert found["participants"] == 24
    divisive = {e["proposal_id"] for e in found["divisive"]}
    assert proposals[1].id in divisive and proposals[4].id in divisive
    assert all(set(e) == {"proposal_id", "shares"} for e in found["consensus"] + found["divisive"])


def test_opinion_groups_are_frozen_in_the_published_synthesis(client, fake_embeddings):
    _t, organiser, consultation, proposals = scene(per_theme=2)
    vote_in_blocs(consultation, proposals, [(12, [0, 1, 2]), (12, [3, 4, 5])])
    synthesis = services.start_synthesis(organiser, consultation)
    services.update_synthesis(synthesis, "Synthèse de la consultation", "Introduction.", {})
    version = services.publish(organiser, synthesis, utcnow())
    db.session.commit()
    frozen = version.figures["opinion_groups"]
    assert [g["size"] for g in frozen["groups"]] == [12, 12]
    vote_in_blocs(consultation, proposals, [(30, [0])])
    db.session.refresh(version)
    assert [g["size"] for g in version.figures["opinion_groups"]["groups"]] == [12, 12]
    html = client.get(f"/consultations/{consultation.id}/synthese").get_data(as_text=True)
    assert "Groupes d’opinion" in html and "Groupe A (12)" in html


def test_a_draft_is_accepted_only_in_the_synthesis_phase(client, auth, fake_embeddings):
    _t, organiser, consultation, _p = scene("vote")
    auth.login(organiser)
    client.post(aid_url(consultation, "/calculer"))
    group = themes.groups_of(consultation)[0]
    html = client.get(aid_url(consultation)).get_data(as_text=True)
    assert "pendant la phase de synthèse" in html and "Ajouter ce brouillon" not in html
    assert (
        client.post(
            aid_url(consultation, f"/groupes/{group.id}/brouillon"), data={f"d{group.id}-section_id": 1}
        ).status_code
        == 403
    )
