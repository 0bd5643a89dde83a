"""The incident bulletin as a Word document or Markdown (for email), in English or French.

Receives incident views (DTOs) and optional pattern questions; never a session. Incidents are grouped by
province or territory, then by sector, newest first; changed framings and open calls for information are
called out at the top.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from trpkit.domain.incident_vocab import Vocabulary
from trpkit.domain.incidents import IncidentView, second_look
from trpkit.domain.text import normalise_for_docx
from trpkit.loading.incident_vocab import vocabulary

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Incident bulletin",
        "colon": ": ",
        "intro": (
            "What member agencies saw or learned, shared within days. Nothing here names or points to a person: "
            "every incident was checked against each agency's vault before it left."
        ),
        "made": "Prepared {day} by {agency}",
        "since": "incidents since {day}",
        "callouts": "To note first",
        "framing_changed": "Framing changed",
        "calls": "Open calls for information",
        "none": "None.",
        "when": "When",
        "where": "Where",
        "people": "How many people",
        "framing": "Framed as",
        "earlier": "earlier: {list}",
        "from": "From",
        "ours": "our agency",
        "known": "What is known",
        "unknown": "What is not known",
        "questions": "Questions it raises",
        "second_look": "Trafficking or smuggling? A second look",
        "indicators": "Indicators reported",
        "sources": "Sources",
        "confidential": "confidential",
        "public": "public",
        "asks": "Asks",
        "date_unread": "as written; not yet read as a date",
        "patterns": "Patterns: questions for advocacy",
        "patterns_note": "Incidents and decision statistics side by side. Questions to ask, not conclusions.",
        "empty": "No incidents in this period.",
        "count": "{n} incident(s)",
    },
    "fr": {
        "title": "Bulletin des incidents",
        "colon": " : ",
        "intro": (
            "Ce que les organismes membres ont vu ou appris, partagé en quelques jours. Rien ici ne nomme ni ne "
            "désigne une personne : chaque incident a été vérifié dans le coffre de l'organisme avant de partir."
        ),
        "made": "Préparé le {day} par {agency}",
        "since": "incidents depuis le {day}",
        "callouts": "À noter d'abord",
        "framing_changed": "Qualification modifiée",
        "calls": "Appels à information ouverts",
        "none": "Aucun.",
        "when": "Quand",
        "where": "Où",
        "people": "Nombre de personnes",
        "framing": "Qualifié de",
        "earlier": "auparavant : {list}",
        "from": "Source de l'incident",
        "ours": "notre organisme",
        "known": "Ce que l'on sait",
        "unknown": "Ce que l'on ne sait pas",
        "questions": "Questions soulevées",
        "second_look": "Traite ou passage de clandestins ? Un second regard",
        "indicators": "Indicateurs signalés",
        "sources": "Sources",
        "confidential": "confidentielle",
        "public": "publique",
        "asks": "Demandes",
        "date_unread": "tel qu'écrit ; pas encore lu comme une date",
        "patterns": "Tendances : questions pour la défense des droits",
        "patterns_note": "Incidents et statistiques de décisions côte à côte. Des questions, pas des conclusions.",
        "empty": "Aucun incident pendant cette période.",
        "count": "{n} incident(s)",
    },
}


@dataclass(frozen=True)
class BulletinInput:
    incidents: Sequence[IncidentView]
    language: str
    agency: str
    made_on: date
    since: date | None = None
    patterns: Sequence[str] = ()


@dataclass(frozen=True)
class _Group:
    province: str
    sectors: tuple[tuple[str, tuple[IncidentView, ...]], ...]


def group(incidents: Sequence[IncidentView]) -> list[_Group]:
    """By province, then sector; the order of ``incidents`` (newest first) is kept inside and between groups."""
    provinces: dict[str, dict[str, list[IncidentView]]] = {}
    for view in incidents:
        provinces.setdefault(view.province, {}).setdefault(view.incident.sector, []).append(view)
    return [
        _Group(prov, tuple((sector, tuple(items)) for sector, items in sectors.items()))
        for prov, sectors in provinces.items()
    ]


def _fields(view: IncidentView, w: dict[str, str], vocab: Vocabulary, lang: str) -> list[tuple[str, str]]:
    inc = view.incident
    when = inc.when_text or "-"
    if inc.when_text and not inc.when_parsed:
        when += f" ({w['date_unread']})"
    place = vocab.places.get(inc.place)
    framing = vocab.label("framing", inc.framing, lang)
    if inc.framing_changed:
        earlier = ", ".join(vocab.label("framing", f, lang) for f in inc.framing_history)
        framing += f" ({w['earlier'].format(list=earlier)})"
    rows = [
        (w["when"], when),
        (w["where"], place.text(lang) if place else inc.place),
        (w["people"], vocab.label("band", inc.people, lang)),
        (w["framing"], framing),
        (w["from"], w["ours"] if view.own else inc.agency),
        (w["known"], inc.known),
        (w["unknown"], inc.unknown),
        (w["questions"], inc.questions),
        (w["indicators"], ", ".join(inc.indicators)),
        (w["asks"], ", ".join(vocab.label("ask", a, lang) for a in inc.asks)),
    ]
    sources = []
    for source in inc.sources:
        kind = vocab.label("source_kind", source.kind, lang)
        if source.public and source.detail:
            sources.append(f"{kind}: {source.detail}")
        else:
            sources.append(f"{kind} ({w['public'] if source.public else w['confidential']})")
    rows.append((w["sources"], "; ".join(sources)))
    return [(k, v) for k, v in rows if v]


def _second_look_lines(view: IncidentView, vocab: Vocabulary, lang: str) -> list[str]:
    """Only when the event was framed as smuggling or facts were reported: the questions to explore."""
    inc = view.incident
    if not (inc.facts or inc.framing == "smuggling" or "smuggling" in inc.framing_history):
        return []
    look = second_look(inc, vocab, lang)
    lines = [look.note]
    for item in look.items:
        lines.extend(item.questions)
    return lines


def _callouts(data: BulletinInput) -> tuple[list[IncidentView], list[IncidentView]]:
    changed = [v for v in data.incidents if v.incident.framing_changed]
    calls = [v for v in data.incidents if v.incident.calls_for_information]
    return changed, calls


def _heading_lines(data: BulletinInput, w: dict[str, str]) -> list[str]:
    made = w["made"].format(day=data.made_on.isoformat(), agency=data.agency)
    if data.since:
        made += "; " + w["since"].format(day=data.since.isoformat())
    return [made, w["count"].format(n=len(data.incidents)), w["intro"]]


def _sector_title(vocab: Vocabulary, sector: str, lang: str) -> str:
    return vocab.label("sector", sector, lang)


def _province_title(vocab: Vocabulary, province: str, lang: str) -> str:
    place = vocab.places.get(province)
    return place.text(lang) if place else province or "-"


class _Writer:
    """Collects the bulletin's paragraphs as WordprocessingML text and inserts them in one parse.

    python-docx's ``add_paragraph``/``add_heading`` look styles up and search the body on every call, and
    creating elements one by one goes through its Python element classes: a 2,000-incident bulletin (some
    37,000 paragraphs) took over a minute that way. Text is normalised for Word (control characters,
    line breaks) and XML-escaped here; repeated labels are prepared once.
    """

    STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet")

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.style_ids = {name: doc.styles[name].style_id for name in self.STYLES}
        self.parts: list[str] = []
        self._prepared: dict[str, str] = {}

    def _text(self, text: str) -> str:
        prepared = self._prepared.get(text)
        if prepared is None:
            pieces = []
            for number, line in enumerate(normalise_for_docx(text).split("\n")):
                if number:
                    pieces.append("<w:br/>")
                for part_number, part in enumerate(line.split("\t")):
                    if part_number:
                        pieces.append("<w:tab/>")
                    if part:
                        pieces.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
            prepared = self._prepared[text] = "".join(pieces)
        return prepared

    def run(self, text: str, bold: bool = False) -> str:
        return f"<w:r>{'<w:rPr><w:b/></w:rPr>' if bold else ''}{self._text(text)}</w:r>"

    def paragraph(
        self, text: str = "", style: str | None = None, *, tight: bool = False, runs: str = ""
    ) -> None:
        properties = ""
        if style is not None or tight:
            style_xml = f'<w:pStyle w:val="{self.style_ids[style]}"/>' if style is not None else ""
            spacing = '<w:spacing w:after="40"/>' if tight else ""  # 2 pt
            properties = f"<w:pPr>{style_xml}{spacing}</w:pPr>"
        self.parts.append(f"<w:p>{properties}{self.run(text) if text else ''}{runs}</w:p>")

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def field(self, label: str, value: str) -> None:
        self.paragraph(tight=True, runs=self.run(label, bold=True) + self.run(value))

    def finish(self) -> Any:
        """Swap in a body holding what was already there, every new paragraph, then the section
        properties (page size, margins) last, as Word requires; returns the document."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        body = self.doc.element.body
        fresh = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.parts)}</w:body>")
        section = body.sectPr
        for position, child in enumerate(c for c in list(body) if c is not section):
            fresh.insert(position, child)
        if section is not None:
            fresh.append(section)
        self.doc.element.replace(body, fresh)
        self.parts = []
        return self.doc


