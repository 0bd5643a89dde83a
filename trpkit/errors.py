"""User-facing errors. Every message says what went wrong and what to do next."""

from __future__ import annotations


class TrpkitError(Exception):
    """Base class: the CLI prints ``str(error)`` on one line and exits with ``exit_code``."""

    exit_code = 1


class UsageError(TrpkitError):
    """Bad input from the person using trpkit (a malformed file, an unknown ID, a bad date)."""

    exit_code = 2


class VaultError(TrpkitError):
    """The vault cannot be created or opened (missing file, wrong passphrase, not a vault)."""

    exit_code = 3


class WrongPassphrase(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "Wrong passphrase: the vault could not be opened. Check the passphrase and try again."
        )


class NotFound(UsageError):
    pass


class ConsentMissing(TrpkitError):
    """A feature needs a consent the person has not given (or has withdrawn)."""

    exit_code = 4

    def __init__(self, case_code: str, purpose_label: str, state: str) -> None:
        self.case_code = case_code
        self.purpose_label = purpose_label
        self.state = state
        super().__init__(
            f"{case_code}: no consent for '{purpose_label}' (currently: {state}). "
            f"Record the person's consent first: trpkit consent record {case_code} --purpose ... --given"
        )


class AccessDenied(TrpkitError):
    """The signed-in user's role or assignments do not allow this action."""

    exit_code = 5


class ConflictError(TrpkitError):
    """Someone else saved a newer version (optimistic locking)."""

    exit_code = 6
