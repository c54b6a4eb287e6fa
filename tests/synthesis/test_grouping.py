from concertation.synthesis.grouping import Analyser, fold, group_texts, proposal_aid
from tests.factories import make_consultation, make_proposal_row

ITEMS = [
    (1, "Former les agents à l’IA", "Des formations pour tous les agents avant tout outil."),
    (2, "Formation des agents à l'intelligence artificielle", "Former les agents municipaux aux outils."),
    (3, "Protéger les données personnelles", "Aucune donnée personnelle des usagers ne doit sortir de France."),
    (4, "Données personnelles protégées", "Protéger les données des usagers, hébergement en France."),
    (5, "Des pistes cyclables", "Plus de vélos en ville."),
    (6, "Former les agents à l’IA", "Des formations pour tous les agents avant tout outil !"),
]


def test_french_analysis_folds_accents_stems_and_drops_stop_words():
    analyser = Analyser()
    assert fold("Éducation œuvre") == "education oeuvre"
    assert analyser.roots("Les formations et la formation des agents") == ["format", "format", "agent"]
    assert analyser.shown_form("format") == "formations"


def test_similar_proposals_are_grouped_with_their_telling_words():
    aid = group_texts(ITEMS)
    groups = {frozenset(pid for pid, _t in g.members): g for g in aid.groups}
    assert set(groups) == {frozenset({1, 2, 6}), frozenset({3, 4})}
    assert "agents" in groups[frozenset({1, 2, 6})].words
    assert "données" in groups[frozenset({3, 4})].words
    assert aid.grouped_count == 5


def test_likely_duplicates_are_pairs_above_the_duplicate_threshold():
    aid = group_texts(ITEMS)
    pairs = {(a[0], b[0]) for a, b, _s in aid.duplicates}
    assert (1, 6) in pairs and (1, 5) not in pairs
    assert aid.duplicates[0][2] == 1.0


def test_aid_reads_only_visible_proposals(app):
    consultation = make_consultation("synthesis")
    for _pid, title, body in ITEMS[:4]:
        make_proposal_row(consultation, title=title, body=body)
    make_proposal_row(consultation, title=ITEMS[0][1], body=ITEMS[0][2], moderation="hidden")
    aid = proposal_aid(consultation)
    assert aid.proposal_count == 4 and len(aid.groups) == 2