def write_docx(data: BulletinInput, path: Path | None = None) -> bytes:
    """The bulletin as .docx bytes (also written to ``path`` when given)."""
    from docx import Document

    vocab, lang = vocabulary(), data.language
    w = WORDS[lang]
    out = _Writer(Document())
    out.heading(w["title"], 0)
    for line in _heading_lines(data, w):
        out.paragraph(line)
    changed, calls = _callouts(data)
    out.heading(w["callouts"], 1)
    for title, items in ((w["framing_changed"], changed), (w["calls"], calls)):
        out.heading(title, 2)
        if not items:
            out.paragraph(w["none"])
        for view in items:
            text = f"{view.incident.title} — {_province_title(vocab, view.province, lang)} ({view.ref})"
            out.paragraph(text, "List Bullet")
    if not data.incidents:
        out.paragraph(w["empty"])
    for grp in group(data.incidents):
        out.heading(_province_title(vocab, grp.province, lang), 1)
        for sector, members in grp.sectors:
            out.heading(_sector_title(vocab, sector, lang), 2)
            for view in members:
                _docx_incident(out, view, w, vocab, lang)
    if data.patterns:
        out.heading(w["patterns"], 1)
        out.paragraph(w["patterns_note"])
        for line in data.patterns:
            out.paragraph(line, "List Bullet")
    buffer = io.BytesIO()
    out.finish().save(buffer)
    result = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(result)
    return result


