"""The manifesto through the test client: editing, publication, provenance links, signatures, suggestions, exports."""

import io
import json
import re
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from concertation.db import utcnow
from concertation.extensions import db
from concertation.manifesto import services
from concertation.manifesto.models import Endorsement, ManifestoSuggestion
from concertation.notifications.models import Notification
from tests.factories import make_territory, make_user
from tests.manifesto.scene import manifesto_with_point, published_synthesis

HREF = re.compile(r'href="([^"]+)"')


def provenance_links(html: str) -> list[str]:
    section = html.split('id="provenance"', 1)[1].split("</section>\n</article>", 1)[0]
    return [href.replace("&amp;", "&") for href in HREF.findall(section)]


def test_an_editor_writes_cites_and_publishes_through_the_forms(client, auth):
    territory = make_territory(name="Saint-Aubin-des-Prés")
    _c, synthesis, _o = published_synthesis(territory)
    auth.login(make_user("editor"))
    response = client.post(
        "/manifeste",
        data={
            "title": "Manifeste pour une IA territoriale responsable",
            "introduction": "Une IA <script>alert(1)</script>**choisie**.",
        },
    )
    assert response.status_code == 302
    slug = response.headers["Location"].split("/")[2]
    response = client.post(
        f"/manifeste/{slug}/brouillon/points",
        data={
            "chapter": "Former d’abord",
            "title": "Former les agents avant d’équiper",
            "body": "Aucun outil sans formation.",
        },
    )
    assert response.status_code == 302
    edit_url = response.headers["Location"]
    assert client.get(edit_url).status_code == 200
    # Publishing a point without a source is refused, in French, and nothing is published.
    response = client.post(f"/manifeste/{slug}/publier", data={})
    assert response.status_code == 422 and "Sans source" in response.get_data(as_text=True)
    response = client.post(edit_url + "/sources", data={"source": f"v{synthesis.id}:r{synthesis.retained[0].id}"})
    assert response.status_code == 302
    response = client.post(f"/manifeste/{slug}/publier", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/manifeste/{slug}/versions/1")
    page = client.get(f"/manifeste/{slug}").get_data(as_text=True)
    assert "Former les agents avant d’équiper" in page and "Saint-Aubin-des-Prés" in page
    assert "<strong>choisie</strong>" in page and "<script>alert" not in page


def test_bad_input_is_422_in_french_and_what_was_typed_is_kept(client, auth):
    manifesto, draft, point, editor = manifesto_with_point(publish=False)
    auth.login(editor)
    response = client.post(
        f"/manifeste/{manifesto.slug}/brouillon/points",
        data={"chapter": "Sobriété", "title": "Net", "body": "Un texte tapé avec soin."},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "entre 5 et 200 caractères" in html
    assert "Un texte tapé avec soin." in html and 'value="Sobriété"' in html
    response = client.post(
        f"/manifeste/{manifesto.slug}/brouillon/points/{point.uid}/sources", data={"source": "v999999"}
    )
    assert response.status_code == 422 and "synthèse publiée" in response.get_data(as_text=True)


def test_every_link_of_the_provenance_chain_resolves(client):
    t1, t2 = make_territory(name="Saint-Aubin"), make_territory(name="Trois Rivières")
    c1, v1, _o = published_synthesis(t1)
    c2, v2, _o2 = published_synthesis(t2, title="Un humain toujours joignable")
    manifesto, draft, point, editor = manifesto_with_point(v1, publish=False)
    services.add_source(point, v2.id, section=v2.sections[0]["title"])
    services.add_source(point, v2.id, v2.retained[0].id)
    services.publish(editor, draft, utcnow())
    db.session.commit()
    response = client.get(f"/manifeste/{manifesto.slug}/versions/1/points/{point.uid}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for expected in (
        "Saint-Aubin",
        "Trois Rivières",
        c1.title,
        c2.title,
        v1.retained[0].author_pseudonym,
        "3 soutiens",
        "participant·es",
    ):
        assert expected in html, expected
    links = provenance_links(html)
    proposal_links = [link for link in links if "/propositions/" in link]
    assert {f"/consultations/{c1.id}", f"/consultations/{c2.id}"} <= set(links)
    assert sorted(proposal_links) == sorted(f"/propositions/{s.retained[0].proposal_id}" for s in (v1, v2))
    for link in links:
        assert client.get(link.split("#")[0]).status_code == 200, link


def test_an_elu_signs_in_the_territorys_name_once_and_can_withdraw(client, auth):
    manifesto, first, point, editor = manifesto_with_point()
    territory = make_territory(name="Saint-Aubin")
    elu = make_user("elu", territory)
    auth.login(elu)
    url = f"/manifeste/{manifesto.slug}/versions/1"
    assert "Signer la version 1" in client.get(url).get_data(as_text=True)
    response = client.post(url + "/signer", data={"territory": territory.id, "statement": "Nous nous engageons."})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Nous nous engageons." in page and "Signer la version 1" not in page
    response = client.post(url + "/signer", data={"territory": territory.id, "statement": "Encore"})
    assert response.status_code == 422 and "déjà signé" in response.get_data(as_text=True)
    assert client.post(url + f"/signatures/{territory.id}/retirer").status_code == 302
    assert db.session.scalar(select(Endorsement.withdrawn_at)) is not None

    client.post(url + "/signer", data={"territory": territory.id})
    services.publish(editor, services.start_draft(manifesto, utcnow()), utcnow(), "Version 2")
    db.session.commit()
    page = client.get(f"/manifeste/{manifesto.slug}").get_data(as_text=True)
    assert "Saint-Aubin a signé la version 1" in page and "Aucun territoire n’a encore signé cette version." in page


def test_an_organiser_suggests_and_sees_the_editors_answer(client, auth):
    manifesto, first, point, editor = manifesto_with_point()
    consultation, version, organiser = published_synthesis(title="Un humain toujours joignable à l’accueil")
    auth.login(organiser)
    url = f"/consultations/{consultation.id}/manifeste"
    assert url in client.get(f"/manifeste/{manifesto.slug}").get_data(as_text=True)
    response = client.post(
        url, data={"manifesto": manifesto.id, "item": f"r{version.retained[0].id}", "justification": "court"}
    )
    assert response.status_code == 422 and "court" in response.get_data(as_text=True)
    response = client.post(
        url,
        data={
            "manifesto": manifesto.id,
            "item": f"r{version.retained[0].id}",
            "justification": "Demandée par les agents d’accueil et les habitant·es.",
        },
    )
    assert response.status_code == 302
    suggestion = db.session.scalar(select(ManifestoSuggestion))
    auth.logout()
    auth.login(editor)
    review = client.get(f"/manifeste/{manifesto.slug}/suggestions").get_data(as_text=True)
    assert "Demandée par les agents d’accueil" in review
    response = client.post(
        f"/manifeste/{manifesto.slug}/suggestions/{suggestion.id}/accepter",
        data={
            f"a{suggestion.id}-target": "new",
            f"a{suggestion.id}-chapter": "Accueil",
            f"a{suggestion.id}-title": "Un humain toujours joignable",
        },
    )
    assert response.status_code == 302
    assert (
        client.post(
            f"/manifeste/{manifesto.slug}/suggestions/{suggestion.id}/refuser",
            data={f"d{suggestion.id}-reason": "Trop tard"},
        ).status_code
        == 409
    )
    auth.logout()
    auth.login(organiser)
    assert "Acceptée" in client.get(url).get_data(as_text=True)
    assert db.session.scalar(select(Notification.url).where(Notification.user_id == organiser.id)) == url


def test_exports_parse_back_with_sources_and_no_email(client):
    territory = make_territory(name="Saint-Aubin")
    _c, synthesis, _o = published_synthesis(territory)
    manifesto, first, point, editor = manifesto_with_point(synthesis)
    elu = make_user("elu", territory, email="elise.martin@saint-aubin.example")
    from concertation.manifesto import endorsements

    endorsements.sign(elu, first, territory, "Saint-Aubin s’engage.", utcnow())
    db.session.commit()
    base = f"/manifeste/{manifesto.slug}/versions/1/manifeste"
    raw = client.get(base + ".json").get_data()
    document = json.loads(raw)
    assert document["licence"]["name"] == "Licence Ouverte / Open Licence 2.0"
    [chapter] = document["chapters"]
    [exported] = chapter["points"]
    assert exported["title"] == point.title
    assert exported["sources"][0]["proposal"]["title"] == synthesis.retained[0].title
    assert document["signatories"] == [
        {
            "territory": "Saint-Aubin",
            "signed_at": document["signatories"][0]["signed_at"],
            "statement": "Saint-Aubin s’engage.",
        }
    ]

    pdf = client.get(base + ".pdf")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_data())).pages)
    flat = " ".join(text.split())
    assert point.title in flat and synthesis.retained[0].title in flat and "Licence Ouverte" in flat

    odt = client.get(base + ".odt")
    content = zipfile.ZipFile(io.BytesIO(odt.get_data())).read("content.xml").decode("utf-8")
    assert point.title in content and synthesis.retained[0].title in content and "text:note" in content

    for body in (raw.decode("utf-8"), flat, content):
        assert "@" not in body and elu.pseudonym not in body


