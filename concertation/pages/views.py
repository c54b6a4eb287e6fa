"""The home page, the legal and accessibility pages, and the choice of language."""

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from concertation import caching, permissions, query_args, select_locale
from concertation.consultations import listing
from concertation.consultations.forms import HomeFilterForm
from concertation.db import utcnow
from concertation.extensions import csrf, db
from concertation.forms import BaseForm, form_status, refusal_shown
from concertation.pages.forms import AccessibilityAuditForm
from concertation.permissions import require
from concertation.security import redirect_back
from concertation.territories import accessibility as audits
from concertation.territories.models import Territory

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    """Running, upcoming and finished consultations; `section` shows one of them, page by page.

    The search form and the sections are one fragment, the same for everyone who sees the same consultations
    (permissions.consultations_seen_as) in the same language with the same filters: it is kept in the shared
    cache until a consultation, a phase, a theme, a territory or a synthesis changes, or the minute turns
    (the sections follow the clock)."""
    now = utcnow()
    seen_as = permissions.consultations_seen_as(current_user)
    parts = (seen_as, select_locale(), now.strftime("%Y-%m-%dT%H:%M"), sorted(request.args.items(multi=True)))
    listing = caching.fragment("home", parts, lambda: _home_listing(now))
    return render_template("pages/home.html", listing=listing)


def _home_listing(now) -> str:
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
    syntheses = listing.latest_syntheses(sections["finished"].items) if "finished" in sections else {}
    return render_template(
        "pages/_home_listing.html", sections=sections, section=section, form=form, filters=filters, syntheses=syntheses
    )


@bp.route("/conditions-d-utilisation")
def terms():
    return render_template("pages/terms.html")


@bp.route("/confidentialite")
def privacy():
    return render_template("pages/privacy.html")


@bp.route("/accessibilite")
def accessibility():
    return render_template("pages/accessibility.html", statement_date=STATEMENT_DATE)


# The language of a visitor who is not signed in: a plain cookie, not the session, so that their pages
# carry no per-visitor state and can be cached (caching.py); read by select_locale.
LOCALE_COOKIE = "locale"


@bp.route("/langue", methods=["POST"])
@csrf.exempt
def set_language():
    """Switch the language. Without a session and its CSRF token: choosing a language sets only a
    cookie. A signed-in person's choice is also stored in their account, which needs the token."""
    locale = request.form.get("locale")
    response = redirect_back(request.form.get("next"))
    if locale not in ("fr", "en"):
        return response
    if current_user.is_authenticated:
        if not BaseForm().validate_on_submit():
            return response
        current_user.locale = locale
        db.session.commit()
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


# The accessibility statement (RGAA model), the platform's and each territory's ------------------

# When the statement below was last checked against what was tested (see templates/pages/accessibility.html).
STATEMENT_DATE = date(2026, 12, 1)


@bp.route("/territoires/<slug>/accessibilite")
def territory_accessibility(slug: str):
    territory = db.first_or_404(select(Territory).where(Territory.slug == slug))
    return render_template(
        "pages/territory_accessibility.html",
        territory=territory,
        audit=audits.audit_of(territory),
        statement_date=STATEMENT_DATE,
    )


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
            audits.publish_audit(
                current_user,
                territory,
                form.status.data,
                form.audited_on.data,
                form.auditor.data,
                rate,
                form.report_url.data or "",
                utcnow(),
            )
            db.session.commit()
            flash(_("Le résultat de l’audit est publié sur la déclaration d’accessibilité du territoire."), "success")
            return redirect(url_for("pages.territory_accessibility", slug=territory.slug))
    status = form_status(form)
    return render_template("pages/accessibility_audit.html", territory=territory, form=form, audit=audit), status
