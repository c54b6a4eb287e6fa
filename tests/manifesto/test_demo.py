from concertation.manifesto import endorsements, provenance, services, suggestions


def test_seed_demo_publishes_a_manifesto_drawn_from_two_territories_and_signed_by_an_elu(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    [manifesto] = services.all_manifestos()
    version = services.latest_published(manifesto)
    assert version.number == 1 and all(point.sources for point in version.points)
    contribution = provenance.contribution(version)
    assert len(contribution.territories) >= 2 and contribution.participants > 0
    assert [e.territory.slug for e in endorsements.signatories(version)] == ["saint-aubin-des-pres"]
    assert suggestions.pending_by_theme(manifesto)
    page = client.get(f"/manifeste/{manifesto.slug}")
    assert page.status_code == 200 and "Un humain toujours joignable" in page.get_data(as_text=True)
    for point in version.points:
        assert client.get(f"/manifeste/{manifesto.slug}/versions/1/points/{point.uid}").status_code == 200
    assert client.get("/manifeste").status_code == 302
