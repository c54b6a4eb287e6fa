"""French as the pages write it: singular for 0 and 1, and articles before territory names."""

import html
import re

import pytest

from concertation.territories.models import at_name, of_name, with_article
from tests.factories import make_comment, make_consultation, make_proposal, make_territory, make_user


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


@pytest.mark.parametrize("comments, expected", [(0, "0 commentaire"), (1, "1 commentaire"), (2, "2 commentaires")])
def test_proposal_list_counts_comments_in_french(client, comments, expected):
    proposal = make_proposal()
    for _ in range(comments):
        make_comment(proposal)
    page = text(client.get(f"/consultations/{proposal.consultation_id}/propositions"))
    assert expected in page
    if comments < 2:
        assert f"{comments} commentaires" not in page


@pytest.mark.parametrize(
    "limit, expected", [(1, "1 soutien au plus par personne"), (3, "3 soutiens au plus par personne")]
)
def test_support_limit_in_french(client, limit, expected):
    consultation = make_consultation("vote", support_limit=limit)
    assert expected in text(client.get(f"/consultations/{consultation.id}"))


@pytest.mark.parametrize(
    "waiting, expected", [(1, "1 contribution attend une décision."), (2, "2 contributions attendent une décision.")]
)
def test_moderation_queue_counts_in_french(client, auth, waiting, expected):
    from concertation.moderation.services import report
    from concertation.db import utcnow
    from concertation.extensions import db

    consultation = make_consultation("proposals")
    organiser = make_user("organiser", consultation.territory)
    for _ in range(waiting):
        report(make_user(), make_proposal(consultation), "spam", "", utcnow())
    db.session.commit()
    auth.login(organiser)
    page = text(client.get(f"/territoires/{consultation.territory.slug}/moderation"))
    assert expected in page and "(s)" not in page


def test_population_in_french(client):
    make_territory(population=1)
    page = text(client.get("/territoires"))
    assert "1 habitant·e" in page and "1 habitant·es" not in page


@pytest.mark.parametrize(
    "name, article, of, at, with_",
    [
        ("Saint-Aubin-des-Prés", "", "de Saint-Aubin-des-Prés", "à Saint-Aubin-des-Prés", "Saint-Aubin-des-Prés"),
        ("Angers", "", "d’Angers", "à Angers", "Angers"),
        (
            "Communauté d’agglomération des Trois Rivières",
            "la",
            "de la Communauté d’agglomération des Trois Rivières",
            "à la Communauté d’agglomération des Trois Rivières",
            "la Communauté d’agglomération des Trois Rivières",
        ),
        (
            "Département de la Haute-Vallée",
            "le",
            "du Département de la Haute-Vallée",
            "au Département de la Haute-Vallée",
            "le Département de la Haute-Vallée",
        ),
        (
            "Eurométropole de Strasbourg",
            "l’",
            "de l’Eurométropole de Strasbourg",
            "à l’Eurométropole de Strasbourg",
            "l’Eurométropole de Strasbourg",
        ),
        ("Hauts-de-Seine", "les", "des Hauts-de-Seine", "aux Hauts-de-Seine", "les Hauts-de-Seine"),
    ],
)
def test_territory_names_take_their_article(name, article, of, at, with_):
    assert of_name(name, article) == of
    assert at_name(name, article) == at
    assert with_article(name, article) == with_


def test_the_article_follows_the_kind_unless_chosen(app):
    assert make_territory(kind="intercommunalite").name_article == "la"
    assert make_territory(kind="departement").name_article == "le"
    assert make_territory(kind="commune").name_article == ""


def test_withdrawing_a_signature_names_the_territory_with_its_article(client, auth):
    from concertation.db import utcnow
    from concertation.extensions import db
    from concertation.manifesto import endorsements
    from tests.manifesto.scene import manifesto_with_point, published_synthesis

    territory = make_territory(name="Communauté d’agglomération du Val", kind="intercommunalite")
    _c, synthesis, _o = published_synthesis(territory)
    manifesto, first, _point, _editor = manifesto_with_point(synthesis)
    elu = make_user("elu", territory)
    endorsements.sign(elu, first, territory, "", utcnow())
    db.session.commit()
    auth.login(elu)
    page = text(client.get(f"/manifeste/{manifesto.slug}"))
    assert "Retirer la signature de la Communauté d’agglomération du Val" in page
    from concertation.errors import ActionRefused

    with pytest.raises(ActionRefused) as refused:
        endorsements.sign(elu, first, territory, "", utcnow())
    assert refused.value.message == "La Communauté d’agglomération du Val a déjà signé la version 1."


def test_admin_sets_the_article_in_the_territory_form(client, auth):
    from concertation.extensions import db

    territory = make_territory(name="Eurométropole de Strasbourg", kind="intercommunalite", slug="eurometropole")
    auth.login(make_user("admin"))
    response = client.post(
        f"/admin/territoires/{territory.slug}/modifier",
        data={
            "name": territory.name,
            "name_article": "l’",
            "kind": "intercommunalite",
            "slug": "eurometropole",
            "code": "",
            "population": "",
            "domains": "",
            "description": "",
        },
    )
    assert response.status_code == 302
    db.session.refresh(territory)
    assert territory.of_name == "de l’Eurométropole de Strasbourg"
    refused = client.post(
        f"/admin/territoires/{territory.slug}/modifier",
        data={"name": territory.name, "name_article": "las", "kind": "intercommunalite", "slug": "eurometropole"},
    )
    assert refused.status_code == 422


def test_french_typography_on_the_pages(client):
    from concertation.i18n import french_typography

    assert french_typography("Phase : %(p)s ; oui ! « %(t)s » l'eau... 50 %") == (
        "Phase\u00a0: %(p)s\u00a0; oui\u00a0! «\u00a0%(t)s\u00a0» l’eau… 50\u00a0%"
    )
    page = client.get("/compte/connexion").get_data(as_text=True)
    assert "Mot de passe oublié\u00a0?" in page and "Mot de passe oublié ?" not in page
    client.post("/langue", data={"locale": "en", "next": "/"})
    assert "\u00a0?" not in client.get("/compte/connexion").get_data(as_text=True)
