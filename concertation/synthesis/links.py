"""Addresses of the contributions a synthesis cites.

The proposal pages belong to the proposals area; when its route is not
registered (yet), the documented path is built by hand so that links stay right.
"""

from flask import url_for
from werkzeug.routing import BuildError


def proposal_path(consultation_id: int, proposal_id: int) -> str:
    try:
        return url_for("proposals.show", consultation_id=consultation_id, proposal_id=proposal_id)
    except (BuildError, RuntimeError):
        return f"/consultations/{consultation_id}/propositions/{proposal_id}"


def comment_path(consultation_id: int, proposal_id: int | None, comment_id: int) -> str:
    base = proposal_path(consultation_id, proposal_id) if proposal_id else f"/consultations/{consultation_id}"
    return f"{base}#commentaire-{comment_id}"


def citation_path(consultation_id: int, citation: dict) -> str:
    """The address of a frozen citation (a dict stored in a published version)."""
    if citation["kind"] == "comment":
        return comment_path(consultation_id, citation.get("proposal_id"), citation["id"])
    return proposal_path(consultation_id, citation["id"])
