"""The home page, the legal and accessibility pages, and the choice of language."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from concertation import query_args
from concertation.consultations import listing
from concertation.consultations.forms import HomeFilterForm
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import BaseForm, form_status, refusal_shown
from concertation.pages.forms import AccessibilityAuditForm
from concertation.permissions import require
from concertation.security import redirect_back
from concertation.territories import accessibility as audits
from concertation.territories.models import Territory

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
        page = max(query_args.page_number(), 1)
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
    return render_template("pages/accessibility.html", statement_date=STATEMENT_DATE)


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


# The accessibility statement (RGAA model), the platform's and each territory's ------------------

# When the statement below was last checked against what was tested (see templates/pages/accessibility.html).
STATEMENT_DATE = date(2026, 12, 1)


@bp.route("/territoires/<slug>/accessibilite")
def territory_accessibility(slug: str):
    territory = db.first_or_404(select(Territory).where(Territory.slug == slug))
    return render_template("pages/territory_accessibility.html", territory=territory,
                           audit=audits.audit_of(territory), statement_date=STATEMENT_DATE)


@bp.route("/territoires/<slug>/accessibilite/audit", methods=["GET", "POST"])
@login_required
def accessibility_audit(slug: str):
    territory = db.first_or_404(select(Territory).where(Territory.slug == slug))
    require("territory.accessibility_audit", territory)
    audit = audits.audit_of(territory)
    form = AccessibilityAuditForm(obj=audit if request.method == "GET" else None)
    if form.validate_on_submit():
        rate = float(form.rate.data) if form.rate.data is not None else None
        with refusal_shown(form):
            audits.publish_audit(current_user, territory, form.status.data, form.audited_on.data,
                                 form.auditor.data, rate, form.report_url.data or "", utcnow())
            db.session.commit()
            flash(_("Le résultat de l’audit est publié sur la déclaration d’accessibilité du territoire."), "success")
            return redirect(url_for("pages.territory_accessibility", slug=territory.slug))
    status = form_status(form)
    return render_template("pages/accessibility_audit.html", territory=territory, form=form, audit=audit), status
