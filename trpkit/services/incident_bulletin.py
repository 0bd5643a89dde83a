"""What the bulletin shows: the incidents a person may read, and the patterns where decisions meet them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from trpkit.documents.bulletin import BulletinInput
from trpkit.services.actor import Actor
from trpkit.services.incident_patterns import patterns_for
from trpkit.services.incidents import list_incidents, this_agency


def bulletin_input(
    session: Session,
    actor: Actor,
    *,
    since: date | None = None,
    language: str = "en",
    with_patterns: bool = True,
    today: date | None = None,
) -> BulletinInput:
    """Received and own incidents (withdrawn ones left out), newest first, with pattern questions."""
    views = list_incidents(session, actor, since=since)
    patterns = patterns_for(session, actor, views, language) if with_patterns else []
    return BulletinInput(
        incidents=tuple(views),
        language=language,
        agency=this_agency(session),
        made_on=today or date.today(),
        since=since,
        patterns=tuple(p.text for p in patterns),
    )
