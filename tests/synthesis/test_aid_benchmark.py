"""The metric functions of bench/synthesis_aid.py, on partitions and pairs whose answer is known."""

import random

import pytest

import numpy as np

from bench.synthesis_aid import (
    adjusted_rand_index,
    average_precision,
    best_recall_at_precision,
    duplicate_scores,
    off_topic_landing,
    pair_key,
    partition_labels,
    partner_ranks,
    perturb,
    planted_votes,
    precision_recall_table,
    recall_at_precisions,
    same_group,
    theme_labels,
    today,
)


@pytest.mark.parametrize(
    ("truth", "predicted", "expected"),
    [
        ([0, 0, 1, 1], [0, 0, 1, 1], 1.0),
        ([0, 0, 1, 1], [1, 1, 0, 0], 1.0),  # names of the groups do not matter
        ([0, 0, 1, 2], [0, 0, 1, 1], 4 / 7),  # scikit-learn's documented example: 0.5714…
        ([0, 0, 1, 1], [0, 0, 1, 2], 4 / 7),  # symmetric
        ([0, 0, 0, 0], [0, 1, 2, 3], 0.0),  # everyone alone against one class: chance level
        ([0, 0, 1, 1], [0, 1, 0, 1], -0.5),  # worse than chance
        (["a", "a", "a", "b", "b", "b"], ["x", "x", "y", "y", "z", "z"], 0.24242424242424243),
    ],
)
def test_adjusted_rand_index_on_known_partitions(truth, predicted, expected):
    assert adjusted_rand_index(truth, predicted) == pytest.approx(expected)


def test_adjusted_rand_index_refuses_labellings_of_different_lengths():
    with pytest.raises(ValueError):
        adjusted_rand_index([0, 1], [0])


def test_ungrouped_proposals_are_singletons_and_off_topic_ones_their_own_class():
    labels = partition_labels([1, 2, 3, 4], [[1, 2]], [3])
    assert labels[0] == labels[1] and len({labels[2], labels[3], labels[0]}) == 3
    rows = [
        {"id": 1, "theme": "mobilite", "off_topic": False},
        {"id": 2, "theme": "hors_sujet", "off_topic": True},
        {"id": 3, "theme": "hors_sujet", "off_topic": True},
    ]
    assert len(set(theme_labels(rows))) == 3
    assert len(set(theme_labels(rows, "one class"))) == 2
    with pytest.raises(ValueError):
        partition_labels([1, 2], [[1, 2], [2]], [])


def test_average_precision_and_the_curve_reward_labelled_pairs_ranked_first():
    truth = {pair_key(1, 2), pair_key(3, 4)}
    first = [(1, 2, 0.9), (4, 3, 0.8), (5, 6, 0.7)]
    last = [(5, 6, 0.9), (1, 2, 0.8), (3, 4, 0.7)]
    assert average_precision(first, truth) == pytest.approx(1.0)
    assert average_precision(last, truth) == pytest.approx((1 / 2 + 2 / 3) / 2)
    # A labelled pair the method never scores counts as missed.
    assert average_precision([(1, 2, 0.9)], truth) == pytest.approx(0.5)
    curve = recall_at_precisions(last, truth, floors=(0.5, 0.7))
    assert curve == {0.5: 1.0, 0.7: 0.0}


def test_same_group_counts_pairs_whose_members_share_a_group_not_the_ungrouped():
    truth = {pair_key(1, 2), pair_key(3, 4), pair_key(5, 6)}
    assert same_group([[1, 2, 7], [3], [4]], truth) == 1  # 5 and 6 both ungrouped: not « found »


def test_partner_ranks_on_vectors_whose_neighbours_are_known():
    # 1 and 2 point the same way; 3 is nearest to 1, but 1's nearest is 2.
    vectors = np.array([[1.0, 0.0], [0.99, 0.1], [0.9, 0.44], [0.0, 1.0]])
    ranks = partner_ranks([1, 2, 3, 4], vectors, {pair_key(1, 2), pair_key(1, 3)})
    assert ranks == {"nearest": 1, "mutual": 1, "top3": 2, "top10": 2}


def test_duplicate_recall_and_precision_on_a_tiny_example():
    truth = {pair_key(1, 2), pair_key(3, 4)}
    scores = duplicate_scores([(2, 1, 0.9), (5, 6, 0.8)], truth)
    assert scores == {"found": 2, "hits": 1, "recall": 0.5, "precision": 0.5}
    assert duplicate_scores([], truth)["precision"] is None


