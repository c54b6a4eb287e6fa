"""Addresses of the contributions a synthesis cites (paths, built without a request: documents need them too)."""

from concertation.notifications.services import path_for


def proposal_path(consultation_id: int, proposal_id: int) -> str:
    """The proposal's page (the consultation is named by callers for symmetry; the page needs only the id)."""
    return path_for("proposals.show", proposal_id=proposal_id)


def comment_path(consultation_id: int, proposal_id: int | None, comment_id: int) -> str:
    base = (
        proposal_path(consultation_id, proposal_id)
        if proposal_id
        else path_for("comments.consultation", consultation_id=consultation_id)
    )
    return f"{base}#commentaire-{comment_id}"


def citation_path(consultation_id: int, citation: dict) -> str:
    """The address of a frozen citation (a dict stored in a published version)."""
    if citation["kind"] == "comment":
        return comment_path(consultation_id, citation.get("proposal_id"), citation["id"])
    return proposal_path(consultation_id, citation["id"])
