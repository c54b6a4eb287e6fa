"""Profiles, population and the comparison, without HTTP."""

import pytest

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.participation import comparison, insee_csv, services
from concertation.participation.models import CONSENT_TEXT
from concertation.small_groups import suppress_line
from concertation.questionnaires.models import Respondent
from tests.factories import make_comment, make_proposal_row, make_questionnaire, make_territory, make_user
from tests.participation.scene import area_named, populated_consultation, supporters


def test_a_profile_is_saved_with_its_consent_changed_and_deleted(app):
    territory = make_territory()
    services.set_population(territory, {}, [services.AreaFigure("Centre", 100)])
    user = make_user()
    area = area_named(territory, "Centre")
    profile = services.save_profile(user, "30-44", str(area.id), "both", "4", True, utcnow())
    assert (profile.age_band, profile.area_id, profile.relation, profile.pcs) == ("30-44", area.id, "both", "4")
    assert profile.consent_text == str(CONSENT_TEXT) and profile.consented_at is not None
    services.save_profile(user, "", services.ELSEWHERE, "", "", True, utcnow())
    profile = services.profile_of(user)
    assert profile.age_band is None and profile.area_id is None and profile.lives_elsewhere
    assert services.delete_profile(user) and services.profile_of(user) is None
    assert not services.delete_profile(user)


@pytest.mark.parametrize(
    "age, area, relation, pcs, consent, field",
    [
        ("30-44", "", "", "", False, "consent"),
        ("12-14", "", "", "", True, "age_band"),
        ("", "999999", "", "", True, "area"),
        ("", "1e5", "", "", True, "area"),
        ("", "", "maire", "", True, "relation"),
        ("", "", "", "9", True, "pcs"),
    ],
)
def test_a_profile_with_an_unknown_answer_is_refused(app, age, area, relation, pcs, consent, field):
    user = make_user()
    with pytest.raises(ActionRefused) as refused:
        services.save_profile(user, age, area, relation, pcs, consent, utcnow())
    assert refused.value.field == field
    assert services.profile_of(user) is None


def test_population_keeps_the_areas_profiles_name_and_drops_the_others(app):
    territory = make_territory()
    services.set_population(
        territory, {"15-29": 10}, [services.AreaFigure("Centre", 100), services.AreaFigure("Gare", 50)]
    )
    user, other = make_user(), make_user()
    services.save_profile(user, None, str(area_named(territory, "Centre").id), None, None, True, utcnow())
    services.save_profile(other, None, str(area_named(territory, "Gare").id), None, None, True, utcnow())
    db.session.commit()
    population = services.set_population(territory, {"30-44": 20}, [services.AreaFigure("Centre", 120)])
    db.session.commit()
    assert population.ages == {"30-44": 20}
    assert [(a.name, a.population) for a in population.areas] == [("Centre", 120)]
    db.session.expire_all()
    assert services.profile_of(user).area.name == "Centre"
    assert services.profile_of(other).area_id is None


def test_typed_areas_are_read_and_bad_lines_named():
    areas = services.parse_areas("Centre ; 6 000 ; 99101\n\nLes Prés;4400\nLa Gare ;")
    assert [(a.name, a.population, a.code) for a in areas] == [
        ("Centre", 6000, "99101"),
        ("Les Prés", 4400, None),
        ("La Gare", None, None),
    ]
    with pytest.raises(ActionRefused, match="Ligne 2"):
        services.parse_areas("Centre;10\nGare;beaucoup")
    with pytest.raises(ActionRefused, match="Ligne 1"):
        services.parse_areas("Centre;10;ABC")


def test_the_same_area_twice_is_refused(app):
    territory = make_territory()
    with pytest.raises(ActionRefused, match="deux fois"):
        services.set_population(territory, {}, [services.AreaFigure("Centre", 1), services.AreaFigure("centre", 2)])


INSEE = (
    "CODGEO;LIBGEO;P21_POP;P21_POP0014;P21_POP1529;P21_POP3044;P21_POP4559;P21_POP6074;P21_POP75P\n"
    "99101;Saint-Aubin;14000;2000;2000;2500;2600;2200;1100\n"
    "99102;Bourg-Neuf;1100;100;150,4;200;250;250;150\n"
)


def test_an_insee_table_gives_the_bands_and_the_areas_of_people_aged_15_or_more():
    ages, areas = insee_csv.read_population(INSEE.encode("utf-8-sig"))
    assert ages == {"15-29": 2150, "30-44": 2700, "45-59": 2850, "60-74": 2450, "75+": 1250}
    assert [(a.name, a.population, a.code) for a in areas] == [
        ("Saint-Aubin", 10400, "99101"),
        ("Bourg-Neuf", 1000, "99102"),
    ]


def test_an_insee_table_in_latin_1_with_commas_is_read():
    data = "nom,pop1529,pop3044,pop4559,pop6074,pop75p\nLes Prés,1,2,3,4,5\n".encode("latin-1")
    ages, areas = insee_csv.read_population(data)
    assert areas[0].name == "Les Prés" and areas[0].population == 15


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "vide"),
        (b"\x00\x01\x02", "CSV"),
        (b"CODGEO;P21_POP1529\n1;2\n", "nom"),
        (b"LIBGEO;P21_POP1529;P21_POP3044\nA;1;2\n", "POP4559"),
        (b"LIBGEO;POP1529;POP3044;POP4559;POP6074;POP75P\nA;1;2;3;quatre;5\n", "Ligne 2"),
        (b"LIBGEO;POP1529;POP3044;POP4559;POP6074;POP75P\nA;1;2\n", "Ligne 2"),
        (b"LIBGEO;POP1529;POP3044;POP4559;POP6074;POP75P\n", "aucune ligne"),
        (b"LIBGEO;POP1529;POP3044;POP4559;POP6074;POP75P\nA;-1;2;3;4;5\n", "Ligne 2"),
    ],
)
def test_a_bad_file_is_refused_with_a_french_message(data, message):
    with pytest.raises(ActionRefused, match=message):
        insee_csv.read_population(data)


