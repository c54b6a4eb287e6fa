"""The English catalogue: complete, faithful to the placeholders, and used by the pages."""

import html
import os
import re
import tempfile
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.factories import make_consultation, make_proposal

MESSAGES = Path(__file__).resolve().parents[2] / "concertation" / "translations" / "en" / "LC_MESSAGES"
PO = MESSAGES / "messages.po"
MO = MESSAGES / "messages.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif%]")


def read_catalogue():
    with PO.open("rb") as po:
        return read_po(po, locale="en")


def entries():
    return [message for message in read_catalogue() if message.id]


def forms(message) -> list[tuple[str, str]]:
    """(French, English) pairs of a message: one, or one per plural form."""
    if message.pluralizable:
        return list(zip(message.id, message.string))
    return [(message.id, message.string)]


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalogue = read_catalogue()
    assert len(entries()) > 500
    untranslated = [message.id for message in entries() if not all(english for _, english in forms(message))]
    fuzzy = [message.id for message in entries() if message.fuzzy]
    assert not untranslated, f"untranslated entries: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    assert not catalogue.fuzzy, "the catalogue's header is marked fuzzy"


def test_every_translation_keeps_the_placeholders():
    changed = [
        (french, english)
        for message in entries()
        for french, english in forms(message)
        if sorted(PLACEHOLDER.findall(french)) != sorted(PLACEHOLDER.findall(english))
    ]
    assert not changed, f"placeholders differ: {changed[:5]}"


def test_plural_entries_have_both_english_forms():
    for message in entries():
        if message.pluralizable:
            assert len(message.string) == 2 and all(message.string), message.id


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """The .mo the pages read, compiled as `make translations` does when it is missing or older than the .po."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        catalogue = read_catalogue()
        descriptor, path = tempfile.mkstemp(dir=MESSAGES, suffix=".mo")
        with os.fdopen(descriptor, "wb") as mo:
            write_mo(mo, catalogue, use_fuzzy=True)
        os.replace(path, MO)


def english_page(client, path: str) -> str:
    client.post("/langue", data={"locale": "en", "next": "/"})
    response = client.get(path)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert '<html lang="en">' in page
    return page


def assert_english(page: str, english: list[str], french: list[str]) -> None:
    for text in english:
        assert text in page
    for text in french:
        assert text not in page


def test_home_page_in_english(client):
    make_consultation("proposals", title="Consultation sur l’IA")
    page = english_page(client, "/")
    assert_english(
        page,
        [
            "Artificial intelligence in our public services: your opinion counts",
            "Running",
            "Skip to content",
            "Phase: Proposals",
            "Proposals until",
            "All territories",
        ],
        [
            "L’intelligence artificielle dans nos services publics",
            "En cours",
            "Aller au contenu",
            "Phase : Propositions",
            "Propositions jusqu’au",
            "Tous les territoires",
        ],
    )


def test_sign_up_page_in_english(client):
    page = english_page(client, "/compte/inscription")
    assert_english(
        page,
        ["<h1>Create an account</h1>", "Public username", "Create my account", "terms of use"],
        ["Créer un compte", "Pseudonyme public", "Créer mon compte", "conditions d’utilisation"],
    )


def test_consultation_page_in_english(client):
    consultation = make_consultation("vote", audience="public", voting_method="majority")
    page = english_page(client, f"/consultations/{consultation.id}")
    assert_english(
        page,
        [
            "Timetable",
            "Presentation",
            "Take part",
            "Everyone",
            "Vote: Majority judgment",
            "Closing",
            "Step 3 of 5: Vote",
            "Grade the proposals",
        ],
        [
            "Calendrier",
            "Participer",
            "Tout le monde",
            "Jugement majoritaire",
            "Clôture",
            "Étape 3 sur 5",
            "Évaluer les propositions",
        ],
    )


def test_proposals_list_in_english(client):
    proposal = make_proposal(answer="retained")
    page = english_page(client, f"/consultations/{proposal.consultation_id}/propositions")
    assert_english(
        page,
        ["<h1>Proposals", "Sort by", "Answer: Retained", "1 proposal", "Random order"],
        ["Trier par", "Réponse : Retenue", "Ordre aléatoire", "Filtrer les propositions"],
    )


# The domain's refusals (ActionRefused) are raised by services and shown to the person: they must be
# marked for extraction, found by `make extract-messages`, and translated like any interface string.
PACKAGE = Path(__file__).resolve().parents[2] / "concertation"
MARKERS = {
    "_l": None,
    "lazy_gettext": None,
    "_lp": (1, 2),
    "lazy_ngettext": (1, 2),
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
}


def refusals_with_unmarked_text() -> list[str]:
    """ActionRefused("…") raised with a literal (or an f-string) that no extraction marker wraps."""
    import ast

    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ActionRefused" and node.args):
                continue
            text = node.args[0]
            if isinstance(text, ast.IfExp):
                text = text.body if not isinstance(text.body, ast.Call) else text.orelse
            if isinstance(text, ast.Constant | ast.JoinedStr | ast.BinOp) or (
                isinstance(text, ast.Call) and getattr(text.func, "id", None) not in MARKERS
            ):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def test_every_refusal_is_marked_for_extraction():
    unmarked = refusals_with_unmarked_text()
    assert not unmarked, f"ActionRefused with a text not marked for translation: {unmarked[:10]}"


def test_every_string_of_the_code_is_in_the_catalogue_and_translated():
    """What `make extract-messages` would find in the Python code is in the English catalogue, translated.

    Without this, a refusal added (or reworded) after the last extraction is shown in French to an
    English reader while the catalogue itself looks complete.
    """
    from babel.messages.extract import extract_from_dir

    catalogue = read_catalogue()
    missing = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=MARKERS
    ):
        key = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(key)
        translated = entry is not None and all(entry.string if isinstance(entry.string, tuple) else [entry.string])
        if not translated:
            missing.append(f"{filename}:{lineno} {key[:60]}")
    assert not missing, f"{len(missing)} strings of the code missing from the English catalogue: {missing[:8]}"


def test_a_refusal_reads_in_english_on_an_english_page(client):
    from tests.factories import make_user

    make_user(email="taken@example.org", pseudonym="Déjà pris")
    client.post("/langue", data={"locale": "en", "next": "/"})
    response = client.post(
        "/compte/inscription",
        data={
            "email": "new@example.org",
            "pseudonym": "Déjà pris",
            "password": "un mot de passe assez long",
            "password_confirm": "un mot de passe assez long",
            "accept_terms": "y",
        },
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "Ce pseudonyme est déjà pris" not in page
    assert "This username is already taken" in page


def test_the_catalogue_compiles_as_a_fresh_install_compiles_it():
    """`make run` compiles the catalogue on a fresh machine: a placeholder the translation does not keep
    (e.g. « 100 % des » read as "% d") stops it there, so it is caught here first."""
    with PO.open("rb") as po:
        catalogue = read_po(po, locale="en")
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalogue.check()]
    assert not problems
