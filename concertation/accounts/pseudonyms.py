"""Pseudonyms that look alike: `Саmille` (with Cyrillic С and а) must not stand beside `Camille`.

A pseudonym is compared through its skeleton, after Unicode TR39's idea: NFKC, case folded,
accents removed, and the Cyrillic and Greek letters that are drawn like Latin ones replaced by
them. The table is small on purpose: pseudonyms are letters, digits, spaces and a few
punctuation marks (forms.PSEUDONYM_PATTERN), and a name that mixes Latin with Cyrillic or Greek
is refused outright, which covers what the table leaves out. Only a hash of the skeleton is
stored, and kept when the account is deleted, so a deleted person's name cannot be taken over.
"""

import hashlib
import unicodedata

# Cyrillic and Greek letters (after case folding) whose glyph is a Latin letter's (Unicode confusables.txt).
LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "с": "c",
        "ԁ": "d",
        "е": "e",
        "ё": "e",
        "һ": "h",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "ӏ": "l",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "г": "r",
        "ѕ": "s",
        "т": "t",
        "у": "y",
        "ԝ": "w",
        "х": "x",
        "ү": "y",
        "ɡ": "g",
        "ı": "i",
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "μ": "u",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        "ζ": "z",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
    }
)


def skeleton(pseudonym: str) -> str:
    """What a pseudonym looks like, so that two names drawn alike have the same skeleton."""
    text = unicodedata.normalize("NFKC", pseudonym).casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = text.translate(LOOKALIKES)
    return " ".join(text.split())


def key(pseudonym: str) -> str:
    """The stored, one-way form of the skeleton."""
    return hashlib.sha256(skeleton(pseudonym).encode()).hexdigest()


def _script(character: str) -> str | None:
    if not character.isalpha():
        return None
    name = unicodedata.name(character, "")
    return name.split(" ", 1)[0] if name else None


def mixes_scripts(pseudonym: str) -> bool:
    """True when letters of Latin and of another alphabet that imitates it stand in one name."""
    scripts = {_script(c) for c in unicodedata.normalize("NFKC", pseudonym)} - {None}
    return "LATIN" in scripts and bool(scripts & {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"})