def test_the_draft_page_labels_each_title_field_with_its_own_label(client, auth):
    manifesto, _draft, _point, editor = manifesto_with_point(publish=False)
    auth.login(editor)
    html = client.get(f"/manifeste/{manifesto.slug}/brouillon").get_data(as_text=True)
    # (Each form's hidden CSRF input repeats id="csrf_token": not a labelled field.)
    ids = [i for i in re.findall(r'\sid="([^"]+)"', html) if i != "csrf_token"]
    assert len(ids) == len(set(ids)), "identifiants en double sur la page du brouillon"
    assert re.search(r'<label[^>]* for="point-title"[^>]*>Titre du point', html)
    assert re.search(r'<input[^>]* id="point-title"[^>]* name="title"', html)


def test_manifesto_pdf_shows_the_signatories_logos(client, app):
    from pathlib import Path

    from PIL import Image

    from concertation.manifesto import endorsements

    territory = make_territory(name="Saint-Aubin")
    _c, synthesis, _o = published_synthesis(territory)
    manifesto, first, _point, _editor = manifesto_with_point(synthesis)
    endorsements.sign(make_user("elu", territory), first, territory, "", utcnow())
    upload_dir = Path(app.config["UPLOAD_DIR"])
    upload_dir.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (90, 40), (11, 110, 79)).save(upload_dir / "saint-aubin.png")
    base = f"/manifeste/{manifesto.slug}/versions/1/manifeste.pdf"
    db.session.commit()
    before = PdfReader(io.BytesIO(client.get(base).get_data()))
    territory.logo_key = "saint-aubin.png"
    db.session.commit()
    after = PdfReader(io.BytesIO(client.get(base).get_data()))
    count = lambda reader: sum(len(page.images) for page in reader.pages)  # noqa: E731
    assert count(after) == count(before) + 1


