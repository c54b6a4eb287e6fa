"""Who may do what with the manifesto: role × action through the views, and forged ids (403/404, never 500)."""

import pytest

from concertation.db import utcnow
from concertation.extensions import db
from concertation.manifesto import amendments, services, suggestions
from tests.factories import make_territory, make_user
from tests.manifesto.scene import manifesto_with_point, published_synthesis

ROLES = ["visitor", "participant", "organiser", "other_organiser", "elu", "other_elu", "editor", "admin"]
EDITORS = {"editor", "admin"}
# action: (method, path template, form data template, roles allowed)
ACTIONS = {
    "read manifesto": ("GET", "/manifeste/{m}", None, set(ROLES)),
    "read point": ("GET", "/manifeste/{m}/versions/1/points/{u}", None, set(ROLES)),
    "export": ("GET", "/manifeste/{m}/versions/1/manifeste.json", None, set(ROLES)),
    "read draft": ("GET", "/manifeste/{m}/brouillon", None, EDITORS),
    "create manifesto": ("POST", "/manifeste", {"title": "Un autre manifeste"}, EDITORS),
    "start draft": ("POST", "/manifeste/{m}/brouillon/commencer", {}, EDITORS),
    "publish": ("POST", "/manifeste/{m}/publier", {"change_note": "Deuxième version"}, EDITORS),
    "review suggestions": ("GET", "/manifeste/{m}/suggestions", None, EDITORS),
    "decline suggestion": (
        "POST",
        "/manifeste/{m}/suggestions/{s}/refuser",
        {"d{s}-reason": "Hors sujet ici."},
        EDITORS,
    ),
    "suggest": ("GET", "/consultations/{c}/manifeste", None, {"organiser", "admin"}),
    "sign": ("POST", "/manifeste/{m}/versions/1/signer", {"territory": "{t}"}, {"elu"}),
    # The draft is open to the territories' amendments (the scene opens it).
    "read the draft's amendments": (
        "GET",
        "/manifeste/{m}/versions/2/amendements",
        None,
        {"organiser", "other_organiser", "editor", "admin"},
    ),
    "read the published version's amendments": ("GET", "/manifeste/{m}/versions/1/amendements", None, set(ROLES)),
    "amend in the territory's name": (
        "POST",
        "/manifeste/{m}/brouillon/points/{u}/amender",
        {"territory": "{t}", "kind": "delete", "justification": "Ce point fait doublon avec un autre."},
        {"organiser"},
    ),
    "close to amendments": ("POST", "/manifeste/{m}/brouillon/amendements/fermer", {}, EDITORS),
}


def person(role, territory):
    if role == "visitor":
        return None
    if role == "participant":
        return make_user()
    if role in ("other_organiser", "other_elu"):
        return make_user(role.removeprefix("other_"), make_territory())
    if role in ("editor", "admin"):
        return make_user(role)
    return make_user(role, territory)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_by_action(client, auth, role, action):
    territory = make_territory()
    consultation, synthesis, organiser = published_synthesis(territory)
    manifesto, first, point, editor = manifesto_with_point(synthesis)
    amendments.open_amendments(services.start_draft(manifesto, utcnow()))
    suggestion = suggestions.suggest(
        organiser, manifesto, synthesis.id, "s0", "La formation d’abord, partout.", utcnow()
    )
    db.session.commit()
    user = person(role, territory)
    if user is not None:
        auth.login(user)
    method, path, data, allowed = ACTIONS[action]
    values = dict(m=manifesto.slug, u=point.uid, c=consultation.id, s=suggestion.id, t=territory.id)
    url = path.format(**values)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={k.format(**values): v.format(**values) for k, v in data.items()})
    if role in allowed:
        assert response.status_code in (200, 302), (response.status_code, response.get_data(as_text=True)[-3000:])
        if response.status_code == 302:
            assert "/compte/connexion" not in response.headers["Location"]
    elif (
        role == "visitor"
        and method == "POST"
        or (role == "visitor" and action in ("read draft", "review suggestions", "suggest"))
    ):
        assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_forged_ids_are_404_never_500(client, auth):
    territory = make_territory()
    consultation, synthesis, organiser = published_synthesis(territory)
    manifesto, first, point, editor = manifesto_with_point(synthesis)
    draft = services.start_draft(manifesto, utcnow())
    other, _d, other_point, _e = manifesto_with_point(synthesis, editor=editor, publish=False)
    foreign_suggestion = suggestions.suggest(organiser, other, synthesis.id, "s0", "Pour l’autre manifeste.", utcnow())
    db.session.commit()
    m = manifesto.slug
    # Readers: unknown manifesto, version, point; a draft is not public.
    for url in (
        "/manifeste/inconnu",
        "/manifeste/inconnu/versions/1",
        f"/manifeste/{m}/versions/99",
        f"/manifeste/{m}/versions/1/points/999",
        f"/manifeste/{m}/versions/{draft.number}",
        f"/manifeste/{m}/versions/{draft.number}/points/{point.uid}",
        f"/manifeste/{m}/versions/{draft.number}/manifeste.pdf",
        f"/manifeste/{m}/versions/1/differences",
        f"/manifeste/{m}/versions/1/differences?depuis=5",
        f"/manifeste/{m}/versions/1/manifeste.xml",
    ):
        assert client.get(url).status_code == 404, url
    auth.login(editor)
    for url in (
        "/manifeste/inconnu/versions/1/amendements",
        f"/manifeste/{m}/versions/99/amendements",
        f"/manifeste/{m}/brouillon/amendements/999/repondre",
        f"/manifeste/{m}/brouillon/points/999",
        "/manifeste/inconnu/brouillon",
        "/consultations/999999/manifeste",
    ):
        assert client.get(url).status_code == 404, url
    other_source = other_point.sources[0].id
    for url in (
        f"/manifeste/{m}/brouillon/points/999/supprimer",
        f"/manifeste/{m}/brouillon/sources/999999/retirer",
        f"/manifeste/{m}/brouillon/sources/{other_source}/retirer",
        f"/manifeste/{m}/suggestions/999999/accepter",
        f"/manifeste/{m}/suggestions/{foreign_suggestion.id}/refuser",
    ):
        assert client.post(url).status_code == 404, url
    # The frozen version's point cannot be reached through the draft's routes: they edit the draft's copy only.
    response = client.post(
        f"/manifeste/{m}/brouillon/points/{point.uid}",
        data={"chapter": "Autre chapitre", "title": "Titre changé dans le brouillon", "body": ""},
    )
    assert response.status_code == 302
    assert services.version_of(manifesto, 1).points[0].title == "Former les agents avant d’équiper"
    auth.logout()

    elu = make_user("elu", territory)
    auth.login(elu)
    base = f"/manifeste/{m}/versions/1"
    assert client.post(base + "/signer", data={"territory": 999999}).status_code == 404
    assert client.post(base + "/signer", data={"territory": make_territory().id}).status_code == 403
    assert client.post(base + "/signer", data={"territory": "pas-un-nombre"}).status_code == 422
    assert client.post(base + "/signatures/999999/retirer").status_code == 404
    assert client.post(base + f"/signatures/{territory.id}/retirer").status_code == 404  # nothing signed yet
    assert client.post(base + "/signer", data={"territory": territory.id}, csrf=False).status_code in (400, 422)
