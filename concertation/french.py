"""What the platform knows of French words: folding accents and ligatures, and the words too common to mean anything.

Search (proposals/search.py), the synthesis aid (synthesis/grouping.py) and slugs share them, so that
one word is folded the same way everywhere.
"""

import unicodedata

# Common French words that say nothing of a proposal's subject (folded: no accents).
STOP_WORDS = frozenset(
    """
a ai aie aient aies ait afin ainsi alors au aucun aucune aupres auquel aussi autre autres aux auxquels avait avant
avec avoir avons ayant bien c ca car ce ceci cela celle celles celui cependant ces cet cette ceux chaque chez ci comme
comment d dans de des deja depuis dont donc du elle elles en encore entre est et etaient etait etant ete etre eu eux
fait faire fais faut font hors il ils j je jusqu l la le les leur leurs lors lui m ma mais me meme memes mes moi
moins mon n ne ni non nos notre nous on ont ou par parce pas peu peut peuvent plus pour pourquoi pourrait qu quand
que quel quelle quelles quels qui quoi s sa sans se selon ses si sien soi soit son sont sous souvent sur t ta tant
te tes toi ton tous tout toute toutes tres tu un une unes uns vers via voici voila vos votre vous y etc
faudrait doit doivent devrait devraient serait seraient sera seront peut-etre proposer propose proposons
""".split()
)


def fold(value: str) -> str:
    """Lower-cased text without accents or ligatures: « Données Œuvre » → « donnees oeuvre »."""
    value = value.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
