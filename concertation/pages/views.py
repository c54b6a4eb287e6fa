"""The home page, the legal and accessibility pages, and the choice of language."""

from flask import Blueprint, render_template, request, session
from flask_login import current_user

from concertation.consultations import listing
from concertation.consultations.forms import HomeFilterForm
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import BaseForm
from concertation.security import redirect_back

bp = Blueprint("pages", __name__)



@bp.route("/")
def home():
    """Running, upcoming and finished consultations; `section` shows one of them, page by page."""
    now = utcnow()
    form = HomeFilterForm(request.args)
    form.set_choices(*listing.filter_choices(current_user))
    filters = form.filters()
    section = request.args.get("section")
    if section in listing.SECTIONS:
        page = max(request.args.get("page", 1, type=int) or 1, 1)
        sections = {section: listing.browse(current_user, now, section, filters, page=page, per_page=12)}
    else:
        section = None
        sections = {name: listing.browse(current_user, now, name, filters) for name in listing.SECTIONS}
    syntheses = listing.latest_syntheses(sections.get("finished").items) if "finished" in sections else {}
    return render_template("pages/home.html", sections=sections, section=section, form=form, filters=filters,
                           syntheses=syntheses)


@bp.route("/conditions-d-utilisation")
def terms():
    return render_template("pages/terms.html")


@bp.route("/confidentialite")
def privacy():
    return render_template("pages/privacy.html")


@bp.route("/accessibilite")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/langue", methods=["POST"])
def set_language():
    form = BaseForm()
    locale = request.form.get("locale")
    if form.validate_on_submit() and locale in ("fr", "en"):
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect_back(request.form.get("next"))
