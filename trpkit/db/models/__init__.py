"""Every model module, imported so Base.metadata is complete (Alembic relies on it)."""

from trpkit.db.models.applications import (
    AbsenceFromCanada,
    Application,
    ApplicationStageEvent,
    Decision,
    PermitHolderGround,
)
from trpkit.db.models.audit import AuditEntry, AuditHead
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
from trpkit.db.models.form_drafts import FormDraft
from trpkit.db.models.incidents import IncidentRow
from trpkit.db.models.narrative import (
    DateSuggestion,
    NarrativeDraft,
    NarrativeEntry,
    NarrativeEntryRevision,
    NarrativeMeeting,
    TimelineEvent,
    TimelineEventEntry,
)
from trpkit.db.models.removed import RemovedItem
from trpkit.db.models.translations import LetterTranslation
from trpkit.db.models.users import User

__all__ = [
    "AbsenceFromCanada",
    "Application",
    "ApplicationStageEvent",
    "AuditEntry",
    "AuditHead",
    "Case",
    "CaseAssignment",
    "CaseCounter",
    "CaseIndicatorSettings",
    "ChecklistItemStatus",
    "CoalitionAgency",
    "CoalitionImport",
    "CoalitionPendingWithdrawal",
    "CoalitionRecord",
    "CoalitionRelease",
    "CoalitionSettings",
    "CoalitionWithdrawal",
    "ConsentEvent",
    "DateSuggestion",
    "Decision",
    "Draft",
    "EvidenceAttachment",
    "EvidenceItem",
    "FormDraft",
    "IncidentRow",
    "IndicatorLink",
    "LetterTranslation",
    "NarrativeDraft",
    "NarrativeEntry",
    "NarrativeEntryRevision",
    "NarrativeMeeting",
    "PermitHolderGround",
    "Person",
    "RemovedItem",
    "SubmissionNotes",
    "TimelineEvent",
    "TimelineEventEntry",
    "User",
]
