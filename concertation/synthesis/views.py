"""The organisers' side of syntheses: drafting, citing, publishing, the synthesis aid, their own exports."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import BaseForm, choices, commit_and_redirect, refusal_shown
from concertation.permissions import require, require_found
from concertation.proposals import merging
from concertation.proposals.models import Proposal
from concertation import tasks
from concertation.synthesis import background, citing, figures, services, views_aid, views_readers
from concertation.synthesis.exports import csv_json
from concertation.synthesis.forms import CitationForm, MergeForm, PublishForm, RetainedForm, synthesis_form
from concertation.synthesis.links import proposal_path
from concertation.synthesis.models import SynthesisCitation, SynthesisSection
from concertation.voting.models import MENTIONS

bp = Blueprint("synthesis", __name__)
# The readers' routes have a module of their own, on this one blueprint.
views_readers.routes.add_to(bp)
# The synthesis aid's routes too.
views_aid.routes.add_to(bp)


@bp.app_context_processor
def synthesis_helpers() -> dict:
    return {
        "latest_synthesis": services.latest_version,
        "FIGURE_LABELS": figures.FIGURE_LABELS,
        "MENTIONS": MENTIONS,
        "proposal_path": proposal_path,
        "elu_dashboards": _elu_dashboards,
    }


def _elu_dashboards() -> list:
    """The territories whose dashboard the header offers: those where the person is an élu."""
    if not current_user.is_authenticated:
        return []
    return sorted({m.territory for m in current_user.memberships if m.role == "elu"}, key=lambda t: t.name)


def _draft_or_404(consultation):
    synthesis = services.draft_of(consultation)
    if synthesis is None:
        abort(404)
    return synthesis


def _to_edit(consultation, anchor: str = ""):
    return redirect(url_for("synthesis.edit", consultation_id=consultation.id) + anchor)


def _render_edit(
    consultation,
    synthesis,
    form=None,
    retained_form=None,
    citation_forms=None,
    publish_form=None,
    status=200,
    search: tuple[int, str] | None = None,
):
    """The editor; `search` is (section id, words) when the organiser searched something to cite there."""
    found = {}
    if synthesis is not None:
        form = form or synthesis_form(synthesis, formdata=None, data=_draft_data(synthesis))
        retained_form = retained_form or RetainedForm(
            formdata=None, proposals=[r.proposal_id for r in synthesis.retained]
        )
        retained_form.proposals.choices = choices([(p.id, p.title) for p in services.retainable(consultation)])
        citation_forms = citation_forms or {}
        for section in synthesis.sections:
            citation_forms.setdefault(section.id, CitationForm(formdata=None, prefix=f"c{section.id}"))
        if search is not None and search[0] in citation_forms:
            found[search[0]] = _search_results(consultation, citation_forms[search[0]], search[1])
    return render_template(
        "synthesis/edit.html",
        consultation=consultation,
        synthesis=synthesis,
        form=form,
        retained_form=retained_form,
        citation_forms=citation_forms,
        found=found,
        cited_titles=citing.cited_titles(synthesis) if synthesis is not None else {},
        publish_form=publish_form or PublishForm(formdata=None),
        start_form=BaseForm(),
        versions=services.published_versions(consultation),
        exports=background.export_tasks(consultation),
        export_kept=tasks.prepared_file,
        now=utcnow(),
    ), status


def _search_results(consultation, citation_form: CitationForm, query: str) -> dict:
    """The contributions matching `query`, offered as the citation form's choices."""
    results = citing.citable(consultation, query)
    citation_form.q.data = query
    citation_form.source.choices = choices([(r.value, _citable_label(r)) for r in results])
    return {"query": query, "results": results}


def _citable_label(item: citing.Citable) -> str:
    if item.kind == "proposal":
        return _("Proposition « %(title)s » — %(excerpt)s", title=item.title, excerpt=item.excerpt)
    if item.title:
        return _("Commentaire sur « %(title)s » — %(excerpt)s", title=item.title, excerpt=item.excerpt)
    return _("Commentaire du débat — %(excerpt)s", excerpt=item.excerpt)


def _requested_search() -> tuple[int, str] | None:
    section_id = request.args.get("citer", type=int)
    query = (request.args.get("q") or "").strip()[:200]
    return (section_id, query) if section_id and query else None


def _draft_data(synthesis) -> dict:
    return {
        "title": synthesis.title,
        "introduction": synthesis.introduction,
        **{f"section_{s.id}": s.body for s in synthesis.sections},
    }


