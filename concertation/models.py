"""Imports every area's tables, so that the metadata (and Alembic) sees them all."""

from concertation.accounts.models import User  # noqa: F401
from concertation.consultations.models import Consultation, Phase, Resource, Theme  # noqa: F401
from concertation.territories.models import (  # noqa: F401
    AccessibilityAudit,
    Invitation,
    Membership,
    Territory,
    TerritoryDomain,
)
from concertation.comments.models import Comment  # noqa: F401
from concertation.notifications.models import Follow, Notification  # noqa: F401
from concertation.proposals.models import AnswerTemplate, Proposal, ProposalMerge  # noqa: F401
from concertation.voting.models import Grade, Support, SupportQuota  # noqa: F401
from concertation.moderation.models import Block, ModerationAction, Report  # noqa: F401
from concertation.synthesis.models import (  # noqa: F401
    RetainedProposalSnapshot,
    Synthesis,
    SynthesisCitation,
    SynthesisRetained,
    SynthesisSection,
    SynthesisVersion,
)
from concertation.synthesis.models import AidGroup, AidPlacement, AidRun, ProposalEmbedding  # noqa: F401
from concertation.jobs import OutboxMessage  # noqa: F401
from concertation.tasks import Task  # noqa: F401
from concertation.identity.models import LinkedIdentity  # noqa: F401
from concertation.manifesto.models import (  # noqa: F401
    Endorsement,
    Manifesto,
    ManifestoPoint,
    ManifestoSource,
    ManifestoSuggestion,
    ManifestoVersion,
)
from concertation.commitments.models import (  # noqa: F401
    Commitment,
    CommitmentChange,
    CommitmentPoint,
    CommitmentProposal,
    CommitmentSynthesis,
    Milestone,
)
from concertation.library.models import LibraryAdoption, LibraryEntry  # noqa: F401
from concertation.texts.models import (  # noqa: F401
    Amendment,
    AmendmentSupport,
    Chapter,
    DraftText,
    Paragraph,
    TextVersion,
    VersionParagraph,
    VersionSource,
)
from concertation.questionnaires.models import (  # noqa: F401
    Answer,
    Option,
    Question,
    Questionnaire,
    Respondent,
    Response,
    Section,
)
from concertation.workshops.models import Workshop, WorkshopRegistration  # noqa: F401
from concertation.participation.models import AgePopulation, ParticipationProfile, TerritoryArea  # noqa: F401
