"""Every form of the platform, fuzzed with hypothesis: no input ever gives a 500.

Each entry names who fills the form and where it lives; the fields are read from the
rendered page itself, so a new field is fuzzed without touching this file.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_comment, make_consultation, make_proposal, make_user
from tests.html_forms import main_form

FORMS = [
    ("visitor", "/compte/inscription"),
    ("visitor", "/compte/connexion"),
    ("visitor", "/compte/mot-de-passe-oublie"),
    ("visitor", "/compte/renvoyer-confirmation"),
    ("participant", "/compte/profil"),
    ("participant", "/compte/mes-donnees"),
    ("participant", "/signaler/proposition/{proposal}"),
    ("participant", "/signaler/commentaire/{comment}"),
    ("admin", "/admin/territoires"),
    ("admin", "/admin/territoires/{territory}/modifier"),
    ("admin", "/admin/territoires/{territory}/roles"),
    ("organiser", "/territoires/{territory}/invitations"),
    ("organiser", "/territoires/{territory}/consultations/nouvelle"),
    ("organiser", "/consultations/{consultation}/modifier"),
    ("organiser", "/consultations/{consultation}/ressources"),
    ("organiser", "/territoires/{territory}/charte/modifier"),
    ("organiser", "/territoires/{territory}/moderation/blocages"),
    ("organiser", "/territoires/{territory}/moderation/proposition/{proposal}/expurger"),
]

TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "0", "-1", "99999999999999999999", "2026-02-31T25:61", "<script>x</script>",
                     "a" * 6000, "é" * 200, "https://exemple.org", "x@y", "'; DROP TABLE user; --", "\u202e"]),
)


def scene(app):
    consultation = make_consultation("proposals")
    organiser = next(m.user for m in consultation.territory.memberships if m.role == "organiser")
    proposal = make_proposal(consultation)
    return {
        "people": {"participant": make_user(), "admin": make_user("admin"), "organiser": organiser},
        "names": {"territory": consultation.territory.slug, "consultation": consultation.id,
                  "proposal": proposal.id, "comment": make_comment(proposal).id},
    }


@pytest.mark.parametrize("role, url", FORMS)
def test_no_input_gives_a_500(app, client, auth, role, url):
    world = scene(app)
    if role != "visitor":
        auth.login(world["people"][role])
    url = url.format(**world["names"])
    page = client.get(url)
    assert page.status_code == 200, url
    form = main_form(page.get_data(as_text=True))
    target = form.action or url
    names = [n for n in form.fields if n != "csrf_token"]
    assert names, f"no field found in the form of {url}"

    values = st.fixed_dictionaries({
        name: (st.one_of(st.sampled_from(form.fields[name]), TEXT) if form.fields[name] else TEXT)
        for name in names
    })

    @given(data=values)
    @settings(max_examples=15, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def submit(data):
        response = client.post(target, data={k: v for k, v in data.items() if v is not None})
        assert response.status_code < 500, (target, data)

    submit()
