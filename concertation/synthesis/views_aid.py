"""The synthesis aid's page and the organisers' actions on it: compute, rename, merge, split, move, accept a draft."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import commit_and_redirect, refusal_shown
from concertation.permissions import can, require
from concertation.proposals import merging
from concertation.routing import Routes
from concertation import tasks
from concertation.synthesis import background, grouping, opinions, semantic, services, themes
from concertation.synthesis.forms import (
    AidComputeForm,
    DraftAcceptForm,
    GroupMergeForm,
    GroupRenameForm,
    GroupSplitForm,
    MergeForm,
    ProposalMoveForm,
)
from concertation.synthesis.links import proposal_path
from concertation.synthesis.models import SynthesisSection

routes = Routes()


def _forms(consultation, groups, draft, given: dict):
    """Every form of the page, with the consultation's groups and sections as choices; ``given`` wins."""
    group_choices = [(g.group.id, f"{i}. {g.label}") for i, g in enumerate(groups, start=1)]
    forms = {
        "compute": AidComputeForm(formdata=None),
        "rename": GroupRenameForm(formdata=None, prefix="rename"),
        "merge_groups": GroupMergeForm(formdata=None, prefix="fuse"),
        "split": GroupSplitForm(formdata=None, prefix="split"),
        "move": ProposalMoveForm(formdata=None, prefix="move"),
        "merge": MergeForm(formdata=None),
        **given,
    }
    for name in ("rename", "merge_groups", "split"):
        forms[name].group_id.choices = group_choices
    forms["merge_groups"].other_id.choices = group_choices
    forms["move"].group_id.choices = [(0, _("À part (hors des groupes)")), *group_choices]
    sections = [(s.id, s.title) for s in draft.sections] if draft is not None else []
    forms["drafts"] = {}
    for g in groups:
        form = given.get(f"draft-{g.group.id}") or DraftAcceptForm(formdata=None, prefix=f"d{g.group.id}")
        form.section_id.choices = sections
        forms["drafts"][g.group.id] = form
    return forms


def render_aid(consultation, status: int = 200, **given):
    """The aid page: the stored computation if there is one, today's word-based method when the model is missing."""
    run = themes.run_of(consultation)
    view = themes.aid_view(consultation, run) if run is not None and run.method == "embeddings" else None
    fallback = grouping.proposal_aid(consultation) if run is not None and run.method == "words" else None
    groups = view.groups if view is not None else []
    draft = services.draft_of(consultation)
    opinion = run.opinions if run is not None else {}
    titles = {}
    if opinion.get("groups"):
        titles = themes.titles_of(consultation, [e["proposal_id"] for e in opinion["consensus"] + opinion["divisive"]])
    return render_template(
        "synthesis/aid.html",
        consultation=consultation,
        run=run,
        view=view,
        aid=fallback,
        forms=_forms(consultation, groups, draft, given),
        form=given.get("merge") or MergeForm(formdata=None),
        thresholds=(grouping.GROUP_THRESHOLD, grouping.DUPLICATE_THRESHOLD),
        max_share=grouping.MAX_SHARE,
        semantic=semantic,
        opinions=opinion,
        opinion_titles=titles,
        min_opinion_group=opinions.MIN_GROUP_SIZE,
        can_write=can(current_user, "synthesis.write", consultation),
        merges=merging.merge_log(consultation),
        task=background.aid_task(consultation),
    ), status


def _back(consultation, anchor: str = ""):
    return redirect(url_for("synthesis.aid", consultation_id=consultation.id) + anchor)


def _consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("synthesis.prepare", consultation)
    return consultation


@routes.route("/consultations/<int:consultation_id>/synthese/aide/calculer", methods=["POST"])
@login_required
def aid_compute(consultation_id: int):
    """Ask for the aid: a worker computes it (or, without a queue, this process right after the commit)."""
    consultation = _consultation(consultation_id)
    form = AidComputeForm()
    if not form.validate_on_submit():
        abort(400)
    task, started = background.ask_aid(
        consultation,
        current_user.id,
        utcnow(),
        start_over=form.start_over.data,
        in_process=background.in_process(current_app),
    )
    db.session.commit()
    if not started:
        flash(_("Le calcul de l’aide est déjà en cours : cette page montrera son résultat une fois prêt."), "info")
        return _back(consultation)
    db.session.refresh(task)
    if task.status == tasks.DONE:
        _flash_outcome(task.summary)
    elif task.status == tasks.DEAD or task.retrying:
        flash(_("Le calcul de l’aide a échoué ; l’équipe technique en est avertie."), "error")
    else:
        flash(_("L’aide est en cours de calcul : cette page montrera son résultat une fois prêt."), "info")
    return _back(consultation)


