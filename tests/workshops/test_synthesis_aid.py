"""Contributions collected at a workshop go through the synthesis aid like any other, marked as such."""

import html
import re
from datetime import timedelta

from concertation.db import utcnow
from concertation.extensions import db
from concertation.workshops import outcome
from tests.factories import make_consultation, make_proposal_row, make_territory, make_user, make_workshop
from tests.synthesis.aid_fixtures import themed_texts
from tests.synthesis.conftest import fake_embeddings  # noqa: F401  (the fixture, for this folder)


def test_the_aid_groups_collected_proposals_and_marks_them(client, auth, fake_embeddings):  # noqa: F811
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("synthesis", territory=territory, author=organiser)
    texts = themed_texts(12)
    author = make_user()
    for _theme, title, body in texts[:-3]:
        make_proposal_row(consultation, author=author, title=title, body=body)
    workshop = make_workshop(consultation, starts_in=timedelta(days=-3))
    for _theme, title, body in texts[-3:]:
        outcome.collect_proposal(workshop, title, body, consultation.themes[0].id, utcnow())
    db.session.commit()
    auth.login(organiser)
    assert client.post(f"/consultations/{consultation.id}/synthese/aide/calculer").status_code == 302
    page = re.sub(
        r"\s+", " ", html.unescape(client.get(f"/consultations/{consultation.id}/synthese/aide").get_data(as_text=True))
    )
    assert f"{len(texts)} propositions visibles" in page
    assert "Dont 3 recueillies en atelier" in page
    assert page.count('class="badge badge-collected"') == 3
