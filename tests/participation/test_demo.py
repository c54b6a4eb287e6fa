"""The demonstration shows real figures on « Qui a participé ? » for the élue of Saint-Aubin."""

from sqlalchemy import func, select

from concertation.consultations.models import Consultation
from concertation.extensions import db
from concertation.participation import comparison
from concertation.participation.models import AgePopulation, ParticipationProfile
from concertation.accounts.models import User


def test_the_demo_gives_population_and_profiles_and_the_elue_reads_figures(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(func.distinct(AgePopulation.territory_id)))) == 3
    assert db.session.scalar(select(func.count(ParticipationProfile.id))) >= 40
    consultation = db.session.scalar(select(Consultation).where(Consultation.title == "L’IA à l’accueil de la mairie"))
    maire = db.session.scalar(select(User).where(User.email == "maire@saint-aubin-des-pres.example"))
    client.post("/compte/connexion", data={"email": maire.email, "password": "demo-concertation-2026"})
    page = client.get(f"/consultations/{consultation.id}/qui-a-participe").get_data(as_text=True)
    assert "Centre-bourg" in page and "<svg" in page
    figures = comparison.compare(consultation)
    age, area = figures["dimensions"][0], figures["dimensions"][1]
    # Enough people that most figures are shown, and none under 10.
    assert sum(row["count"] is not None for row in age["rows"]) >= 4
    assert sum(row["count"] is not None for row in area["rows"]) >= 3
    assert all(row["count"] is None or row["count"] >= 10 for row in age["rows"] + area["rows"])