def test_one_hidden_cell_of_a_breakdown_takes_its_smallest_neighbour_with_it():
    assert suppress_line([30, 12, 25, 4]) == [30, None, 25, None]
    assert suppress_line([30, 12, 25, 14]) == [30, 12, 25, 14]
    assert suppress_line([3, 4, 40]) == [None, None, 40]


def test_too_few_participants_show_no_figure(app):
    consultation = populated_consultation()
    supporters(consultation, [("30-44", "Centre")] * 9)
    result = comparison.compare(consultation)
    assert result["participants"] is None and result["dimensions"] == []


def test_participants_are_compared_with_the_population_without_any_group_under_ten(app):
    consultation = populated_consultation()
    supporters(
        consultation,
        [("30-44", "Centre")] * 12
        + [("45-59", "Les Prés")] * 11
        + [("60-74", "Centre")] * 3  # under 10: hidden, and with it the smallest other figure
        + [(None, None)] * 14  # no profile
        + [("75+", services.ELSEWHERE)] * 10,
    )
    result = comparison.compare(consultation)
    assert result["participants"] == 50
    age = result["dimensions"][0]
    counts = {row["key"]: row["count"] for row in age["rows"]}
    assert counts == {"15-29": None, "30-44": 12, "45-59": 11, "60-74": None, "75+": 10}
    assert age["unanswered"] == 14 and age["shares_among"] == "answered"
    thirty = next(row for row in age["rows"] if row["key"] == "30-44")
    # 12 of the 36 who answered, against 2 500 of 10 400 inhabitants aged 15 or more.
    assert thirty["share"] == 33.3 and thirty["population_share"] == 24.0 and thirty["gap"] == 9.3
    hidden = next(row for row in age["rows"] if row["key"] == "60-74")
    assert hidden["share"] is None and hidden["gap"] is None and hidden["population"] == 2200
    area = result["dimensions"][1]
    assert {row["label"]: row["count"] for row in area["rows"]} == {"Centre": 15, "Les Prés": 11}
    assert area["outside"] == 10 and area["unanswered"] == 14
    every_figure = [v for d in result["dimensions"] for row in d["rows"] for v in [row["count"]]]
    every_figure += [d["unanswered"] for d in result["dimensions"]] + [area["outside"]]
    assert all(v is None or v >= 10 for v in every_figure)


def test_a_hidden_unanswered_figure_makes_shares_among_all_participants(app):
    consultation = populated_consultation()
    supporters(consultation, [("30-44", "Centre")] * 20 + [("45-59", "Centre")] * 15 + [(None, None)] * 2)
    age = comparison.compare(consultation)["dimensions"][0]
    # 2 without an answer: hidden, so the shares are among the 37 (else 20 / share would tell the 2).
    assert age["unanswered"] is None and age["shares_among"] == "all"
    assert {row["key"]: row["count"] for row in age["rows"]}["30-44"] == 20


def test_every_way_of_taking_part_counts_once(app):
    consultation = populated_consultation("vote")
    author = make_user()
    proposal = make_proposal_row(consultation, author=author)
    services.save_profile(author, "15-29", None, None, None, True, utcnow())
    people = supporters(consultation, [("15-29", None)] * 10, proposal=proposal)
    # A supporter who also comments, and the author's own comment: still one participant each.
    make_comment(proposal, author=people[0])
    make_comment(proposal, author=author)
    # Someone who only sent a questionnaire takes part; someone who only kept a draft does not.
    questionnaire = make_questionnaire(consultation)
    respondent, drafting = make_user(), make_user()
    services.save_profile(respondent, "15-29", None, None, None, True, utcnow())
    db.session.add(Respondent(questionnaire_id=questionnaire.id, user_id=respondent.id, submitted=True))
    db.session.add(Respondent(questionnaire_id=questionnaire.id, user_id=drafting.id, submitted=False))
    db.session.commit()
    result = comparison.compare(consultation)
    assert result["participants"] == 12
    assert result["dimensions"][0]["rows"][0]["count"] == 12


def test_a_place_of_another_territory_with_the_same_insee_code_is_the_same_place(app):
    consultation = populated_consultation()
    other = make_territory()
    services.set_population(other, {}, [services.AreaFigure("Saint-Aubin (commune)", 6000, "99101")])
    people = supporters(consultation, [(None, None)] * 12)
    for user in people:
        services.save_profile(
            user, None, str(area_named(other, "Saint-Aubin (commune)").id), None, None, True, utcnow()
        )
    db.session.commit()
    area = comparison.compare(consultation)["dimensions"][1]
    assert {row["label"]: row["count"] for row in area["rows"]}["Centre"] == 12


def test_a_contribution_collected_at_a_workshop_adds_no_participant(app):
    from datetime import timedelta

    from concertation.workshops.models import Workshop
    from concertation.workshops.outcome import collected_author

    consultation = populated_consultation()
    supporters(consultation, [("30-44", "Centre")] * 10)
    now = utcnow()
    workshop = Workshop(
        consultation_id=consultation.id,
        title="Atelier",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2, hours=-2),
        capacity=20,
    )
    db.session.add(workshop)
    db.session.flush()
    make_proposal_row(consultation, author=collected_author(), workshop_id=workshop.id)
    assert comparison.compare(consultation)["participants"] == 10