@bp.route("/consultations/<int:consultation_id>/synthese/rediger", methods=["GET", "POST"])
@login_required
def edit(consultation_id: int):
    consultation = require_found("synthesis.prepare", Consultation, consultation_id)
    synthesis = services.draft_of(consultation)
    if request.method == "GET" or synthesis is None:
        if request.method == "POST":
            abort(404)
        return _render_edit(consultation, synthesis, search=_requested_search())
    require("synthesis.write", consultation)
    form = synthesis_form(synthesis)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_synthesis(
                synthesis,
                form.title.data,
                form.introduction.data or "",
                {s.id: form[f"section_{s.id}"].data or "" for s in synthesis.sections},
            )
            db.session.commit()
            flash(_("Le brouillon de la synthèse est enregistré."), "success")
            return _to_edit(consultation)
    return _render_edit(consultation, synthesis, form=form, status=422)


@bp.route("/consultations/<int:consultation_id>/synthese/commencer", methods=["POST"])
@login_required
def start(consultation_id: int):
    consultation = require_found("synthesis.write", Consultation, consultation_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.start_synthesis(current_user, consultation)
    db.session.commit()
    return _to_edit(consultation)


@bp.route("/consultations/<int:consultation_id>/synthese/retenues", methods=["POST"])
@login_required
def retained(consultation_id: int):
    consultation = require_found("synthesis.write", Consultation, consultation_id)
    synthesis = _draft_or_404(consultation)
    form = RetainedForm()
    form.proposals.choices = choices([(p.id, p.title) for p in services.retainable(consultation)])
    if form.validate_on_submit():
        with refusal_shown(form):
            services.set_retained(synthesis, form.proposals.data or [])
            db.session.commit()
            flash(_("La liste des propositions retenues est enregistrée."), "success")
            return _to_edit(consultation, "#retenues")
    return _render_edit(consultation, synthesis, retained_form=form, status=422)


def _section_or_404(synthesis, section_id: int) -> SynthesisSection:
    section = db.session.get(SynthesisSection, section_id)
    if section is None or section.synthesis_id != synthesis.id:
        abort(404)
    return section


@bp.route("/consultations/<int:consultation_id>/synthese/sections/<int:section_id>/citations", methods=["POST"])
@login_required
def cite(consultation_id: int, section_id: int):
    consultation = require_found("synthesis.write", Consultation, consultation_id)
    synthesis = _draft_or_404(consultation)
    section = _section_or_404(synthesis, section_id)
    form = CitationForm(prefix=f"c{section.id}")
    if form.validate_on_submit():
        choice = citing.parse_choice(form.source.data)
        with refusal_shown(form):
            if choice is None:
                raise ActionRefused(
                    _("Choisissez une contribution parmi les résultats de la recherche."), field="source"
                )
            services.add_citation(section, *choice, form.paragraph.data)
            db.session.commit()
            flash(_("La citation est ajoutée à la section « %(title)s ».", title=section.title), "success")
            return _to_edit(consultation, f"#section-{section.id}")
    return _render_edit(
        consultation,
        synthesis,
        citation_forms={section.id: form},
        status=422,
        search=(section.id, (form.q.data or "").strip()[:200]),
    )


@bp.route("/consultations/<int:consultation_id>/synthese/sections/<int:section_id>/contributions")
@login_required
def citable(consultation_id: int, section_id: int):
    """The search's results alone, for the editor's script to show them as the organiser types."""
    consultation = require_found("synthesis.write", Consultation, consultation_id)
    section = _section_or_404(_draft_or_404(consultation), section_id)
    form = CitationForm(formdata=None, prefix=f"c{section.id}")
    query = (request.args.get("q") or "").strip()[:200]
    found = _search_results(consultation, form, query)
    return render_template(
        "synthesis/_citable.html", consultation=consultation, section=section, cform=form, found=found
    )


@bp.route("/consultations/<int:consultation_id>/synthese/citations/<int:citation_id>/retirer", methods=["POST"])
@login_required
def uncite(consultation_id: int, citation_id: int):
    consultation = require_found("synthesis.write", Consultation, consultation_id)
    synthesis = _draft_or_404(consultation)
    citation = db.session.get(SynthesisCitation, citation_id)
    if citation is None or _section_or_404(synthesis, citation.section_id) is None:
        abort(404)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.remove_citation(citation)
    db.session.commit()
    flash(_("La citation est retirée."), "success")
    return _to_edit(consultation, f"#section-{citation.section_id}")


@bp.route("/consultations/<int:consultation_id>/synthese/publier", methods=["POST"])
@login_required
def publish(consultation_id: int):
    consultation = require_found("synthesis.write", Consultation, consultation_id)
    synthesis = _draft_or_404(consultation)
    form = PublishForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            version = services.publish(current_user, synthesis, utcnow(), form.change_note.data or "")
            return commit_and_redirect(
                _("La version %(n)d de la synthèse est publiée.", n=version.number),
                url_for("synthesis.version", consultation_id=consultation.id, number=version.number),
            )
    return _render_edit(consultation, synthesis, publish_form=form, status=422)


def _render_aid(consultation, form=None, status=200):
    given = {"merge": form} if form is not None else {}
    return views_aid.render_aid(consultation, status, **given)


@bp.route("/consultations/<int:consultation_id>/synthese/aide")
@login_required
def aid(consultation_id: int):
    consultation = require_found("synthesis.prepare", Consultation, consultation_id)
    return _render_aid(consultation)


@bp.route("/consultations/<int:consultation_id>/synthese/fusionner", methods=["POST"])
@login_required
def merge(consultation_id: int):
    consultation = require_found("synthesis.write", Consultation, consultation_id)
    form = MergeForm()
    if form.validate_on_submit():
        duplicate = db.session.get(Proposal, form.duplicate_id.data)
        target = db.session.get(Proposal, form.target_id.data)
        if duplicate is None or target is None or duplicate.consultation_id != consultation.id:
            abort(404)
        with refusal_shown(form):
            log = merging.merge_proposals(current_user, duplicate, target, utcnow())
            return commit_and_redirect(
                _(
                    "« %(duplicate)s » est fusionnée dans « %(target)s » : %(supports)s et %(grades)s "
                    "reportés, sans compter personne deux fois.",
                    duplicate=log.duplicate_title,
                    target=log.target_title,
                    supports=ngettext("%(num)d soutien", "%(num)d soutiens", log.supports_moved),
                    grades=ngettext("%(num)d mention", "%(num)d mentions", log.grades_moved),
                ),
                url_for("synthesis.aid", consultation_id=consultation.id),
            )
    return _render_aid(consultation, form, 422)


@bp.route("/consultations/<int:consultation_id>/donnees/completes/<any(propositions, commentaires):dataset>.csv")
@login_required
def full_export(consultation_id: int, dataset: str):
    """Everything, hidden content included: for the organisers only, never published."""
    consultation = require_found("synthesis.prepare", Consultation, consultation_id)
    rows = csv_json.rows_of(consultation, dataset, full=True)
    return Response(
        stream_with_context(csv_json.stream_csv(csv_json.columns_of(dataset, True), rows)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=consultation-{consultation.id}-{dataset}-complet.csv",
            "Cache-Control": "private, no-store",
        },
    )


@bp.route(
    "/consultations/<int:consultation_id>/donnees/completes/<any(propositions, commentaires):dataset>/preparer",
    methods=["POST"],
)
@login_required
def prepare_export(consultation_id: int, dataset: str):
    """A full export of a large consultation is prepared by a worker, then downloaded from the editor."""
    consultation = require_found("synthesis.prepare", Consultation, consultation_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    task, started = background.ask_export(consultation, dataset, current_user.id, utcnow())
    db.session.commit()
    if not started:
        flash(_("Cet export est déjà en préparation : il apparaîtra ici une fois prêt."), "info")
    else:
        db.session.refresh(task)
        if task.status == tasks.DONE:
            flash(_("L’export complet est prêt : vous pouvez le télécharger."), "success")
        elif task.status == tasks.DEAD or task.retrying:
            flash(_("La préparation de l’export a échoué ; l’équipe technique en est avertie."), "error")
        else:
            flash(_("L’export complet est en préparation : il apparaîtra ici une fois prêt."), "info")
    return _to_edit(consultation, "#exports")


@bp.route(
    "/consultations/<int:consultation_id>/donnees/completes/preparees/<any(propositions, commentaires):dataset>.csv"
)
@login_required
def prepared_export(consultation_id: int, dataset: str):
    """The file a worker prepared (404 once it is no longer kept, TASKS_EXPORT_KEEP_HOURS)."""
    consultation = require_found("synthesis.prepare", Consultation, consultation_id)
    task = tasks.task_of(tasks.export_key(consultation.id, dataset))
    data = tasks.prepared_file(task, utcnow())
    if data is None or task is None or task.finished_at is None:
        abort(404)
    stamp = task.finished_at.strftime("%Y%m%d-%H%M")
    return Response(
        tasks.gunzip(data),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=consultation-{consultation.id}-{dataset}-complet-{stamp}.csv",
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/consultations/<int:consultation_id>/donnees/completes/journal-des-fusions.csv")
@login_required
def merge_log(consultation_id: int):
    consultation = require_found("synthesis.prepare", Consultation, consultation_id)
    columns = [
        csv_json.Column(n, "", "")
        for n in (
            "fusion_id",
            "le",
            "doublon_id",
            "doublon_titre",
            "cible_id",
            "cible_titre",
            "soutiens_reportes",
            "mentions_reportees",
        )
    ]
    rows = (
        [
            m.id,
            m.merged_at.isoformat(),
            m.duplicate_id,
            m.duplicate_title,
            m.target_id,
            m.target_title,
            m.supports_moved,
            m.grades_moved,
        ]
        for m in merging.merge_log(consultation)
    )
    return Response(
        csv_json.stream_csv(columns, rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=consultation-{consultation.id}-journal-des-fusions.csv",
            "Cache-Control": "private, no-store",
        },
    )
