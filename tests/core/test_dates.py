"""Dates as French writes them (« le 1er décembre »), in Paris time, and their English form."""

from datetime import UTC, date, datetime

import pytest

from concertation.dates import long_date, long_datetime

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
ENGLISH = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@pytest.mark.parametrize("month", range(1, 13))
def test_the_first_of_every_month_is_an_ordinal(month):
    assert long_date(date(2026, month, 1)) == f"1er {MONTHS[month - 1]} 2026"
    assert long_date(date(2026, month, 2)) == f"2 {MONTHS[month - 1]} 2026"
    assert long_date(date(2026, month, 1), "en") == f"{ENGLISH[month - 1]} 1, 2026"


def test_the_day_is_the_day_in_paris():
    # 23:30 UTC on 30 November is already 1 December in Paris (UTC+1 in winter).
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert long_date(late) == "1er décembre 2026"
    assert long_datetime(late) == "1er décembre 2026 à 0h30"
    english = long_datetime(late, "en")
    assert english.startswith("December 1, 2026, 12:30") and english.endswith("AM")
    assert long_datetime(datetime(2026, 7, 11, 7, 5, tzinfo=UTC)) == "11 juillet 2026 à 9h05"
    assert long_date(None) == "" and long_datetime(None) == ""


def test_pages_show_the_first_of_the_month_as_an_ordinal(client):
    from tests.factories import make_consultation

    consultation = make_consultation("proposals")
    proposals = consultation.phase("proposals")
    proposals.ends_at = datetime(2031, 12, 1, 11, 0, tzinfo=UTC)
    from concertation.extensions import db

    db.session.commit()
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "1er décembre 2031" in page
    assert "1 décembre 2031" not in page


def test_printed_synthesis_dates_use_the_same_form():
    from concertation.synthesis.exports.document import _date

    assert _date(datetime(2026, 12, 1, 10, tzinfo=UTC)) == "1er décembre 2026"