def test_precision_recall_table_keeps_the_best_scored_pairs_first():
    truth = {pair_key(1, 2), pair_key(3, 4)}
    candidates = [(5, 6, 0.5), (1, 2, 0.9), (3, 4, 0.4), (7, 8, 0.95)]
    table = precision_recall_table(candidates, truth, tops=(1, 2, 4, 10))
    assert [(r["kept"], r["hits"]) for r in table] == [(1, 0), (2, 1), (4, 2)]
    assert table[1]["threshold"] == 0.9 and table[1]["precision"] == 0.5 and table[2]["recall"] == 1.0


def test_best_recall_at_precision_never_cuts_between_tied_scores():
    truth = {pair_key(1, 2), pair_key(3, 4), pair_key(5, 6)}
    candidates = [(1, 2, 0.9), (3, 4, 0.8), (7, 8, 0.8), (5, 6, 0.7)]
    best = best_recall_at_precision(candidates, truth, 0.8)
    assert best == {"recall": 1 / 3, "threshold": 0.9, "precision": 1.0}
    assert best_recall_at_precision(candidates, truth, 0.7)["recall"] == 1.0


def test_off_topic_landing_tells_theme_groups_from_groups_of_off_topic_ones():
    rows = [
        {"id": 1, "theme": "mobilite", "off_topic": False, "title": "Bus"},
        {"id": 2, "theme": "mobilite", "off_topic": False, "title": "Tram"},
        {"id": 3, "theme": "hors_sujet", "off_topic": True, "title": "Chiens"},
        {"id": 4, "theme": "hors_sujet", "off_topic": True, "title": "Piscine"},
        {"id": 5, "theme": "hors_sujet", "off_topic": True, "title": "Bancs"},
    ]
    landing = off_topic_landing(rows, [[1, 2, 3], [4, 5]], [])
    assert (landing["ungrouped"], landing["off_topic_groups"], landing["theme_groups"]) == (0, 2, 1)
    assert "Chiens" in landing["details"][0]


def test_perturbation_is_seeded_and_light():
    text = "Former tous les agents à l'intelligence artificielle. Avant tout achat d'outil. Avec du temps."
    assert perturb(text, random.Random(3)) == perturb(text, random.Random(3))
    words = perturb(text, random.Random(3)).split()
    assert 0.7 * len(text.split()) <= len(words) <= len(text.split())


def test_planted_votes_have_the_planted_group_shares():
    votes, labels, consensus, divisive = planted_votes(1000, 100, seed=2)
    assert votes.shape == (1000, 100)
    assert abs((labels == 0).mean() - 0.4) < 0.05 and abs((labels == 3).mean() - 0.1) < 0.05
    assert len(set(consensus) | set(divisive)) == 40
    others = [c for c in range(100) if c not in set(consensus) | set(divisive)]
    assert votes[:, consensus].mean() > 3 * votes[:, others].mean()
    for column in divisive:  # supported by one group, hardly by the others
        shares = [votes[labels == g][:, column].mean() for g in range(4)]
        assert max(shares) > 5 * sorted(shares)[-2]


def test_todays_adapter_places_every_proposal_once():
    items = [
        (1, "Former les agents à l’IA", "Des formations pour tous les agents avant tout outil."),
        (2, "Formation des agents à l'intelligence artificielle", "Former les agents municipaux aux outils."),
        (3, "Un parc à chiens", "Un espace clôturé près du square."),
        (4, "Former les agents à l’IA", "Des formations pour tous les agents avant tout outil !"),
    ]
    result = today(items)
    placed = [pid for group in result["groups"] for pid in group] + result["ungrouped"]
    assert sorted(placed) == [1, 2, 3, 4]
    assert pair_key(1, 4) in {pair_key(a, b) for a, b, _s in result["duplicates"]}
    assert 3 in result["ungrouped"]


