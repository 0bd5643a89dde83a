"""Who is acting: every service call carries it, for access control and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from trpkit.domain.vocab import Role


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    role: Role

    @property
    def sees_all_cases(self) -> bool:
        return self.role is Role.SUPERVISOR

    @property
    def reads_case_files(self) -> bool:
        return self.role in (Role.ACCOMPANIER, Role.SUPERVISOR)
