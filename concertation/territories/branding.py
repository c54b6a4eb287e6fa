"""A territory's identity on the platform: its logo and accent colour; and the images organisers upload.

The accent colour must keep WCAG AA contrast (4.5:1) against white, since it is drawn on white
pages and white text is drawn on it. Images are checked by type (their first bytes, not only
their name) and size, like the consultation's documents.
"""

import re
import secrets
from pathlib import Path

from flask_babel import lazy_gettext as _l

from concertation.errors import ActionRefused

IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
IMAGE_EXTENSIONS = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}
AA_NORMAL_TEXT = 4.5
LOGO_MAX_BYTES = 1024 * 1024
COVER_MAX_BYTES = 3 * 1024 * 1024
ALT_MAX = 250
HEX_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def normalise_colour(value: str) -> str:
    """ "#1F3F99", "1f3f99" or "#13f" as "#1f3f99"; a French refusal for anything else."""
    match = HEX_COLOUR.match((value or "").strip())
    if not match:
        raise ActionRefused(_l("Indiquez la couleur au format hexadécimal, par exemple #1f3f99."), field="accent_color")
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def set_accent_colour(territory, value: str | None) -> None:
    """Choose the territory's accent colour (empty: the platform's own), refused below AA contrast on white."""
    if not (value or "").strip():
        territory.accent_color = None
        return
    colour = normalise_colour(value or "")
    ratio = contrast_ratio(colour, "#ffffff")
    if ratio < AA_NORMAL_TEXT:
        shown = f"{ratio:.2f}".replace(".", ",")
        raise ActionRefused(
            _l(
                "La couleur %(colour)s n’est pas assez contrastée sur fond blanc (rapport de %(ratio)s:1, il faut au "
                "moins 4,5:1 pour les textes et les boutons) : choisissez une teinte plus foncée.",
                colour=colour,
                ratio=shown,
            ),
            field="accent_color",
        )
    territory.accent_color = colour


def _image_kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def store_image(upload, upload_dir: str, max_bytes: int, field: str) -> str:
    """Save an uploaded PNG, JPEG or WebP image under `upload_dir`; its stored name (key)."""
    name = upload.filename or ""
    extension = IMAGE_EXTENSIONS.get(name.rsplit(".", 1)[-1].lower() if "." in name else "")
    if extension is None:
        raise ActionRefused(_l("Ce type d’image n’est pas accepté (PNG, JPG ou WebP)."), field=field)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        size = f"{max_bytes / (1024 * 1024):g}".replace(".", ",")
        raise ActionRefused(_l("L’image dépasse %(size)s Mo.", size=size), field=field)
    if not data:
        raise ActionRefused(_l("Le fichier est vide."), field=field)
    kind = _image_kind(data)
    if kind is None or kind != extension:
        raise ActionRefused(_l("Ce fichier n’est pas une image PNG, JPG ou WebP valide."), field=field)
    key = f"{secrets.token_hex(16)}.{kind}"
    Path(upload_dir).mkdir(parents=True, exist_ok=True)
    (Path(upload_dir) / key).write_bytes(data)
    return key


def remove_image(key: str | None, upload_dir: str) -> None:
    if key:
        (Path(upload_dir) / key).unlink(missing_ok=True)


def set_logo(territory, upload, upload_dir: str, max_bytes: int = LOGO_MAX_BYTES) -> None:
    """Replace the territory's logo (the previous file is removed once the new one is saved)."""
    key = store_image(upload, upload_dir, max_bytes, field="logo")
    remove_image(territory.logo_key, upload_dir)
    territory.logo_key = key


def remove_logo(territory, upload_dir: str) -> None:
    remove_image(territory.logo_key, upload_dir)
    territory.logo_key = None


def set_cover(consultation, upload, alt: str, upload_dir: str, max_bytes: int = COVER_MAX_BYTES) -> None:
    """Give the consultation a cover image (or change its text alternative only, without a new file)."""
    alt = (alt or "").strip()
    has_image = upload is not None and upload.filename
    if not has_image and not consultation.cover_key:
        raise ActionRefused(_l("Choisissez une image."), field="cover")
    if not alt:
        raise ActionRefused(
            _l("Décrivez l’image en quelques mots pour les personnes qui ne la voient pas."), field="cover_alt"
        )
    if len(alt) > ALT_MAX:
        raise ActionRefused(
            _l("Le texte de remplacement fait au plus %(num)d caractères.", num=ALT_MAX), field="cover_alt"
        )
    if has_image:
        key = store_image(upload, upload_dir, max_bytes, field="cover")
        remove_image(consultation.cover_key, upload_dir)
        consultation.cover_key = key
    consultation.cover_alt = alt


def remove_cover(consultation, upload_dir: str) -> None:
    remove_image(consultation.cover_key, upload_dir)
    consultation.cover_key = None
    consultation.cover_alt = ""
