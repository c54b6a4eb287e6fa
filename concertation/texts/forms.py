"""Forms of the participatory texts."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from concertation.forms import BaseForm, choices
from concertation.texts import odt_import
from concertation.texts.models import AMENDMENT_KINDS, AMENDMENT_STATUSES
from concertation.texts.services import JUSTIFICATION_MAX, REASON_MAX, SOURCE_MAX, TITLE_MAX, WORDING_MAX


def _answer_choices(with_changes: bool = True):
    return choices(
        [
            (k, _l(v))
            for k, v in AMENDMENT_STATUSES.items()
            if k != "pending" and (with_changes or k != "accepted_changed")
        ]
    )


class ImportForm(BaseForm):
    title = StringField(
        _l("Titre du texte"),
        validators=[
            InputRequired(_l("Donnez un titre au texte.")),
            Length(max=TITLE_MAX, message=_l("Le titre doit faire au plus 200 caractères.")),
        ],
    )
    source = TextAreaField(
        _l("Texte en Markdown"),
        validators=[
            Optional(),
            Length(max=SOURCE_MAX, message=_l("Le texte doit faire au plus 100 000 caractères.")),
        ],
        description=_l(
            "Chaque titre (# Titre) ouvre un chapitre ; chaque bloc séparé par une ligne vide devient un paragraphe numéroté."
        ),
        render_kw={"rows": 20},
    )
    document = FileField(
        _l("Ou un fichier ODT (facultatif)"),
        description=_l(
            "Un texte OpenDocument (LibreOffice, 10 Mo au plus) : ses titres deviennent des chapitres, ses "
            "paragraphes des paragraphes numérotés. Joint, il remplace le texte collé ci-dessus."
        ),
        render_kw={"accept": ".odt,application/vnd.oasis.opendocument.text"},
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not self.source.data and not self.document.data:
            self.source.errors = [_l("Collez le texte à ouvrir aux amendements, ou joignez un fichier ODT.")]
            return False
        return valid

    def markdown(self) -> str:
        """The Markdown to import: the attached ODT's, or the pasted text."""
        if self.document.data:
            return odt_import.read_upload(self.document.data)
        return self.source.data or ""


class AmendmentForm(BaseForm):
    kind = RadioField(
        _l("Type d’amendement"),
        choices=choices([(k, _l(v)) for k, v in AMENDMENT_KINDS.items()]),
        default="replace",
        validators=[InputRequired(_l("Choisissez le type d’amendement."))],
        validate_choice=False,
    )
    wording = TextAreaField(
        _l("Rédaction proposée"),
        validators=[
            Optional(),
            Length(max=WORDING_MAX, message=_l("La rédaction doit faire au plus 3 000 caractères.")),
        ],
        description=_l(
            "Pour une nouvelle rédaction, partez du texte du paragraphe ; pour un ajout, écrivez le nouveau "
            "paragraphe. Laissez vide pour une suppression."
        ),
        render_kw={"rows": 6},
    )
    justification = TextAreaField(
        _l("Justification"),
        validators=[
            InputRequired(_l("Expliquez pourquoi vous proposez ce changement.")),
            Length(max=JUSTIFICATION_MAX, message=_l("La justification doit faire au plus 2 000 caractères.")),
        ],
        render_kw={"rows": 4},
    )


class AnswerForm(BaseForm):
    status = RadioField(
        _l("Réponse"),
        choices=_answer_choices(),
        validators=[InputRequired(_l("Choisissez une réponse."))],
        validate_choice=False,
    )
    changed_wording = TextAreaField(
        _l("Rédaction retenue (si accepté avec modifications)"),
        validators=[
            Optional(),
            Length(max=WORDING_MAX, message=_l("La rédaction doit faire au plus 3 000 caractères.")),
        ],
        render_kw={"rows": 6},
    )
    reason = TextAreaField(
        _l("Raison de la réponse"),
        validators=[Length(max=REASON_MAX, message=_l("La réponse doit faire au plus 3 000 caractères."))],
        description=_l("Publique. Obligatoire en cas de rejet."),
        render_kw={"rows": 4},
    )


class BulkAnswerForm(BaseForm):
    amendments = SelectMultipleField(_l("Amendements cochés"), coerce=str, validate_choice=False)
    status = RadioField(
        _l("Réponse"),
        choices=_answer_choices(with_changes=False),
        validators=[InputRequired(_l("Choisissez une réponse."))],
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Raison de la réponse"),
        validators=[Length(max=REASON_MAX, message=_l("La réponse doit faire au plus 3 000 caractères."))],
        description=_l("La même pour tous les amendements cochés. Obligatoire en cas de rejet."),
        render_kw={"rows": 3},
    )

    def amendment_ids(self) -> list[int]:
        # Anything but an id becomes -1, which belongs to no text: the service refuses the whole answer.
        return [int(v) if str(v).isdigit() and len(str(v)) < 10 else -1 for v in self.amendments.data or []]
