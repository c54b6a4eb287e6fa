"""Library services, without HTTP: writing entries, declaring adoptions, finding tools by need."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.library import services
from concertation.library.models import LibraryAdoption, LibraryEntry
from concertation.library.services import LibraryFilters, RetourData
from tests.factories import make_territory, make_user
from tests.library.factories import entry_data, make_adoption, make_entry


def titles(filters: LibraryFilters) -> list[str]:
    return [e.title for e in db.session.scalars(services.search_query(filters))]


def test_an_entry_keeps_its_texts_as_typed_and_as_sanitised_html(app):
    entry = make_entry(
        need="Répondre <script>alert(1)</script> aux **usagers** le soir.",
        human_oversight="Un agent relit chaque réponse.",
    )
    assert "<strong>usagers</strong>" in entry.need_html and "<script" not in entry.need_html
    assert entry.human_oversight_html == "<p>Un agent relit chaque réponse.</p>"
    assert " assistant de redaction pour les agents " in entry.search_text
    assert entry.territory is not None and entry.status_label == "Déployé"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "IA"}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"need": "  "}, "need"),
        ({"metier": "astrologie"}, "metier"),
        ({"audience": "robots"}, "audience"),
        ({"status": "peut-etre"}, "status"),
        ({"hosting": "lune"}, "hosting"),
        ({"cost_band": "gratuit"}, "cost_band"),
        ({"status": "abandonne", "abandon_reason": ""}, "abandon_reason"),
        ({"open_source": False, "vendor": ""}, "vendor"),
        ({"personal_data": False, "dpia_done": True}, "dpia_done"),
        ({"results": "x" * 5001}, "results"),
        ({"contact": "x" * 255}, "contact"),
    ],
)
def test_entries_that_break_a_rule_are_refused_next_to_their_field(app, changes, field):
    territory = make_territory()
    with pytest.raises(ActionRefused) as refused:
        services.create_entry(make_user("agent", territory), territory, entry_data(**changes), utcnow())
    assert refused.value.field == field


def test_dates_must_follow_each_other(app):
    from datetime import date

    territory = make_territory()
    data = entry_data(started_on=date(2025, 3, 1), deployed_on=date(2024, 1, 1))
    with pytest.raises(ActionRefused) as refused:
        services.create_entry(make_user("agent", territory), territory, data, utcnow())
    assert refused.value.field == "deployed_on"


def test_an_abandoned_tool_keeps_its_reason_and_date_others_do_not(app):
    from datetime import date

    entry = make_entry(
        status="abandonne", abandon_reason="Trop d’erreurs sur les noms propres.", ended_on=date(2025, 6, 1)
    )
    assert entry.abandon_reason and entry.ended_on == date(2025, 6, 1)
    services.update_entry(
        entry, entry_data(status="deploye", abandon_reason="oublié", ended_on=date(2025, 6, 1)), utcnow()
    )
    db.session.commit()
    assert entry.abandon_reason == "" and entry.ended_on is None


def test_editing_follows_in_the_html_and_the_search_text(app):
    entry = make_entry()
    data = services.entry_data(entry)
    data.title, data.need = "Transcription des conseils municipaux", "Publier les débats *vite*."
    services.update_entry(entry, data, utcnow())
    db.session.commit()
    assert "<em>vite</em>" in entry.need_html
    assert "transcription" in entry.search_text and "redaction" not in entry.search_text


def test_another_territory_declares_it_uses_the_tool_with_its_retour(app):
    entry = make_entry()
    adoption = make_adoption(entry, gains="Des **réponses** plus rapides.", would_recommend=False)
    assert adoption.territory_id != entry.territory_id
    assert "<strong>réponses</strong>" in adoption.gains_html and adoption.would_recommend is False
    assert services.adoption_counts([entry.id]) == {entry.id: 1}
    assert services.adoptions_of(entry) == [adoption]


def test_declaring_again_updates_the_retour_instead_of_counting_twice(app):
    entry = make_entry()
    territory = make_territory()
    organiser = make_user("organiser", territory)
    services.declare_adoption(organiser, entry, territory, RetourData(context="Premier essai."), utcnow())
    services.declare_adoption(organiser, entry, territory, RetourData(gains="Plus tard, des gains."), utcnow())
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(LibraryAdoption)) == 1
    assert services.adoption_of(entry, territory).gains == "Plus tard, des gains."


def test_one_adoption_per_entry_and_territory_is_a_database_rule(app):
    entry = make_entry()
    adoption = make_adoption(entry)
    db.session.add(LibraryAdoption(entry_id=entry.id, territory_id=adoption.territory_id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_entry_own_territory_cannot_adopt_it_and_an_empty_retour_is_refused(app):
    entry = make_entry()
    organiser = make_user("organiser", entry.territory)
    with pytest.raises(ActionRefused):
        services.declare_adoption(organiser, entry, entry.territory, RetourData(context="Chez nous."), utcnow())
    other = make_territory()
    with pytest.raises(ActionRefused) as refused:
        services.declare_adoption(make_user("organiser", other), entry, other, RetourData(), utcnow())
    assert refused.value.field == "context"


def test_search_by_need_with_filters(app):
    make_entry(title="Chatbot d’accueil", metier="accueil", audience="usagers", need="Répondre aux usagers le soir.")
    make_entry(
        title="Tri des courriers entrants",
        metier="courrier",
        audience="agents",
        open_source=False,
        vendor="Éditeur SA",
        personal_data=True,
        dpia_done=True,
        hosting="france",
        need="Orienter le courrier vers le bon service.",
    )
    make_entry(title="Détection des fuites d’eau", metier="eau", status="experimentation", need="Réduire les pertes.")
    assert titles(LibraryFilters(q="COURRIER")) == ["Tri des courriers entrants"]
    assert titles(LibraryFilters(q="fuites reseau")) == []  # every word must appear
    assert titles(LibraryFilters(q="détection fuite")) == ["Détection des fuites d’eau"]
    assert titles(LibraryFilters(metier="accueil")) == ["Chatbot d’accueil"]
    assert titles(LibraryFilters(audience="usagers")) == ["Chatbot d’accueil"]
    assert titles(LibraryFilters(status="experimentation")) == ["Détection des fuites d’eau"]
    assert titles(LibraryFilters(open_source=False)) == ["Tri des courriers entrants"]
    assert titles(LibraryFilters(personal_data=True)) == ["Tri des courriers entrants"]
    assert titles(LibraryFilters(hosting="france")) == ["Tri des courriers entrants"]
    assert len(titles(LibraryFilters(metier="inconnu", q="%_"))) == 3  # unknown values are ignored


def test_tools_for_both_audiences_are_found_by_either(app):
    make_entry(title="Traduction pour l’accueil", audience="both")
    assert (
        titles(LibraryFilters(audience="usagers"))
        == titles(LibraryFilters(audience="agents"))
        == ["Traduction pour l’accueil"]
    )


def test_the_most_adopted_entries_come_first(app):
    make_entry(title="Aaa peu utilisé")
    popular = make_entry(title="Zzz très utilisé")
    make_adoption(popular)
    make_adoption(popular)
    assert titles(LibraryFilters()) == ["Zzz très utilisé", "Aaa peu utilisé"]


def test_similar_entries_share_the_metier_or_words_of_the_need(app):
    entry = make_entry(title="Chatbot d’accueil", metier="accueil", need="Répondre aux questions des usagers.")
    same_metier = make_entry(title="Prise de rendez-vous", metier="accueil", need="Planifier.")
    same_words = make_entry(title="Chatbot de l’eau", metier="eau", need="Répondre aux questions sur les factures.")
    make_entry(title="Détection des fuites", metier="eau", need="Réduire les pertes du réseau.")
    assert set(services.similar_entries(entry)) == {same_metier, same_words}
    assert entry not in services.similar_entries(entry)


def test_entries_go_with_their_territory(app):
    entry = make_entry()
    make_adoption(entry)
    db.session.delete(entry.territory)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(LibraryEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(LibraryAdoption)) == 0


def test_similar_entries_match_words_by_their_start_plural_or_not(app):
    entry = make_entry(title="Tri des courriers entrants", metier="courrier", need="Orienter les courriers reçus.")
    singular = make_entry(title="Réponse au courrier entrant", metier="accueil", need="Rédiger vite.")
    assert services.similar_entries(entry) == [singular]
