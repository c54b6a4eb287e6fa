"""A questionnaire's results as an ODS spreadsheet: the CSV's figures, numbers as numbers, formulas neutralised."""

import io

from odf.opendocument import load
from odf.table import Table, TableCell, TableRow

from concertation.db import utcnow
from concertation.extensions import db
from concertation.questionnaires import services as q
from tests.factories import make_questionnaire, make_user
from tests.questionnaires.test_services import fields


def sheet_rows(body: bytes) -> list[list]:
    """The first sheet's rows, each cell as a float (numbers) or its text."""
    document = load(io.BytesIO(body))
    table = document.spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in table.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            if cell.getAttribute("valuetype") == "float":
                cells.append(float(cell.getAttribute("value")))
            else:
                cells.append("".join(str(p) for p in cell.childNodes))
        rows.append(cells)
    return rows


def answered_with_a_dangerous_question(n: int):
    questionnaire = make_questionnaire(published=False)
    q.add_question(questionnaire.sections[0], q.QuestionData("single", "=HYPERLINK(1)", options=["+1", "@x"]))
    q.publish(questionnaire, utcnow())
    db.session.commit()
    for i in range(n):
        q.submit(make_user(), questionnaire, utcnow(), fields(questionnaire, single="Oui", text=f"Idée {i}"))
    db.session.commit()
    return questionnaire


def test_the_ods_export_has_the_csv_figures_as_numbers_and_neutralises_formulas(client, auth):
    questionnaire = answered_with_a_dangerous_question(10)
    auth.login(make_user("organiser", questionnaire.consultation.territory))
    text = client.get(f"/questionnaires/{questionnaire.id}/resultats").get_data(as_text=True)
    assert f"/questionnaires/{questionnaire.id}/resultats.ods" in text
    response = client.get(f"/questionnaires/{questionnaire.id}/resultats.ods")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    assert "resultats.ods" in response.headers["Content-Disposition"]
    header, *rows = sheet_rows(response.get_data())
    assert header[:6] == ["section", "question", "type", "ligne", "reponse", "nombre"]
    oui = next(r for r in rows if r[1] == "Utilisez-vous l’IA ?" and r[4] == "Oui")
    assert oui[5] == 10.0 and oui[6] == 1.0 and oui[8] == 10.0  # numbers, not texts
    dangerous = [r for r in rows if "HYPERLINK" in r[1]]
    assert dangerous and all(r[1].startswith("'=") for r in dangerous)
    assert {r[4] for r in dangerous} == {"'+1", "'@x"}
    assert not any("Idée" in str(cell) for r in rows for cell in r)  # free texts never leave in exports


def test_the_ods_export_waits_for_ten_respondents_and_for_the_right_reader(client, auth):
    questionnaire = answered_with_a_dangerous_question(9)
    url = f"/questionnaires/{questionnaire.id}/resultats.ods"
    assert client.get(url).status_code == 403  # the public: not before the consultation closes
    auth.login(make_user("organiser", questionnaire.consultation.territory))
    assert client.get(url).status_code == 404
    assert "resultats.ods" not in client.get(f"/questionnaires/{questionnaire.id}/resultats").get_data(as_text=True)
