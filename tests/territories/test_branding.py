"""A territory's logo and accent colour, a consultation's cover: checked uploads, AA contrast, shown on the pages."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from concertation.accounts.models import User
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.territories import branding
from tests.factories import make_consultation, make_territory, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def organiser_of(territory):
    return make_user("organiser", territory)


@pytest.mark.parametrize(
    "colour, accepted",
    [
        ("#1f3f99", True),
        ("#000", True),
        ("0b6e4f", True),
        ("#767676", True),
        ("#777777", False),
        ("#ffbf47", False),
        ("#ffffff", False),
        ("bleu", False),
        ("#12345", False),
    ],
)
def test_accent_colour_needs_aa_contrast_on_white(app, colour, accepted):
    territory = make_territory()
    if accepted:
        branding.set_accent_colour(territory, colour)
        assert territory.accent_color.startswith("#") and len(territory.accent_color) == 7
    else:
        with pytest.raises(ActionRefused) as refused:
            branding.set_accent_colour(territory, colour)
        assert refused.value.field == "accent_color"


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(branding.contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(branding.contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def test_organiser_uploads_a_logo_and_chooses_a_colour(client, auth, app):
    territory = make_territory()
    auth.login(organiser_of(territory))
    url = f"/territoires/{territory.slug}/identite"
    assert client.get(url).status_code == 200
    response = client.post(
        url, data={"logo": (io.BytesIO(PNG), "logo.png"), "accent_color": "#0B6E4F"}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    db.session.refresh(territory)
    assert territory.accent_color == "#0b6e4f" and territory.logo_key.endswith(".png")
    logo = client.get(f"/territoires/{territory.slug}/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == PNG
    logo.close()
    css = client.get(f"/territoires/{territory.slug}/couleur.css")
    assert css.mimetype == "text/css" and "--accent: #0b6e4f" in css.get_data(as_text=True)
    page = client.get(f"/territoires/{territory.slug}").get_data(as_text=True)
    assert f'src="/territoires/{territory.slug}/logo"' in page and "couleur.css" in page


def test_a_pale_colour_is_refused_with_a_french_message_and_the_form_kept(client, auth):
    territory = make_territory()
    auth.login(organiser_of(territory))
    response = client.post(f"/territoires/{territory.slug}/identite", data={"accent_color": "#ffbf47"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "pas assez contrastée" in html and 'value="#ffbf47"' in html
    db.session.refresh(territory)
    assert territory.accent_color is None


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "pas accepté"),
        ("logo.png", b"MZ\x90\x00 not an image", "pas une image"),
        ("logo.jpg", PNG, "pas une image"),
        ("logo.png", b"", "vide"),
    ],
)
def test_logo_type_is_checked_by_content_not_only_name(client, auth, name, data, message):
    territory = make_territory()
    auth.login(organiser_of(territory))
    response = client.post(
        f"/territoires/{territory.slug}/identite",
        data={"logo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.refresh(territory)
    assert territory.logo_key is None


def test_logo_size_is_limited(app, tmp_path):
    territory = make_territory()
    big = FileStorage(io.BytesIO(PNG + b"\x00" * 2048), "logo.png")
    with pytest.raises(ActionRefused) as refused:
        branding.set_logo(territory, big, str(tmp_path), max_bytes=1024 * 1024 // 1024)
    assert "L’image dépasse" in refused.value.message and territory.logo_key is None
    assert list(tmp_path.iterdir()) == []


def test_only_the_territory_organisers_change_its_identity(client, auth):
    territory = make_territory()
    url = f"/territoires/{territory.slug}/identite"
    assert client.get(url).status_code == 302  # to sign in
    auth.login(make_user("organiser", make_territory()))
    assert client.post(url, data={"accent_color": "#000000"}).status_code == 403
    auth.logout()
    auth.login(make_user("agent", territory))
    assert client.get(url).status_code == 403


def test_cover_image_needs_its_text_alternative_and_shows_on_the_consultation(client, auth):
    consultation = make_consultation("proposals")
    auth.login(db.session.get(User, consultation.created_by_id))
    url = f"/consultations/{consultation.id}/couverture"
    refused = client.post(
        url, data={"cover": (io.BytesIO(JPEG), "mairie.jpg"), "cover_alt": ""}, content_type="multipart/form-data"
    )
    assert refused.status_code == 422 and "Décrivez l’image" in refused.get_data(as_text=True)
    accepted = client.post(
        url,
        data={"cover": (io.BytesIO(JPEG), "mairie.jpg"), "cover_alt": "La mairie un jour de marché"},
        content_type="multipart/form-data",
    )
    assert accepted.status_code == 302
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert f'src="/consultations/{consultation.id}/image-de-couverture" alt="La mairie un jour de marché"' in page
    home = client.get("/").get_data(as_text=True)
    assert f'<img class="card-cover" src="/consultations/{consultation.id}/image-de-couverture" alt="">' in home
    image = client.get(f"/consultations/{consultation.id}/image-de-couverture")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    image.close()
    # Removed by the organiser: gone from the page and no longer served.
    assert client.post(f"/consultations/{consultation.id}/couverture/retirer").status_code == 302
    assert "image-de-couverture" not in client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert client.get(f"/consultations/{consultation.id}/image-de-couverture").status_code == 404


def test_cover_of_an_agents_only_consultation_is_not_served_to_visitors(client, auth):
    consultation = make_consultation("proposals", audience="agents")
    db.session.get(type(consultation), consultation.id).cover_key = "absent.jpg"
    db.session.commit()
    assert client.get(f"/consultations/{consultation.id}/image-de-couverture").status_code == 403