def _flash_outcome(summary: dict) -> None:
    if summary.get("remaining"):
        flash(
            _(
                "Le modèle a lu une partie des propositions ; %(n)d restent à lire : relancez le calcul pour "
                "continuer.",
                n=summary["remaining"],
            ),
            "warning",
        )
    elif summary.get("method") == "words":
        flash(
            _("Le modèle de langue est indisponible : l’aide montre les groupes par mots (méthode de repli)."),
            "warning",
        )
    else:
        seconds = f"{summary.get('seconds', 0):.1f}".replace(".", ",")
        flash(_("L’aide est à jour (calculée en %(s)s s).", s=seconds), "success")


def _edit(consultation, form, key: str, action, message: str, anchor: str = "#groupes"):
    """Validate → act → commit → redirect, or the page again with the form as typed and a 422."""
    if form.validate_on_submit():
        with refusal_shown(form, missing_is_404=True):
            action()
            return commit_and_redirect(message, url_for("synthesis.aid", consultation_id=consultation.id) + anchor)
    return render_aid(consultation, 422, **{key: form})


@routes.route("/consultations/<int:consultation_id>/synthese/aide/renommer", methods=["POST"])
@login_required
def aid_rename(consultation_id: int):
    consultation = _consultation(consultation_id)
    form = GroupRenameForm(prefix="rename")
    form.group_id.choices = themes.group_choices(consultation)
    return _edit(
        consultation,
        form,
        "rename",
        lambda: themes.rename_group(themes.group_in(consultation, form.group_id.data), form.name.data),
        _("Le groupe est renommé."),
    )


@routes.route("/consultations/<int:consultation_id>/synthese/aide/fondre", methods=["POST"])
@login_required
def aid_merge_groups(consultation_id: int):
    consultation = _consultation(consultation_id)
    form = GroupMergeForm(prefix="fuse")
    form.group_id.choices = form.other_id.choices = themes.group_choices(consultation)
    return _edit(
        consultation,
        form,
        "merge_groups",
        lambda: themes.merge_groups(
            consultation,
            themes.group_in(consultation, form.group_id.data),
            themes.group_in(consultation, form.other_id.data),
        ),
        _("Les deux groupes n’en font plus qu’un."),
    )


@routes.route("/consultations/<int:consultation_id>/synthese/aide/scinder", methods=["POST"])
@login_required
def aid_split(consultation_id: int):
    consultation = _consultation(consultation_id)
    form = GroupSplitForm(prefix="split")
    form.group_id.choices = themes.group_choices(consultation)
    return _edit(
        consultation,
        form,
        "split",
        lambda: themes.split_group(
            consultation, themes.group_in(consultation, form.group_id.data), form.proposals.data, form.name.data
        ),
        _("Le nouveau groupe est formé."),
    )


@routes.route("/consultations/<int:consultation_id>/synthese/aide/deplacer", methods=["POST"])
@login_required
def aid_move(consultation_id: int):
    consultation = _consultation(consultation_id)
    form = ProposalMoveForm(prefix="move")
    form.group_id.choices = [(0, ""), *themes.group_choices(consultation)]
    return _edit(
        consultation,
        form,
        "move",
        lambda: themes.move_proposals(
            consultation,
            form.proposals.data,
            themes.group_in(consultation, form.group_id.data) if form.group_id.data else None,
        ),
        _("Les propositions sont déplacées ; un nouveau calcul ne les bougera plus."),
    )


@routes.route("/consultations/<int:consultation_id>/synthese/aide/groupes/<int:group_id>/brouillon", methods=["POST"])
@login_required
def aid_accept_draft(consultation_id: int, group_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("synthesis.write", consultation)
    draft = services.draft_of(consultation)
    run = themes.run_of(consultation)
    if draft is None or run is None or run.method != "embeddings":
        abort(404)
    try:
        group = themes.group_in(consultation, group_id)
    except ActionRefused:
        abort(404)
    form = DraftAcceptForm(prefix=f"d{group.id}")
    form.section_id.choices = [(s.id, s.title) for s in draft.sections]

    if form.validate_on_submit():
        section = db.session.get(SynthesisSection, form.section_id.data)
        view = next(g for g in themes.aid_view(consultation, run).groups if g.group.id == group.id)
        with refusal_shown(form):
            count = themes.accept_draft(section, view, lambda pid: proposal_path(consultation.id, pid))
            return commit_and_redirect(
                _(
                    "%(n)d citations ajoutées à la section « %(title)s » : relisez-la et reformulez avant de publier.",
                    n=count,
                    title=section.title,
                ),
                url_for("synthesis.edit", consultation_id=consultation.id) + "#section-" + str(form.section_id.data),
            )
    return render_aid(consultation, 422, **{f"draft-{group.id}": form})
