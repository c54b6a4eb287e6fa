"""Inclusive writing (« habitant·es ») is a platform setting; off, every string that uses it has an alternative."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from concertation.i18n import PLAIN_CATALOGUE
from tests.conftest import _serve
from tests.factories import make_territory

ENGLISH = Path(__file__).resolve().parents[2] / "concertation" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def ids(message) -> tuple:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def test_every_string_with_a_middle_dot_has_an_alternative_without_one():
    with ENGLISH.open("rb") as po:
        interface = [m for m in read_po(po) if m.id and any("·" in i for i in ids(m))]
    with PLAIN_CATALOGUE.open("rb") as po:
        plain = {ids(m)[0]: m for m in read_po(po) if m.id}
    assert len(interface) > 40
    missing = [ids(m)[0] for m in interface if ids(m)[0] not in plain]
    assert not missing, f"strings with a middle dot and no alternative form: {missing[:5]}"
    for message in plain.values():
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms) and not any("·" in form for form in forms), message.id


@pytest.fixture(params=[True, False], ids=["inclusive", "plain"])
def writing_client(request, app_config):
    config = type("Writing", (app_config,), {"INCLUSIVE_WRITING": request.param})
    for app in _serve(config):
        yield request.param, app.test_client()


def test_the_setting_chooses_the_form_on_the_pages(writing_client):
    inclusive, client = writing_client
    make_territory(population=1)
    territories = client.get("/territoires").get_data(as_text=True)
    signup = client.get("/compte/inscription").get_data(as_text=True)
    if inclusive:
        assert "1 habitant·e" in territories and "Déjà inscrit·e\u00a0?" in signup
    else:
        assert re.search(r"1 habitant\b", territories)
        assert "Déjà inscrit\u00a0?" in signup
        assert not re.search(r"\w·\w", territories + signup)  # « · » still separates items


def test_the_english_interface_does_not_change_with_the_setting(writing_client):
    _inclusive, client = writing_client
    client.post("/langue", data={"locale": "en", "next": "/"})
    assert "Already registered?" in client.get("/compte/inscription").get_data(as_text=True)