def _docx_incident(out: _Writer, view: IncidentView, w: dict[str, str], vocab: Vocabulary, lang: str) -> None:
    out.heading(f"{view.incident.title} ({view.ref})", 3)
    for label, value in _fields(view, w, vocab, lang):
        out.field(f"{label}{w['colon']}", value)
    look = _second_look_lines(view, vocab, lang)
    if look:
        out.field(f"{w['second_look']}{w['colon']}", look[0])
        for question in look[1:]:
            out.paragraph(question, "List Bullet")


def write_markdown(data: BulletinInput) -> str:
    vocab, lang = vocabulary(), data.language
    w = WORDS[lang]
    out = [f"# {w['title']}", ""]
    for line in _heading_lines(data, w):
        out += [line, ""]
    changed, calls = _callouts(data)
    out += [f"## {w['callouts']}", ""]
    for title, items in ((w["framing_changed"], changed), (w["calls"], calls)):
        out += [f"### {title}", ""]
        out += [f"- {v.incident.title} — {_province_title(vocab, v.province, lang)} ({v.ref})" for v in items]
        out += [w["none"]] if not items else []
        out.append("")
    if not data.incidents:
        out += [w["empty"], ""]
    for grp in group(data.incidents):
        out += [f"## {_province_title(vocab, grp.province, lang)}", ""]
        for sector, members in grp.sectors:
            out += [f"### {_sector_title(vocab, sector, lang)}", ""]
            for view in members:
                out += [f"#### {view.incident.title} ({view.ref})", ""]
                out += [f"- **{label}**{w['colon']}{value}" for label, value in _fields(view, w, vocab, lang)]
                look = _second_look_lines(view, vocab, lang)
                if look:
                    out.append(f"- **{w['second_look']}**{w['colon']}{look[0]}")
                    out += [f"  - {q}" for q in look[1:]]
                out.append("")
    if data.patterns:
        out += [f"## {w['patterns']}", "", w["patterns_note"], ""]
        out += [f"- {line}" for line in data.patterns] + [""]
    return "\n".join(out)
