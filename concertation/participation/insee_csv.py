"""Read a territory's population from a CSV file shaped like INSEE's census tables.

INSEE publishes, per commune (« base communale ») or per IRIS (« base infracommunale »), the number
of inhabitants by age band in columns such as ``P21_POP1529``. One line per commune or quartier:

- the name: ``LIBGEO``, ``LIBCOM``, ``LIBIRIS`` or ``nom``;
- optionally the code: ``CODGEO``, ``COM``, ``IRIS`` or ``code``;
- the five age bands of people aged 15 or more: ``POP1529``, ``POP3044``, ``POP4559``, ``POP6074``
  and ``POP75P``, with or without the census's prefix (``P21_``, ``P20_``…).

The population of each line is the sum of its five bands (people aged 15 or more, as profiles ask);
the territory's population by age band is the sum of the lines. Separators « ; » or « , », UTF-8 or
Latin-1, decimal figures (INSEE's IRIS tables have some) rounded. A bad file is refused with a
French message naming the line, never half read.
"""

import csv
import io
import re

from flask_babel import lazy_gettext as _l

from concertation.errors import ActionRefused
from concertation.participation.models import AGE_BANDS
from concertation.participation.services import MAX_AREAS, MAX_POPULATION, AreaFigure

MAX_BYTES = 2_000_000
NAME_COLUMNS = ("libgeo", "libcom", "libiris", "nom")
CODE_COLUMNS = ("codgeo", "com", "iris", "code")
BAND_COLUMNS = {"pop1529": "15-29", "pop3044": "30-44", "pop4559": "45-59", "pop6074": "60-74", "pop75p": "75+"}
_PREFIX = re.compile(r"^p\d{2}_")
_NUMBER = re.compile(r"^\d{1,9}(?:[.,]\d+)?$")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _column(header: str) -> str:
    return _PREFIX.sub("", header.strip().strip('"').lower())


def read_population(data: bytes) -> tuple[dict[str, int], list[AreaFigure]]:
    """The age bands and the areas of an INSEE-like CSV file, or ActionRefused saying what is wrong."""
    if not data.strip():
        raise ActionRefused(_l("Le fichier est vide."), field="file")
    if len(data) > MAX_BYTES:
        raise ActionRefused(_l("Le fichier dépasse 2 Mo."), field="file")
    if b"\x00" in data:
        raise ActionRefused(_l("Ce fichier n’est pas un fichier CSV (texte)."), field="file")
    text = _decode(data)
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [_column(h) for h in next(rows)]
    except (StopIteration, csv.Error):
        raise ActionRefused(_l("La première ligne doit nommer les colonnes."), field="file") from None
    name_at = next((header.index(c) for c in NAME_COLUMNS if c in header), None)
    code_at = next((header.index(c) for c in CODE_COLUMNS if c in header), None)
    bands_at = {band: header.index(column) for column, band in BAND_COLUMNS.items() if column in header}
    if name_at is None:
        raise ActionRefused(_l("Colonne du nom introuvable : nommez-la LIBGEO, LIBCOM, LIBIRIS ou nom."), field="file")
    if len(bands_at) != len(AGE_BANDS):
        missing = ", ".join(c.upper() for c, band in BAND_COLUMNS.items() if band not in bands_at)
        raise ActionRefused(_l("Colonnes des tranches d’âge manquantes : %(columns)s.", columns=missing), field="file")
    ages = dict.fromkeys(AGE_BANDS, 0)
    areas: list[AreaFigure] = []
    try:
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                raise ActionRefused(_l("Ligne %(n)d : il manque des colonnes.", n=number), field="file")
            name = row[name_at].strip()
            if not name or len(name) > 120:
                raise ActionRefused(_l("Ligne %(n)d : nom vide ou de plus de 120 caractères.", n=number), field="file")
            total = 0
            for band, at in bands_at.items():
                cell = row[at].strip().replace("\u00a0", "").replace(" ", "")
                if not _NUMBER.match(cell):
                    raise ActionRefused(
                        _l("Ligne %(n)d : « %(value)s » n’est pas un effectif.", n=number, value=cell[:20]),
                        field="file",
                    )
                value = round(float(cell.replace(",", ".")))
                ages[band] += value
                total += value
            code = row[code_at].strip().upper() if code_at is not None else ""
            areas.append(AreaFigure(name, total, code[:12] or None))
            if len(areas) > MAX_AREAS:
                raise ActionRefused(_l("2 000 communes ou quartiers au plus."), field="file")
    except csv.Error:
        raise ActionRefused(_l("Le fichier n’est pas un CSV lisible."), field="file") from None
    if not areas:
        raise ActionRefused(_l("Le fichier ne contient aucune ligne de population."), field="file")
    if any(value > MAX_POPULATION for value in ages.values()):
        raise ActionRefused(_l("Un effectif est un nombre entier entre 0 et 100 millions."), field="file")
    return ages, areas
