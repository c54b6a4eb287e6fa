"""Small themed proposals for the synthesis aid's tests (three themes, one off-topic proposal)."""

THEMES = {
    "formation": ["formation", "agents", "former", "ateliers", "acculturation", "cours", "tutorat"],
    "donnees": ["données", "personnelles", "hébergement", "confidentialité", "stockage", "serveurs", "chiffrement"],
    "mobilite": ["transport", "autobus", "mobilité", "trafic", "horaires", "vélos", "covoiturage"],
}
OFF_TOPIC = ("Nids de poule", "Reboucher les trous de la chaussée devant la boulangerie, rue basse.")


def themed_texts(per_theme: int = 12) -> list[tuple[str, str, str]]:
    """(theme, title, body) — the words of a theme recombined, so that each text is its own."""
    texts = []
    for theme, words in THEMES.items():
        for i in range(per_theme):
            w = [words[(i + j) % len(words)] for j in range(5)]
            texts.append(
                (
                    theme,
                    f"{w[0].capitalize()} et {w[1]}",
                    f"Proposition {theme} numéro {i} : davantage de {w[2]} et de {w[3]}. "
                    f"Nous demandons aussi du {w[4]} pour chacun.",
                )
            )
    return texts
