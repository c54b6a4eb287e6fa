import csv
import io
import json

from concertation.synthesis.exports import csv_json
from tests.factories import make_comment_row, make_consultation, make_grade, make_proposal_row, make_support, make_user


def dataset(consultation, name, full=False):
    columns = csv_json.columns_of(name, full)
    raw = b"".join(csv_json.stream_csv(columns, csv_json.rows_of(consultation, name, full)))
    document = json.loads(
        b"".join(
            csv_json.stream_json(
                csv_json.metadata(consultation, name, full), columns, csv_json.rows_of(consultation, name, full)
            )
        )
    )
    return raw, document


def test_proposals_csv_and_json_parse_back_pseudonymised_with_licence(monkeypatch):
    monkeypatch.setattr(csv_json, "BATCH", 2)  # several batches, to test the keyset pagination
    consultation = make_consultation("synthesis")
    author = make_user(pseudonym="Camille", email="camille.secret@exemple.org", name="Camille Secret")
    proposals = [
        make_proposal_row(
            consultation, author=author, title=f"Idée {i}", body="Former, former.", theme=consultation.themes[0]
        )
        for i in range(5)
    ]
    make_proposal_row(consultation, title='=HYPERLINK("http://x")', answer="retained", answer_text="-Oui")
    make_proposal_row(consultation, title="Masquée", moderation="hidden")
    for user in (make_user(), make_user()):
        make_support(proposals[1], user)
    make_comment_row(consultation, proposals[1])
    make_comment_row(consultation, proposals[1], moderation="hidden")

    raw, document = dataset(consultation, "propositions")
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["titre"] for r in rows] == [f"Idée {i}" for i in range(5)] + ['\'=HYPERLINK("http://x")']
    assert rows[1]["soutiens"] == "2" and rows[1]["commentaires"] == "1" and rows[1]["auteur"] == "Camille"
    assert rows[5]["reponse"] == "retenue" and rows[5]["reponse_texte"] == "'-Oui"
    for forbidden in ("camille.secret", "Secret", "@exemple.org", "Masquée"):
        assert forbidden not in text and forbidden not in json.dumps(document, ensure_ascii=False)
    assert document["metadata"]["licence"]["name"] == "Licence Ouverte / Open Licence 2.0"
    assert {c["name"] for c in document["metadata"]["columns"]} == set(rows[0])
    assert len(document["data"]) == 6 and document["data"][1]["soutiens"] == 2

    _raw, full = dataset(consultation, "propositions", full=True)
    assert [r["titre"] for r in full["data"]][-1] == "Masquée" and full["data"][-1]["moderation"] == "masquée"


def test_grades_are_aggregated_per_proposal_with_the_majority_mention():
    consultation = make_consultation("synthesis", voting_method="majority")
    p = make_proposal_row(consultation)
    for mention in (5, 4, 4, 1):
        make_grade(p, mention)
    _raw, document = dataset(consultation, "propositions")
    row = document["data"][0]
    assert (row["jugements"], row["mentions_tres_bien"], row["mentions_excellent"]) == (4, 2, 1)
    assert row["mention_majoritaire"] == "Très bien"


def test_comments_dataset_skips_hidden_comments_and_comments_of_hidden_proposals():
    consultation = make_consultation("synthesis")
    visible, hidden = make_proposal_row(consultation), make_proposal_row(consultation, moderation="hidden")
    kept = make_comment_row(consultation, visible, body="@cmd|' /C calc'!A0")
    make_comment_row(consultation, hidden)
    make_comment_row(consultation, None, body="Sur la consultation")
    raw, document = dataset(consultation, "commentaires")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["texte"] for r in rows] == ["'@cmd|' /C calc'!A0", "Sur la consultation"]
    assert document["data"][0]["id"] == kept.id


def test_open_data_values_are_in_french():
    consultation = make_consultation("synthesis", voting_method="majority")
    proposal = make_proposal_row(consultation, answer="not_retained", answer_text="Hors compétence")
    make_comment_row(consultation, proposal, stance="against")
    raw, document = dataset(consultation, "propositions")
    [row] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["reponse"] == "non retenue"
    assert document["metadata"]["consultation"]["voting_method"] == "jugement majoritaire"
    raw, _document = dataset(consultation, "commentaires")
    [comment] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert comment["position"] == "contre"