def test_the_editors_source_list_offers_no_synthesis_reserved_to_agents(client, auth):
    manifesto, _draft, point, editor = manifesto_with_point(publish=False)
    _c, internal, _o = published_synthesis(title="Un outil interne réservé aux agents", audience="agents")
    auth.login(editor)
    page = client.get(f"/manifeste/{manifesto.slug}/brouillon/points/{point.uid}").get_data(as_text=True)
    assert f'value="v{internal.id}"' not in page and internal.title not in page
    refused = client.post(
        f"/manifeste/{manifesto.slug}/brouillon/points/{point.uid}/sources", data={"source": f"v{internal.id}"}
    )
    assert refused.status_code == 422


def test_the_differences_page_shows_what_was_removed_and_added_in_words(client):
    manifesto, _first, _point, editor = manifesto_with_point()
    draft = services.start_draft(manifesto, utcnow())
    point = draft.points[0]
    services.update_point(point, point.chapter, point.title, "Aucun outil sans formation.\n\nLa formation est due.")
    services.publish(editor, draft, utcnow(), "Formulation")
    db.session.commit()
    page = client.get(f"/manifeste/{manifesto.slug}/versions/{draft.number}/differences").get_data(as_text=True)
    assert "<del" in page and "La formation est un droit." in page
    assert "<ins" in page and "La formation est due." in page
    assert "retiré\u00a0:" in page and "ajouté\u00a0:" in page  # said in words, not only by colour and signs
