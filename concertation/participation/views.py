"""Who took part: the person's profile questions, the territory's population, a consultation's comparison."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import commit_and_redirect, form_status, refusal_shown, show_refusal
from concertation.participation import comparison, insee_csv, services
from concertation.participation.forms import DeleteProfileForm, PopulationForm, PopulationImportForm, ProfileForm
from concertation.participation.models import AGE_BANDS, PCS_GROUPS, RELATIONS
from concertation.permissions import require
from concertation.territories.views import territory_or_404

bp = Blueprint("participation", __name__)


# The person's profile ---------------------------------------------------------------------------


def _render_profile(form: ProfileForm, status: int = 200):
    return render_template(
        "participation/profile.html",
        form=form,
        delete_form=DeleteProfileForm(prefix="delete"),
        profile=services.profile_of(current_user),
    ), status


@bp.route("/compte/profil-de-participation", methods=["GET", "POST"])
@login_required
def profile():
    require("participation.profile")
    form = ProfileForm(services.area_choices())
    if request.method == "GET":
        existing = services.profile_of(current_user)
        if existing is not None:
            form.age_band.data = existing.age_band or ""
            form.area.data = (
                str(existing.area_id) if existing.area_id else ("ailleurs" if existing.lives_elsewhere else "")
            )
            form.relation.data = existing.relation or ""
            form.pcs.data = existing.pcs or ""
            form.consent.data = True
    if form.validate_on_submit():
        with refusal_shown(form):
            services.save_profile(
                current_user,
                form.age_band.data,
                form.area.data,
                form.relation.data,
                form.pcs.data,
                form.consent.data,
                utcnow(),
            )
            return commit_and_redirect(
                _("Vos réponses sont enregistrées. Vous pouvez les changer ou les supprimer à tout moment."),
                url_for("participation.profile"),
            )
    return _render_profile(form, form_status(form))


@bp.route("/compte/profil-de-participation/supprimer", methods=["POST"])
@login_required
def delete_profile():
    require("participation.profile")
    form = DeleteProfileForm(prefix="delete")
    if not form.validate_on_submit():
        return _render_profile(ProfileForm(services.area_choices()), 422)
    services.delete_profile(current_user)
    return commit_and_redirect(_("Vos réponses sont supprimées."), url_for("participation.profile"))


# The territory's population --------------------------------------------------------------------


def _render_population(territory, form: PopulationForm, import_form: PopulationImportForm, status: int = 200):
    return render_template(
        "participation/population.html",
        territory=territory,
        form=form,
        import_form=import_form,
        population=services.population_of(territory),
        AGE_BANDS=AGE_BANDS,
        name_columns=insee_csv.NAME_COLUMNS,
        code_columns=insee_csv.CODE_COLUMNS,
        band_columns=insee_csv.BAND_COLUMNS,
    ), status


def _filled(territory) -> PopulationForm:
    form = PopulationForm()
    population = services.population_of(territory)
    for band, name in PopulationForm.BANDS.items():
        form[name].data = population.ages.get(band)
    form.areas.data = "\n".join(
        "; ".join([a.name, "" if a.population is None else str(a.population), *([a.code] if a.code else [])])
        for a in population.areas
    )
    return form


@bp.route("/territoires/<slug>/population", methods=["GET", "POST"])
@login_required
def population(slug: str):
    territory = territory_or_404(slug)
    require("population.manage", territory)
    form = _filled(territory) if request.method == "GET" else PopulationForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.set_population(territory, form.ages(), services.parse_areas(form.areas.data or ""))
            return commit_and_redirect(
                _("La population du territoire est enregistrée."), url_for("participation.population", slug=slug)
            )
    return _render_population(territory, form, PopulationImportForm(prefix="import"), form_status(form))


@bp.route("/territoires/<slug>/population/import", methods=["POST"])
@login_required
def import_population(slug: str):
    territory = territory_or_404(slug)
    require("population.manage", territory)
    import_form = PopulationImportForm(prefix="import")
    if import_form.validate_on_submit():
        upload = request.files.get(import_form.file.name)
        if upload is None or not upload.filename:
            import_form.file.errors = [_("Choisissez un fichier CSV.")]
        else:
            try:
                ages, areas = insee_csv.read_population(upload.read(insee_csv.MAX_BYTES + 1))
                services.set_population(territory, ages, areas)
            except ActionRefused as error:
                db.session.rollback()
                error.field = "file"
                show_refusal(import_form, error)
            else:
                db.session.commit()
                flash(
                    _("Le fichier est importé : %(n)d communes ou quartiers.", n=len(areas)),
                    "success",
                )
                return redirect(url_for("participation.population", slug=slug))
    return _render_population(territory, _filled(territory), import_form, 422)


# A consultation's comparison -------------------------------------------------------------------


@bp.route("/consultations/<int:consultation_id>/qui-a-participe")
@login_required
def representativeness(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.representativeness", consultation)
    result = comparison.compare(consultation)
    return render_template(
        "participation/representativeness.html",
        consultation=consultation,
        result=result,
    )


@bp.app_template_global("representativeness_chart")
def _representativeness_chart(dimension: dict) -> dict:
    return comparison.chart(dimension)


@bp.app_template_global("representativeness_text")
def _representativeness_text() -> dict:
    """The French texts said with the figures (translated where shown)."""
    return {
        "caution_title": comparison.CAUTION_TITLE,
        "cautions": comparison.CAUTIONS,
        "shares_among": comparison.SHARES_AMONG,
    }


@bp.app_template_global("profile_labels")
def _profile_labels() -> dict:
    return {"age": AGE_BANDS, "relation": RELATIONS, "pcs": PCS_GROUPS}
