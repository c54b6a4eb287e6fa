"""Support bars beside the counts, only where vote counts may be shown (phases.results_visible)."""

import re

from tests.factories import make_consultation, make_proposal, make_support

BAR = re.compile(r'<svg class="support-bar"[^>]*><rect class="support-bar-fill" width="([\d.]+)"')


def scene(**kw):
    consultation = make_consultation("vote", **kw)
    first, second = make_proposal(consultation), make_proposal(consultation)
    for _ in range(4):
        make_support(first)
    make_support(second)
    return consultation


def test_bars_scale_to_the_most_supported_proposal_only_when_counts_are_public(client):
    secret = scene()
    listing = client.get(f"/consultations/{secret.id}/propositions").get_data(as_text=True)
    assert not BAR.search(listing) and "soutiens" not in listing.split('class="cards')[1]
    consultation = scene(results_live=True)
    listing = client.get(f"/consultations/{consultation.id}/propositions").get_data(as_text=True)
    assert sorted(float(w) for w in BAR.findall(listing)) == [25.0, 100.0]
    results = client.get(f"/consultations/{consultation.id}/resultats").get_data(as_text=True)
    assert [float(w) for w in BAR.findall(results)] == [100.0, 25.0]
