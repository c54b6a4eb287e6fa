"""Results of a questionnaire: counts and shares by question, and cross-tabulations that hide small groups."""

from concertation.db import utcnow
from concertation.extensions import db
from concertation.questionnaires import results
from concertation.questionnaires import services as q
from tests.factories import make_questionnaire, make_user
from tests.questionnaires.test_services import fields


def answer_many(questionnaire, *answers):
    for kwargs in answers:
        q.submit(make_user(), questionnaire, utcnow(), fields(questionnaire, **kwargs))
    db.session.commit()


def test_counts_and_shares_among_those_who_answered_each_question(app):
    questionnaire = make_questionnaire()
    answer_many(
        questionnaire,
        *[{"single": "Oui", "multiple": ["Écrire", "Chercher"], "scale": 4}] * 3,
        {"single": "Oui", "multiple": ["Écrire"], "scale": 2, "ranking": {"Formation": 1, "Outils": 2, "Temps": 3}},
        {"single": "Non", "matrix": {"Atelier": 5, "Tutoriel": 1}, "text": "Rien"},
    )
    by_label = {r.question.label: r for r in results.question_results(questionnaire)}
    single = by_label["Utilisez-vous l’IA ?"]
    assert single.answered == 5
    assert [(r.label, r.count, r.share) for r in single.rows] == [("Oui", 4, 0.8), ("Non", 1, 0.2)]
    multiple = by_label["Pour quoi ?"]
    assert multiple.answered == 4  # asked only of those who use AI
    assert [(r.label, r.count) for r in multiple.rows] == [("Écrire", 4), ("Traduire", 0), ("Chercher", 3)]
    scale = by_label["Confiance"]
    assert scale.rows[0].label == "1 – Aucune" and scale.rows[-1].label == "5 – Totale"
    assert [r.count for r in scale.rows] == [0, 1, 0, 3, 0]
    assert scale.mean == 3.5
    ranking = by_label["Classez"]
    assert [(r.label, r.count, r.mean) for r in ranking.rows] == [
        ("Formation", 1, 1),
        ("Outils", 0, 2),
        ("Temps", 0, 3),
    ]
    matrix = by_label["Intérêt"]
    assert [(m.label, m.counts, m.mean) for m in matrix.matrix] == [
        ("Atelier", [0, 0, 0, 0, 1], 5),
        ("Tutoriel", [1, 0, 0, 0, 0], 1),
    ]
    assert by_label["Autre chose ?"].answered == 1
    assert by_label["Autre chose ?"].texts == []
    with_texts = {r.question.label: r for r in results.question_results(questionnaire, with_texts=True)}
    assert with_texts["Autre chose ?"].texts == ["Rien"]


def test_suppression_hides_small_cells_and_their_complement():
    assert results.suppress([[12, 15], [11, 30]]) == [[12, 15], [11, 30]]
    # The 3 is hidden; alone in its row and its column it could be recomputed from the totals,
    # so the smallest other cell of each is hidden too.
    assert results.suppress([[3, 20, 40], [15, 25, 50]]) == [[None, None, 40], [None, None, 50]]
    assert results.suppress([[0, 0], [0, 0]]) == [[None, None], [None, None]]


def test_a_crosstab_never_shows_a_group_under_ten(app):
    questionnaire = make_questionnaire()
    answer_many(
        questionnaire,
        *[{"single": "Oui", "scale": 4}] * 12,
        *[{"single": "Oui", "scale": 5}] * 10,
        *[{"single": "Non", "scale": 4}] * 3,
        *[{"single": "Non", "scale": 5}] * 11,
    )
    first, _, scale = questionnaire.questions[:3]
    table = results.crosstab(questionnaire, first, scale)
    assert table.row_labels == ["Oui", "Non"]
    assert table.column_labels == ["1 – Aucune", "2", "3", "4", "5 – Totale"]
    assert table.respondents == 36
    assert table.cells[1][3] is None  # 3 people: hidden
    assert table.cells[0][3] is None  # alone in its column, the 3 would be 15 (Confiance 4) minus 12
    assert table.cells[0][4] == 10 and table.cells[1][4] == 11
    assert table.cells[0][:3] == [None, None, None]  # nobody: under ten too
    assert table.has_hidden


def test_a_crosstab_of_few_respondents_hides_even_the_total(app):
    questionnaire = make_questionnaire()
    answer_many(questionnaire, *[{"single": "Oui", "scale": 4}] * 4)
    first, _, scale = questionnaire.questions[:3]
    table = results.crosstab(questionnaire, first, scale)
    assert table.respondents is None
    assert all(cell is None for row in table.cells for cell in row)
