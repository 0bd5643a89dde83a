"""Every model module, imported so Base.metadata is complete (Alembic relies on it)."""

from trpkit.db.models.applications import (
    AbsenceFromCanada,
    Application,
    ApplicationStageEvent,
    Decision,
    PermitHolderGround,
)
from trpkit.db.models.audit import AuditEntry
from trpkit.db.models.case import Case, CaseAssignment, CaseCounter, Person
from trpkit.db.models.coalition import (
    CoalitionAgency,
    CoalitionImport,
    CoalitionRecord,
    CoalitionRelease,
    CoalitionSettings,
    CoalitionWithdrawal,
)
from trpkit.db.models.coalition_pending import CoalitionPendingWithdrawal
from trpkit.db.models.consent import ConsentEvent
from trpkit.db.models.drafts import ChecklistItemStatus, Draft, SubmissionNotes
from trpkit.db.models.evidence import CaseIndicatorSettings, EvidenceAttachment, EvidenceItem, IndicatorLink
from trpkit.db.models.narrative import (
    DateSuggestion,
    NarrativeDraft,
    NarrativeEntry,
    NarrativeEntryRevision,
    NarrativeMeeting,
    TimelineEvent,
    TimelineEventEntry,
)
from trpkit.db.models.translations import LetterTranslation
from trpkit.db.models.users import User

__all__ = ["AuditEntry", "Case", "CaseAssignment", "CaseCounter", "ConsentEvent", "Person", "User"]
