"""Every form of the platform, fuzzed with hypothesis: no input ever gives a 500.

The forms are not listed by hand. A scene holds something of every kind (consultations in each
phase, proposals, comments, votes, a synthesis draft and a published one, manifestos, a
suggestion, a block, a report, templates, resources…); the pages are crawled, following links,
as each role; every POST form found on them is fuzzed with the fields read from the page. Then
every POST route of the URL map must have been found in some form, so that a new form is fuzzed
without touching this file, and a route no page offers fails here.
"""

from collections import deque
from urllib.parse import urljoin, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concertation.accounts.services import reset_token
from concertation.commitments import services as commitments
from concertation.consultations.services import add_resource
from concertation.db import utcnow
from concertation.extensions import db
from concertation.manifesto import amendments as manifesto_amendments, endorsements, services as manifesto, suggestions
from concertation.moderation import services as moderation
from concertation.notifications.services import follow
from concertation.participation import services as participation
from concertation.proposals import answers
from concertation.synthesis import services as synthesis
from concertation.territories.services import create_invitation
from tests.factories import (
    make_comment,
    make_consultation,
    make_proposal,
    make_proposal_row,
    make_questionnaire,
    make_support,
    make_territory,
    make_user,
    make_workshop,
)
from tests.html_forms import forms_in
from tests.manifesto.scene import manifesto_with_point, published_synthesis
from tests.texts.scene import make_amendment, make_text

TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-31T25:61",
            "<script>x</script>",
            "a" * 6000,
            "é" * 200,
            "https://exemple.org",
            "x@y",
            "'; DROP TABLE user; --",
            "\u202e",
        ]
    ),
)

# POST routes no page can offer as a form, with the reason.
NO_FORM = {
    "accounts.logout": "fuzzed apart: it signs the crawler out",
    # Offered only in states this scene does not reach; each has its own view tests.
    "comments.edit": "offered for 15 minutes after writing; the scene's comments are dated in their phase",
    "comments.delete": "offered with the edit link, to the author only (tests/comments/test_views.py)",
    "consultations.remove_cover": "offered once a cover is uploaded (tests/territories/test_branding.py)",
    "synthesis.cite": "offered with the results of a citation search (tests/synthesis/test_views.py)",
    "synthesis.aid_accept_draft": "offered once the aid is computed (tests/synthesis/test_aid_views.py)",
    "synthesis.aid_merge_groups": "offered once the aid is computed (tests/synthesis/test_aid_views.py)",
    "synthesis.aid_move": "offered once the aid is computed (tests/synthesis/test_aid_views.py)",
    "synthesis.aid_rename": "offered once the aid is computed (tests/synthesis/test_aid_views.py)",
    "synthesis.aid_split": "offered once the aid is computed (tests/synthesis/test_aid_views.py)",
    "operations.dead_letters": "its retry button shows beside a failed email (tests/operations/test_outbox.py)",
    # Reached only through a FranceConnect / ProConnect sign-in (a provider on loopback, tests/identity/).
    "identity.welcome": "after a first sign-in at a provider (tests/identity/test_sign_in.py)",
    "identity.link_account": "after a provider sign-in whose email has an account (tests/identity/test_sign_in.py)",
    "identity.link_by_email": "on the linking page above (tests/identity/test_sign_in.py)",
    "identity.unlink": "beside an identity linked at a provider (tests/identity/test_sign_in.py)",
}

# Downloads and feeds: no form there, and large bodies.
SKIPPED_SUFFIXES = (".pdf", ".odt", ".csv", ".json", ".svg", ".png", ".woff2", ".css", ".js")
PAGES_PER_ENDPOINT = 3
ROLES = ("organiser", "participant", "editor", "elu", "admin", "visitor")


