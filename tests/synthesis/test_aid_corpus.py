"""The labelled corpus of the synthesis aid's benchmark is consistent with what its README says."""

import re
from collections import Counter

import pytest

from tests.data.aid_corpus_stats import load

THEMES = {
    "accueil",
    "formation",
    "donnees",
    "transparence",
    "environnement",
    "mobilite",
    "education",
    "social",
    "reseaux",
    "democratie",
}


@pytest.fixture(scope="module")
def corpus():
    return load()


def test_every_proposal_has_an_id_a_title_a_body_and_a_known_theme(corpus):
    assert len(corpus) >= 400
    assert len({row["id"] for row in corpus}) == len(corpus)
    for row in corpus:
        assert row["title"].strip() and row["body"].strip()
        assert row["theme"] in THEMES | {"hors_sujet"}
        assert row["off_topic"] == (row["theme"] == "hors_sujet")
    assert set(Counter(row["theme"] for row in corpus)) == THEMES | {"hors_sujet"}


def test_no_two_proposals_are_copies(corpus):
    texts = Counter(re.sub(r"\W+", " ", row["body"].lower()).strip() for row in corpus)
    assert texts.most_common(1)[0][1] == 1


def test_fifteen_off_topic_proposals_outside_every_pair(corpus):
    off = [row for row in corpus if row["off_topic"]]
    assert len(off) == 15
    assert all(row["duplicate_group"] is None and row["paraphrase_of"] is None for row in off)


def test_forty_paraphrase_pairs_each_pointing_to_an_existing_proposal_of_its_theme(corpus):
    by_id = {row["id"]: row for row in corpus}
    paraphrases = [row for row in corpus if row["paraphrase_of"] is not None]
    assert len(paraphrases) == 40
    for row in paraphrases:
        original = by_id[row["paraphrase_of"]]
        assert original["id"] != row["id"]
        assert original["theme"] == row["theme"]
        assert original["paraphrase_of"] is None
        assert original["duplicate_group"] == row["duplicate_group"] is not None
    groups = Counter(row["duplicate_group"] for row in corpus if row["duplicate_group"] is not None)
    assert len(groups) == 40 and set(groups.values()) == {2}


def test_paraphrases_say_it_in_other_words(corpus):
    by_id = {row["id"]: row for row in corpus}
    for row in corpus:
        if row["paraphrase_of"] is not None:
            a = set(re.findall(r"\w+", row["body"].lower()))
            b = set(re.findall(r"\w+", by_id[row["paraphrase_of"]]["body"].lower()))
            assert len(a & b) / len(a | b) < 0.4, row["id"]
