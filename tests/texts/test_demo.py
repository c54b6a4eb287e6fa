"""The demonstration's participatory text: Saint-Aubin's charter, amended and adopted."""

from sqlalchemy import func, select

from concertation.extensions import db
from concertation.texts.models import Amendment, DraftText, Paragraph, TextVersion


def test_the_demo_has_an_adopted_charter_with_its_amendments(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    text = db.session.scalar(select(DraftText))
    assert text.title == "Charte d’usage de l’IA par les agents" and text.status == "adopted"
    assert text.consultation.territory.name == "Saint-Aubin-des-Prés"
    assert db.session.scalar(select(func.count(Paragraph.id))) == 12
    assert db.session.scalar(select(func.count(Amendment.id))) == 15
    accepted = db.session.scalar(select(func.count(Amendment.id)).where(Amendment.status.like("accepted%")))
    assert accepted == 3
    version = db.session.scalar(select(TextVersion))
    page = client.get(f"/textes/versions/{version.id}").get_data(as_text=True)
    assert "Agent d’accueil" in page and "Karim B." in page
    assert client.get(f"/textes/{text.id}").status_code == 200