def world():
    """Something of every kind, and who may act on it."""
    territory = make_territory(population=5000)
    organiser = make_user("organiser", territory)
    participant = make_user()
    elu = make_user("elu", territory)
    editor = make_user("editor")
    admin = make_user("admin")
    now = utcnow()

    proposing = make_consultation("proposals", territory=territory, author=organiser)
    mine = make_proposal(proposing, author=participant)
    other = make_proposal(proposing)
    comment = make_comment(other, author=participant)
    make_comment(other, parent=comment)  # a reply: a notification to open
    moderation.report(participant, other, "spam", "", now)  # the queue has something to decide
    moderation.block(organiser, territory, make_user(), "Insultes répétées", now)
    answers.create_template(proposing, "Retenue", "retained", "Merci, nous la retenons.")
    add_resource(proposing, "Le rapport", "Lire avant de proposer.", "https://exemple.org/rapport")

    follow(participant, consultation=proposing, now=now)
    participation.set_population(territory, {"15-29": 900}, [participation.AreaFigure("Centre", 900)])
    participation.save_profile(participant, "30-44", None, "habitant", None, True, now)  # its delete button
    charter = make_text(proposing)  # a participatory text: amend, support, answer (one and in bulk)
    make_amendment(charter)
    unamended = make_text(proposing)  # nothing awaits an answer: the publish button
    preparing = make_text(proposing, status="draft")  # import again, open
    asking = make_questionnaire(proposing, author=organiser)  # answered section by section
    building = make_questionnaire(proposing, published=False, author=organiser)  # the editor's forms
    from datetime import timedelta

    from concertation.workshops import services as workshops

    coming = make_workshop(proposing, author=organiser)  # register, edit the announcement, cancel it
    workshops.register(make_user(), coming, now)  # taken off the list by the organiser
    # The participant's own registration, on another workshop: fuzzing the organiser's forms cancels `coming`.
    attending = make_workshop(proposing, author=organiser, title="Atelier où la personne est inscrite")
    workshops.register(participant, attending, now)  # cancel
    met = make_workshop(proposing, starts_in=timedelta(days=-2), author=organiser)  # minutes, collected contributions

    supporting = make_consultation("vote", territory=territory, author=organiser)
    supported = make_proposal_row(supporting)
    make_support(supported, participant)
    unsupported = make_proposal_row(supporting)
    judging = make_consultation("vote", territory=territory, author=organiser, voting_method="majority")
    judged = make_proposal_row(judging)
    graded = make_text(judging)  # an amendment graded by majority judgment
    make_amendment(graded)
    make_consultation("synthesis", territory=territory, author=organiser)  # no draft yet: the start button

    drafting = make_consultation("synthesis", territory=territory, author=organiser)
    retained = make_proposal_row(drafting, answer="retained", theme=drafting.themes[0])
    draft = synthesis.start_synthesis(organiser, drafting)
    synthesis.set_retained(draft, [retained.id])
    synthesis.add_citation(draft.sections[0], "proposal", retained.id, None)

    _c, version, _o = published_synthesis(territory=territory)
    published, _d, _p, _e = manifesto_with_point(version, editor=editor)
    endorsements.sign(elu, manifesto.published_versions(published)[0], territory, "Nous signons.", now)
    unsigned, _d, _p, _e = manifesto_with_point(version, editor=editor)
    being_written, _draft, _point, _e = manifesto_with_point(version, editor=editor, publish=False)
    suggestions.suggest(
        organiser,
        being_written,
        version.id,
        f"r{version.retained[0].id}",
        "Elle est au cœur de la synthèse de la commune.",
        now,
    )
    # A draft open to the territories' amendments: amend, co-sign, withdraw, answer (one and in bulk), close.
    amended, _d, amended_point, _e = manifesto_with_point(version, editor=editor)
    amended_draft = manifesto.start_draft(amended, now)
    manifesto_amendments.open_amendments(amended_draft)
    neighbour = make_territory()
    neighbour_organiser = make_user("organiser", neighbour)
    for kind, wording in (("delete", ""), ("replace", "Une rédaction plus précise du point.")):
        proposed = manifesto_amendments.propose(
            neighbour_organiser, neighbour, amended_draft, amended_point.uid, kind, wording, "Une justification.", now
        )
    manifesto_amendments.cosign(organiser, territory, proposed, now)
    _invitation, token = create_invitation(organiser, territory, "agent@exemple.org", now)
    commitment = commitments.create_commitment(
        organiser, territory, commitments.CommitmentData(title="Former les agents", progress=10), now
    )
    commitments.add_milestone(organiser, commitment, "Premier jalon", None, now)
    db.session.commit()
    # The library: an entry of the territory (edited, linked, assessed) and one of another (adopted).
    from tests.library.factories import make_entry

    from tests.library.factories import make_adoption

    make_adoption(make_entry(territory, organiser))  # its retour: reported, hidden by the organiser
    make_entry(title="Chatbot d’accueil d’une autre commune")

    people = {"organiser": organiser, "participant": participant, "elu": elu, "editor": editor, "admin": admin}
    seeds = [
        "/",
        f"/territoires/{territory.slug}",
        f"/consultations/{proposing.id}",
        f"/textes/{charter.id}",
        f"/textes/{unamended.id}/amendements",
        f"/textes/{preparing.id}",
        f"/textes/{graded.id}",
        f"/questionnaires/{asking.id}",
        f"/questionnaires/{building.id}/modifier",
        f"/ateliers/{coming.id}",
        f"/ateliers/{attending.id}",
        f"/ateliers/{met.id}",
        f"/propositions/{mine.id}",
        f"/propositions/{other.id}",
        f"/consultations/{supporting.id}/propositions",
        f"/propositions/{supported.id}",
        f"/propositions/{unsupported.id}",
        f"/propositions/{judged.id}",
        f"/consultations/{judging.id}/propositions",
        f"/consultations/{judging.id}/evaluer",
        f"/consultations/{drafting.id}/synthese/rediger",
        f"/manifeste/{published.slug}",
        f"/manifeste/{unsigned.slug}",
        f"/manifeste/{being_written.slug}/brouillon",
        f"/manifeste/{amended.slug}/brouillon",
        f"/manifeste/{amended.slug}/versions/2/amendements",
        "/compte/renvoyer-confirmation",
        f"/compte/reinitialiser/{reset_token(participant)}",
        f"/invitation/{token}",
        "/notifications",
        "/compte/profil",
        "/compte/mes-donnees",
        "/admin/territoires",
        f"/engagements/{commitment.id}",
        f"/consultations/{version.consultation_id}/synthese/versions/{version.number}/engagements",
        "/bibliotheque",
    ]
    return people, seeds