def test_the_new_aids_adapter_turns_its_result_into_groups_apart_and_pairs(monkeypatch):
    import sys
    import types

    import numpy as np

    import concertation.synthesis
    from bench.synthesis_aid import new

    class Group:
        def __init__(self, members):
            self.members, self.words = members, []

    def semantic_aid(items, vectors=None):
        assert vectors is not None and len(vectors) == len(items)
        return types.SimpleNamespace(
            groups=[Group([(1, "a"), (2, "b")])], apart=[(3, "c")], duplicates=[((1, "a"), (2, "b"), 0.97)]
        )

    fake = types.ModuleType("concertation.synthesis.semantic")
    fake.semantic_aid = semantic_aid
    fake.item_vectors = lambda items: np.eye(len(items), 4, dtype=np.float32)
    fake.DUPLICATE_THRESHOLD = 0.9
    monkeypatch.setitem(sys.modules, "concertation.synthesis.semantic", fake)
    monkeypatch.setattr(concertation.synthesis, "semantic", fake, raising=False)
    monkeypatch.setenv("AID_BENCH_CACHE", "0")
    result = new([(1, "a", "x"), (2, "b", "y"), (3, "c", "z"), (4, "d", "w")])
    assert result["groups"] == [[1, 2]] and sorted(result["ungrouped"]) == [3, 4]
    assert result["duplicates"] == [(1, 2, 0.97)] and result["duplicate_threshold"] == 0.9
    assert set(result["timings"]) == {"embeddings", "groups and duplicates"}
    assert {pair_key(a, b) for a, b, _s in result["duplicate_candidates"]} == {
        pair_key(a, b) for a in range(1, 5) for b in range(a + 1, 5)
    }


def test_peak_memory_sees_what_the_block_allocates_even_below_an_earlier_peak():
    import time

    import numpy as np

    from bench.synthesis_aid import PeakMemory

    earlier = np.ones(80 * 2**20 // 8)  # an earlier, higher peak (80 MB), then freed
    del earlier
    with PeakMemory() as memory:
        block = np.ones(40 * 2**20 // 8)  # 40 MB, touched
        block.sum()
        time.sleep(0.05)  # held long enough for several 5 ms samples
        del block
    figures = memory.figures()
    assert 35 <= figures["growth_mb"] <= 60
    assert figures["peak_mb"] >= figures["before_mb"] + figures["growth_mb"] - 0.2


def test_the_corpus_vectors_are_kept_between_runs_and_recomputed_when_a_text_changes(monkeypatch, tmp_path):
    import types

    import numpy as np

    from bench.synthesis_aid import cached_vectors

    calls = []

    def item_vectors(items):
        calls.append(len(items))
        return np.full((len(items), 3), len(calls), dtype=np.float32)

    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path))
    semantic = types.SimpleNamespace(item_vectors=item_vectors)
    items = [(1, "Titre", "Texte."), (2, "Autre", "Encore.")]
    first, cached = cached_vectors(semantic, items)
    assert not cached and calls == [2]
    again, cached = cached_vectors(semantic, list(items))
    assert cached and calls == [2] and np.array_equal(again, first)
    changed, cached = cached_vectors(semantic, [items[0], (2, "Autre", "Encore !")])
    assert not cached and calls == [2, 2] and changed[0, 0] == 2


def test_before_is_the_aid_as_committed():
    from bench.synthesis_aid import semantic_at

    module = semantic_at("HEAD")
    assert callable(module.semantic_aid) and module.__file__.startswith("HEAD:")


def test_duplicates_study_scores_on_known_pairs():
    from bench.duplicates_study import content_overlap, fit_logistic, rank_score

    rows = [
        {"title": "Pistes cyclables", "body": "Des pistes cyclables sûres"},
        {"title": "Vélo", "body": "Des pistes cyclables sécurisées"},
        {"title": "Cantine", "body": "Des repas bio à la cantine"},
    ]
    overlap = content_overlap(rows)
    assert overlap[0, 1] > 0 and overlap[0, 2] == 0 and overlap[0, 1] == overlap[1, 0]
    similarity = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]])
    ranks = rank_score(similarity)
    assert ranks[0, 1] > ranks[0, 2] and ranks[0, 1] > ranks[1, 2]
    # Separable labels: the calibrated scorer ranks every positive above every negative.
    features = np.array([[0.9, 0.1], [0.8, 0.2], [0.2, 0.1], [0.1, 0.3], [0.3, 0.2]])
    scorer = fit_logistic(features, np.array([1.0, 1.0, 0.0, 0.0, 0.0]))
    scores = scorer(features)
    assert scores[:2].min() > scores[2:].max()
