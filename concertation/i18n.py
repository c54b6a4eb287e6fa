"""A no-op marker for French interface strings kept in constants (labels of kinds, states, phases…).

``N_("Retenue")`` returns the string unchanged, so the French interface shows what it did, and
lets ``pybabel extract`` (keyword ``N_``) find it; the English is looked up where the label is
shown, with ``_()`` in templates or views.
"""


def N_(message: str) -> str:
    return message