def crawl(client, seeds: list[str], found: dict) -> None:
    """Visit `seeds` and the pages linked from them (a few per endpoint); record each POST form by its endpoint."""
    adapter = client.application.url_map.bind("localhost")
    seen, per_endpoint, queue = set(), {}, deque(seeds)
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        if path in seen or path.endswith(SKIPPED_SUFFIXES) or not path.startswith("/") or path.startswith("/static/"):
            continue
        seen.add(path)
        try:
            endpoint, _args = adapter.match(path, method="GET")
        except Exception:  # not a page (a POST-only route, a 404): nothing to read
            continue
        if per_endpoint.get(endpoint, 0) >= PAGES_PER_ENDPOINT and url not in seeds:
            continue
        per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        html = response.get_data(as_text=True)
        for form in forms_in(html):
            if form.method != "post":
                continue
            action = urlsplit(urljoin(url, form.action or url)).path
            try:
                posted, _args = adapter.match(action, method="POST")
            except Exception:
                continue
            found.setdefault(posted, (url, action, form))
        for link in _links(html):
            queue.append(urljoin(url, link))


def _links(html: str) -> list[str]:
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs = []

        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href")
            if tag == "a" and href and not href.startswith(("http:", "https:", "mailto:", "#")):
                self.hrefs.append(href)

    parser = Links()
    parser.feed(html)
    return parser.hrefs


def fuzz(client, action: str, form) -> None:
    names = [n for n in form.fields if n != "csrf_token"]
    values = st.fixed_dictionaries(
        {
            name: (st.one_of(st.sampled_from(form.fields[name]), TEXT) if form.fields.get(name) else TEXT)
            for name in names or ["champ_inconnu"]  # a button alone: post something it does not expect
        }
    )

    @given(data=values)
    @settings(max_examples=6, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def submit(data):
        response = client.post(action, data={k: v for k, v in data.items() if v is not None})
        assert response.status_code < 500, (action, data)

    submit()


def test_every_form_found_from_the_url_map_survives_any_input(app, client, auth):
    people, seeds = world()
    forms: dict[str, tuple[str, str, object]] = {}
    roles_of: dict[str, str] = {}
    for role in ROLES:
        auth.logout()
        if role != "visitor":
            auth.login(people[role])
        before = set(forms)
        crawl(client, seeds, forms)
        for endpoint in set(forms) - before:
            roles_of[endpoint] = role
        for endpoint in set(forms) - before:
            _page, action, form = forms[endpoint]
            if endpoint in NO_FORM:
                continue
            if role != "visitor":
                auth.login(people[role])  # a fuzzed form may have signed the crawler out or changed its rights
            fuzz(client, action, form)

    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    missing = sorted(posts - set(forms) - set(NO_FORM))
    assert not missing, f"POST routes no crawled page offers as a form (add to the scene or to NO_FORM): {missing}"
    assert len(forms) >= 60


def test_signing_out_with_any_input_never_fails(client, auth):
    auth.login(make_user())
    fuzzed = given(data=st.dictionaries(st.text(max_size=20), TEXT, max_size=3))
    settings_ = settings(
        max_examples=10, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )

    @settings_
    @fuzzed
    def submit(data):
        assert client.post("/compte/deconnexion", data=data).status_code < 500

    submit()
