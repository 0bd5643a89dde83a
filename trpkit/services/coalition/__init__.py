"""Coalition sharing: export anonymised decision outcomes from the vault, and merge packages at the coalition.

At an NGO (a supervisor): ``keygen`` makes the agency's signing key, ``set_secret`` stores the coalition's
record-id secret, ``export`` builds a signed, k-anonymous package of the decisions whose person consented to
coalition sharing (the number left out for lack of consent is reported, never which cases). Its withdrawal list
holds the record ids of people who withdrew consent and those owed for destroyed case files, which retention
computes before the case is deleted (``owe_withdrawals_for_destroyed_case``) and keeps without any case link.

At the coalition (an analyst, supervisor or administrator; analysts never read case files): ``add_agency``,
``import_packages`` (all of a package or nothing of it), ``release`` (the merged records without agency,
withdrawn records removed, k re-checked) and ``records_for_report``.

The package's modules: ``identity`` (keyed record ids and normalisation), ``records`` (the vault's rows to share
or withdraw), ``keys`` (agency key and coalition secret), ``withdrawals`` (owed for destroyed case files),
``export``, ``exchange`` (agencies and import) and ``release`` (the store's records, summary and releases).
"""

from __future__ import annotations

from trpkit.services.coalition._common import (
    COALITION_ROLES,
    DESTROYED_REASONS,
    OUTCOME_MAP,
    PURPOSE,
    RESEND_DAYS,
    RESEND_MIN_PACKAGES,
    TRP_TYPES,
)
from trpkit.services.coalition.dtos import (
    AgencyRow,
    DestroyedCaseNotice,
    ExportResult,
    ImportResult,
    KeyInfo,
    ReleaseResult,
)
from trpkit.services.coalition.exchange import (
    add_agency,
    import_package_bytes,
    import_packages,
    list_agencies,
)
from trpkit.services.coalition.export import export
from trpkit.services.coalition.identity import (
    keyed_id,
    normalise_gender,
    normalise_name,
    normalise_office,
    normalised_identity,
    record_id_for,
)
from trpkit.services.coalition.keys import keygen, new_secret, public_key, set_secret
from trpkit.services.coalition.records import SCAN_ALL_CONSENT_ABOVE, _latest_consent, _rows, case_record_ids
from trpkit.services.coalition.release import records_for_report, release, store_summary
from trpkit.services.coalition.withdrawals import owe_withdrawals_for_destroyed_case, pending_withdrawals

__all__ = [
    "COALITION_ROLES",
    "DESTROYED_REASONS",
    "OUTCOME_MAP",
    "PURPOSE",
    "RESEND_DAYS",
    "RESEND_MIN_PACKAGES",
    "SCAN_ALL_CONSENT_ABOVE",
    "TRP_TYPES",
    "AgencyRow",
    "DestroyedCaseNotice",
    "ExportResult",
    "ImportResult",
    "KeyInfo",
    "ReleaseResult",
    "_latest_consent",
    "_rows",
    "add_agency",
    "case_record_ids",
    "export",
    "import_package_bytes",
    "import_packages",
    "keyed_id",
    "keygen",
    "list_agencies",
    "new_secret",
    "normalise_gender",
    "normalise_name",
    "normalise_office",
    "normalised_identity",
    "owe_withdrawals_for_destroyed_case",
    "pending_withdrawals",
    "public_key",
    "record_id_for",
    "records_for_report",
    "release",
    "set_secret",
    "store_summary",
]
