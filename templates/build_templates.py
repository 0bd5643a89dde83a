"""Build trpkit's Word templates (English and French) and their sample contexts, reproducibly.

    python templates/build_templates.py            # writes templates/*.docx and *.sample.json
    python templates/build_templates.py --check    # exit 1 if the committed files are out of date

The .docx files are ordinary Word documents: NGO staff open them in Word or LibreOffice and change the
letterhead, wording, fonts or signature block. Keep every ``{{ tag }}`` typed in one go (one run), put
``{%p ... %}`` tags alone in their own paragraph, and run ``trpkit templates check`` after editing
(docs/template-authoring.md explains why). If you change a template by hand, stop regenerating it with
this script, or port your change here first: this script overwrites the file.

Paragraph styles: "List Number" numbers the body paragraphs continuously (legal submission style),
"Heading 1" titles the sections, "Quote" holds the person's own words, "List Bullet" the sub-items.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
LANGS = ("en", "fr")
# Fixed timestamps: the same input always gives byte-identical files (reviewable diffs, --check).
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

PROTECTED = {"en": "PROTECTED B (when completed)", "fr": "PROTÉGÉ B (une fois rempli)"}

Text = str | tuple[str, str]  # language-neutral, or (English, French)


def tr(text: Text, lang: str) -> str:
    if isinstance(text, tuple):
        return text[0] if lang == "en" else text[1]
    return text


# --------------------------------------------------------------------------------------------------
# Document scaffolding


def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) that Word and LibreOffice compute when laying out."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _new_document(lang: str, title: Text, kind: str) -> Any:
    doc = Document()
    styles = doc.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    numbered = styles["List Number"].paragraph_format
    numbered.space_after = Pt(8)
    contextual = styles["List Number"].element.pPr.find(qn("w:contextualSpacing"))
    if contextual is not None:
        contextual.getparent().remove(contextual)
    styles["Quote"].paragraph_format.left_indent = Cm(1.5)
    styles["Quote"].paragraph_format.right_indent = Cm(1.0)
    for name in ("Heading 1", "Heading 2"):
        styles[name].paragraph_format.keep_with_next = True
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(27.94), Cm(21.59)  # Letter, as IRCC uses
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run(PROTECTED[lang]).bold = True
    reference = section.header.add_paragraph()
    reference.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    reference.add_run(tr(("Our reference: {{ case.code }}", "Notre référence : {{ case.code }}"), lang))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(tr(("Page ", "Page "), lang))
    _field(footer, "PAGE", "1")
    footer.add_run(tr((" of ", " de "), lang))
    _field(footer, "NUMPAGES", "1")
    core = doc.core_properties
    core.title = tr(title, lang)
    core.category = kind  # the application type whose document checklist applies (may be empty)
    core.author = "trpkit"
    core.language = "en-CA" if lang == "en" else "fr-CA"
    core.keywords = PROTECTED[lang]
    core.comments = ""
    core.created = core.modified = core.last_printed = __import__("datetime").datetime(2026, 1, 1)
    core.revision = 1
    core.last_modified_by = "trpkit"
    return doc


class Writer:
    """Small vocabulary for the templates below; each method adds one paragraph (one run per tag)."""

    def __init__(self, doc: Any, lang: str) -> None:
        self.doc = doc
        self.lang = lang

    def plain(self, text: Text, *, bold: bool = False, align: str | None = None, style: str | None = None) -> None:
        paragraph = self.doc.add_paragraph(style=style)
        paragraph.add_run(tr(text, self.lang)).bold = bold
        if align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def labelled(self, label: Text, value: str) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(tr(label, self.lang)).bold = True
        paragraph.add_run(value)

    def tag(self, tag: str) -> None:
        """A paragraph holding only a {%p ... %} tag (docxtpl removes it from the output)."""
        self.doc.add_paragraph(tag)

    def heading(self, text: Text, level: int = 1) -> None:
        self.doc.add_heading(tr(text, self.lang), level=level)

    def title(self, text: Text) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(12)
        paragraph.add_run(tr(text, self.lang)).bold = True

    def para(self, text: Text) -> None:
        """A numbered body paragraph."""
        self.doc.add_paragraph(tr(text, self.lang), style="List Number")

    def bullet(self, text: Text) -> None:
        self.doc.add_paragraph(tr(text, self.lang), style="List Bullet")

    def quote(self, text: Text) -> None:
        self.doc.add_paragraph(tr(text, self.lang), style="Quote")

    def loop_paras(self, expr: str, var: str = "text", style: str = "List Number") -> None:
        """One numbered paragraph per item of ``expr`` (a list of strings)."""
        self.tag(f"{{%p for {var} in {expr} %}}")
        self.doc.add_paragraph(f"{{{{ {var} }}}}", style=style)
        self.tag("{%p endfor %}")

    def table(self, headers: list[Text], cells: list[str], loop: str, widths: list[float]) -> None:
        """A table with a header row and one row per item: ``loop`` is "x in xs"."""
        table = self.doc.add_table(rows=4, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, header in enumerate(headers):
            cell = table.rows[0].cells[i]
            cell.paragraphs[0].add_run(tr(header, self.lang)).bold = True
        # A header row that repeats on every page.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        tr_pr.append(repeat)
        table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
        for i, cell in enumerate(cells):
            table.rows[2].cells[i].paragraphs[0].add_run(cell)
        table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        table.autofit = False  # LibreOffice follows the grid, Word the cells: set both
        grid = table._tbl.tblGrid
        for i, width in enumerate(widths):
            grid.gridCol_lst[i].w = Cm(width)
            table.columns[i].width = Cm(width)
        for row in table.rows:
            for i, width in enumerate(widths):
                row.cells[i].width = Cm(width)

    def signature(self) -> None:
        self.plain("")
        self.plain("______________________________")
        self.plain("{{ org.representative }}", bold=True)
        self.plain("{{ org.representative_title }}, {{ org.name }}")
        self.plain(("Date: {{ doc.date }}", "Date : {{ doc.date }}"))


# --------------------------------------------------------------------------------------------------
# Shared blocks


def letterhead(w: Writer) -> None:
    w.plain("{{ org.name }}", bold=True)
    w.loop_paras("org.address_lines", "line", style="No Spacing")
    w.plain("{{ org.contact_line }}", style="No Spacing")
    w.plain("")
    w.plain("{{ doc.date }}", align="right")
    w.loop_paras("office.lines", "line", style="No Spacing")
    w.plain("")


def redaction_banner(w: Writer) -> None:
    w.tag("{%p if doc.redacted %}")
    w.plain((
        "REDACTED COPY for supervision or coalition discussion: names, dates of birth, client numbers, addresses, "
        "telephone numbers and employers are replaced by roles. Do not submit this copy.",
        "COPIE CAVIARDÉE pour la supervision ou la discussion en coalition : les noms, dates de naissance, numéros "
        "de client, adresses, numéros de téléphone et employeurs sont remplacés par des rôles. Ne pas soumettre "
        "cette copie.",
    ), bold=True)
    w.tag("{%p endif %}")


def identity_block(w: Writer, subject: Text) -> None:
    w.title(subject)
    w.labelled(("Name: ", "Nom : "), "{{ person.name }}")
    w.labelled(("Date of birth: ", "Date de naissance : "), "{{ person.birth_date }}")
    w.labelled(("Citizenship: ", "Citoyenneté : "), "{{ person.nationality }}")
    w.labelled(("UCI: ", "IUC : "), "{{ person.uci }}")
    w.labelled(("Accompanying organisation: ", "Organisme d'accompagnement : "), "{{ org.name }}")
    w.plain("")


def request_block(w: Writer, kind: str) -> None:
    w.heading(("Request", "Demande"))
    if kind == "initial":
        w.para((
            "We write on behalf of {{ person.name }}, with their consent, to request a temporary resident permit "
            "(TRP) under subsection 24(1) of the Immigration and Refugee Protection Act (IRPA), for a foreign "
            "national in Canada who may be a victim of trafficking in persons.",
            "Nous écrivons au nom de {{ person.name }}, avec son consentement, pour demander un permis de séjour "
            "temporaire (PST) en vertu du paragraphe 24(1) de la Loi sur l'immigration et la protection des "
            "réfugiés (LIPR), pour un{{ g.e }} étrang{{ g.er }} au Canada qui pourrait être victime de la traite "
            "de personnes.",
        ))
    else:
        w.para((
            "We write on behalf of {{ person.name }}, with their consent, to request a new temporary resident "
            "permit under subsection 24(1) of the Immigration and Refugee Protection Act (IRPA). {{ person.name }} "
            "was issued a TRP as a victim of trafficking in persons; that permit is described below.",
            "Nous écrivons au nom de {{ person.name }}, avec son consentement, pour demander un nouveau permis de "
            "séjour temporaire en vertu du paragraphe 24(1) de la Loi sur l'immigration et la protection des "
            "réfugiés (LIPR). {{ person.name }} a obtenu un PST à titre de victime de la traite de personnes; ce "
            "permis est décrit ci-dessous.",
        ))
    w.tag("{%p if request.duration %}")
    w.para((
        "We ask that the permit be issued for {{ request.duration }}, in line with the policy in force on the date "
        "of this letter (since {{ policy.effective_from }}: {{ policy.name }}).",
        "Nous demandons que le permis soit délivré pour {{ request.duration }}, conformément à la politique en "
        "vigueur à la date de la présente lettre (depuis le {{ policy.effective_from }} : {{ policy.name }}).",
    ))
    w.tag("{%p endif %}")
    w.tag("{%p if request.fee_exempt %}")
    w.para("{{ request.fee_text }}")
    w.tag("{%p endif %}")
    w.tag("{%p if request.work_permit %}")
    w.para((
        "We also ask that an open work permit be issued to {{ person.name }} with the permit, so that they can "
        "support themselves and rebuild their independence from the people who exploited them.",
        "Nous demandons également qu'un permis de travail ouvert soit délivré à {{ person.name }} avec le permis, "
        "afin de lui permettre de subvenir à ses besoins et de retrouver son autonomie face aux personnes qui "
        "l'ont exploité{{ g.e }}.",
    ))
    w.tag("{%p endif %}")
    w.tag("{%p if request.ifhp %}")
    w.para((
        "We ask that {{ person.name }} be covered by the Interim Federal Health Program (IFHP) for the validity of "
        "the permit, including psychological services{% if request.no_other_coverage %}; they have no other "
        "health coverage in Canada{% endif %}.",
        "Nous demandons que {{ person.name }} soit couvert{{ g.e }} par le Programme fédéral de santé intérimaire "
        "(PFSI) pendant la durée de validité du permis, y compris les services psychologiques"
        "{% if request.no_other_coverage %}; {{ g.il }} n'a aucune autre couverture de santé au Canada"
        "{% endif %}.",
    ))
    w.tag("{%p endif %}")
    w.tag("{%p for d in request.dependants %}")
    w.para((
        "We ask that a permit be issued as well to {{ d.name }}{% if d.relationship %} ({{ d.relationship }})"
        "{% endif %}, a dependant of {{ person.name }} in Canada.",
        "Nous demandons qu'un permis soit aussi délivré à {{ d.name }}{% if d.relationship %} "
        "({{ d.relationship }}){% endif %}, personne à la charge de {{ person.name }} au Canada.",
    ))
    w.tag("{%p endfor %}")


def framework_block(w: Writer, kind: str) -> None:
    w.heading(("Legal framework", "Cadre juridique"))
    w.para((
        "Subsection 24(1) of IRPA provides: “A foreign national who, in the opinion of an officer, is "
        "inadmissible or does not meet the requirements of this Act becomes a temporary resident if an officer "
        "is of the opinion that it is justified in the circumstances and issues a temporary resident permit, "
        "which may be cancelled at any time.” Under subsection 24(3), the officer applies the instructions the "
        "Minister gives for that purpose.",
        "Le paragraphe 24(1) de la LIPR prévoit : « Devient résident temporaire l'étranger, dont l'agent estime "
        "qu'il est interdit de territoire ou ne se conforme pas à la présente loi, à qui il délivre, s'il estime "
        "que les circonstances le justifient, un permis de séjour temporaire — titre révocable en tout temps. » "
        "Selon le paragraphe 24(3), l'agent se conforme aux instructions que le ministre donne à cette fin.",
    ))
    w.para((
        "For victims of trafficking in persons, those instructions are the Ministerial Instructions on the "
        "issuance of temporary resident permits to victims of human trafficking, applied through IRCC's program "
        "delivery instructions (“Temporary resident permits: Considerations specific to victims of trafficking "
        "in persons”), which since 2020 set out a two-step decision. The permit gives the person time to recover "
        "from physical and psychological trauma, to escape the influence of the traffickers, and to reflect on "
        "their options, including whether to help law enforcement.",
        "Pour les victimes de la traite de personnes, ces instructions sont les instructions ministérielles sur "
        "la délivrance de permis de séjour temporaire aux victimes de la traite de personnes, appliquées au moyen "
        "des instructions d'exécution des programmes d'IRCC (« Permis de séjour temporaire : considérations "
        "propres aux victimes de la traite de personnes »), qui prévoient depuis 2020 une décision en deux "
        "étapes. Le permis donne à la personne le temps de se rétablir d'un traumatisme physique et "
        "psychologique, d'échapper à l'emprise des trafiquants et de réfléchir à ses options, y compris celle "
        "d'aider les forces de l'ordre.",
    ))
    w.para((
        "Trafficking in persons is an offence under section 118 of IRPA (organizing the coming into Canada of "
        "persons by abduction, fraud, deception or the use or threat of force or coercion) and under sections "
        "279.01 to 279.04 of the Criminal Code. Under subsection 279.04(1), a person exploits another when they "
        "cause that person to provide labour or a service by conduct that, in all the circumstances, could "
        "reasonably be expected to make the person believe that their safety, or the safety of someone known to "
        "them, would be threatened if they refused. The Protocol to Prevent, Suppress and Punish Trafficking in "
        "Persons, Especially Women and Children (the Palermo Protocol, 2000, ratified by Canada in 2002) defines "
        "trafficking by an act, a means and a purpose of exploitation; the person's consent is irrelevant once "
        "any of the means is used (article 3(b)).",
        "La traite de personnes est une infraction prévue à l'article 118 de la LIPR (organiser l'entrée au "
        "Canada de personnes par enlèvement, fraude, tromperie, menace ou usage de la force ou coercition) et "
        "aux articles 279.01 à 279.04 du Code criminel. Selon le paragraphe 279.04(1), une personne en exploite "
        "une autre si elle l'amène à fournir son travail ou ses services par des agissements dont il est "
        "raisonnable de s'attendre, compte tenu du contexte, à ce qu'ils lui fassent croire qu'un refus mettrait "
        "en danger sa sécurité ou celle d'une personne qu'elle connaît. Le Protocole additionnel à la Convention "
        "des Nations Unies contre la criminalité transnationale organisée visant à prévenir, réprimer et punir "
        "la traite des personnes, en particulier des femmes et des enfants (Protocole de Palerme, 2000, ratifié "
        "par le Canada en 2002) définit la traite par un acte, un moyen et une fin d'exploitation; le "
        "consentement de la personne est indifférent dès que l'un des moyens a été utilisé (article 3b)).",
    ))
    w.para((
        "Cooperation with law enforcement is not required. IRCC states that a person does not have to report to "
        "the police, or testify against a trafficker, to obtain a permit.",
        "La collaboration avec les forces de l'ordre n'est pas exigée. IRCC indique qu'une personne n'a pas à "
        "porter plainte à la police ni à témoigner contre un trafiquant pour obtenir un permis.",
    ))
    w.tag("{%p if policy.sources %}")
    w.para(("The policy in force on the date of this letter is set out in:",
            "La politique en vigueur à la date de la présente lettre figure dans :"))
    w.tag("{%p for source in policy.sources %}")
    w.bullet("{{ source }}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


def chronology_block(w: Writer) -> None:
    w.tag("{%p if chronology %}")
    w.heading(("Background and chronology", "Contexte et chronologie"))
    w.para((
        "The dates below are given as precisely as {{ person.name }} remembers them. An approximate date (a season, "
        "\"around\", a range) reflects how memory works after trauma; it is not an inconsistency.",
        "Les dates ci-dessous sont aussi précises que le souvenir qu'en a {{ person.name }}. Une date approximative "
        "(une saison, « vers », un intervalle) reflète le fonctionnement de la mémoire après un traumatisme; ce "
        "n'est pas une incohérence.",
    ))
    w.tag("{%p for e in chronology %}")
    w.para("{{ e.date }}: {{ e.text }}" if w.lang == "en" else "{{ e.date }} : {{ e.text }}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


def account_block(w: Writer) -> None:
    w.tag("{%p if sections.account %}")
    w.heading(("{{ person.name }}'s account", "Le récit de {{ person.name }}"))
    w.para((
        "The passages of the account are numbered [1], [2]… so that the analysis below can refer to them.",
        "Les passages du récit sont numérotés [1], [2]… afin que l'analyse ci-dessous puisse y renvoyer.",
    ))
    w.tag("{%p if own_words %}")
    w.para((
        "The passages below are {{ person.name }}'s own words, quoted verbatim with their consent, in the language "
        "they were spoken, each followed by its translation where needed.",
        "Les passages ci-dessous sont les propres mots de {{ person.name }}, cités textuellement avec son "
        "consentement, dans la langue où ils ont été prononcés, chacun suivi de sa traduction au besoin.",
    ))
    w.tag("{%p for q in own_words %}")
    w.quote("[{{ q.number }}] “{{ q.text }}” ({{ q.date }})")
    w.tag("{%p if q.translation %}")
    w.quote((
        "Translation ({{ q.translator }}): “{{ q.translation }}”",
        "Traduction ({{ q.translator }}) : « {{ q.translation }} »",
    ))
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")
    w.tag("{%p if summaries %}")
    w.para((
        "The following summary was prepared by {{ org.name }} from meetings with {{ person.name }}; it is our "
        "account, not a quotation.",
        "Le résumé suivant a été rédigé par {{ org.name }} à partir des rencontres avec {{ person.name }}; il "
        "s'agit de notre compte rendu et non d'une citation.",
    ))
    w.tag("{%p for s in summaries %}")
    w.para("{% if s.number %}[{{ s.number }}] {% endif %}{{ s.text }}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")
    w.tag("{%p endif %}")


def needs_loop(w: Writer) -> None:
    w.tag("{%p for need in needs %}")
    w.para("{{ need.label }}: {{ need.text }}" if w.lang == "en" else "{{ need.label }} : {{ need.text }}")
    w.tag("{%p endfor %}")


def indicator_bullets(w: Writer, items: str) -> None:
    w.tag(f"{{%p for i in {items} %}}")
    w.bullet((
        "{{ i.label }}{% if i.strength %}, a {{ i.strength }} indicator{% endif %}"
        "{% if i.refs %} ({{ i.refs }}){% endif %}."
        "{% if i.facts %} {{ i.facts }}{% endif %}",
        "{{ i.label }}{% if i.strength %}, indicateur {{ i.strength }}{% endif %}"
        "{% if i.refs %} ({{ i.refs }}){% endif %}."
        "{% if i.facts %} {{ i.facts }}{% endif %}",
    ))
    w.tag("{%p endfor %}")


def dimensions_block(w: Writer) -> None:
    w.tag("{%p if argument.dimensions %}")
    w.heading(("Indicators of trafficking", "Indicateurs de traite"))
    w.para((
        "We have analysed the evidence with the ILO and European Commission “Operational indicators of "
        "trafficking in human beings” (2009), list: {{ assessment.framework }}. The method groups indicators "
        "into dimensions (recruitment, exploitation, coercion and abuse of vulnerability) and rates each "
        "indicator strong, medium or weak; a dimension is positive when the indicators found in it reach one "
        "of the combinations the method sets. Exhibit numbers refer to the index at the end of this letter; "
        "passage numbers refer to {{ person.name }}'s account above.",
        "Nous avons analysé la preuve à l'aide des « Indicateurs opérationnels de la traite des êtres humains » "
        "de l'OIT et de la Commission européenne (2009), liste : {{ assessment.framework }}. La méthode regroupe "
        "les indicateurs en dimensions (recrutement, exploitation, coercition et abus de vulnérabilité) et "
        "qualifie chaque indicateur de fort, moyen ou faible; une dimension est positive lorsque les "
        "indicateurs qui s'y trouvent atteignent l'une des combinaisons fixées par la méthode. Les numéros de "
        "pièces renvoient à l'index à la fin de la présente lettre; les numéros de passages renvoient au récit "
        "de {{ person.name }} ci-dessus.",
    ))
    w.tag("{%p if assessment.translation_note %}")
    w.para("{{ assessment.translation_note }}")
    w.tag("{%p endif %}")
    w.tag("{%p for d in argument.dimensions %}")
    w.heading("{{ d.label }}", level=2)
    w.para(("The file shows the following indicators of this dimension:",
            "Le dossier présente les indicateurs suivants de cette dimension :"))
    indicator_bullets(w, "d.indicators")
    w.para((
        "This dimension is therefore positive: the method's combination “{{ d.rule }}” is met, with "
        "{{ d.counts }}.",
        "Cette dimension est donc positive : la combinaison « {{ d.rule }} » de la méthode est atteinte, avec "
        "{{ d.counts }}.",
    ))
    w.tag("{%p endfor %}")
    w.tag("{%p if argument.identified %}")
    w.heading(("The ILO/EC rule applied", "Application de la règle OIT/CE"), level=2)
    w.tag("{%p if argument.child %}")
    w.para((
        "For a child, the method identifies trafficking when a recruitment dimension and the exploitation "
        "dimension are positive; no means of coercion need be shown, as under article 3(c) of the Palermo "
        "Protocol. Here {{ argument.positive_labels }} are positive: the threshold is met.",
        "Pour un enfant, la méthode établit la traite lorsqu'une dimension de recrutement et la dimension "
        "d'exploitation sont positives; aucun moyen de coercition n'a à être démontré, comme le prévoit "
        "l'article 3c) du Protocole de Palerme. Ici, les dimensions suivantes sont positives : "
        "{{ argument.positive_labels }}. Le seuil est atteint.",
    ))
    w.tag("{%p else %}")
    w.para((
        "For an adult, the method identifies trafficking when a recruitment dimension (deceptive recruitment, "
        "coercive recruitment or recruitment by abuse of vulnerability), the exploitation dimension, and "
        "coercion or abuse of vulnerability at destination are all positive. Here {{ argument.positive_labels }} "
        "are positive: the threshold is met.",
        "Pour un adulte, la méthode établit la traite lorsqu'une dimension de recrutement (recrutement trompeur, "
        "recrutement coercitif ou recrutement par abus de vulnérabilité), la dimension d'exploitation et la "
        "coercition ou l'abus de vulnérabilité à destination sont toutes positives. Ici, les dimensions "
        "suivantes sont positives : {{ argument.positive_labels }}. Le seuil est atteint.",
    ))
    w.tag("{%p endif %}")
    w.tag("{%p if argument.convergence %}")
    w.para((
        "No single indicator in {{ argument.convergence_detail }} is decisive on its own, and that is what the "
        "method expects: control is rarely one dramatic act. The ILO/EC method counts a convergence of medium "
        "and weak indicators exactly as it counts strong ones. Taken together, these control factors and the "
        "abuse of {{ person.name }}'s vulnerability are trafficking, not merely poor working conditions.",
        "Aucun indicateur ne suffit à lui seul dans les dimensions suivantes : {{ argument.convergence_detail }}. "
        "C'est ce que prévoit la méthode : le contrôle tient rarement à un seul acte spectaculaire. La méthode "
        "OIT/CE compte une convergence d'indicateurs moyens et faibles exactement comme des indicateurs forts. "
        "Pris ensemble, ces facteurs de contrôle et l'abus de la vulnérabilité de {{ person.name }} constituent "
        "de la traite, et non de simples mauvaises conditions de travail.",
    ))
    w.tag("{%p endif %}")
    w.tag("{%p endif %}")
    w.tag("{%p endif %}")


def criteria_block(w: Writer) -> None:
    w.tag("{%p if argument.criteria %}")
    w.heading(("IRCC's criteria", "Critères d'IRCC"))
    w.para((
        "The Ministerial Instructions ask whether there are indications that the person was recruited "
        "fraudulently or by coercion for exploitation, was coerced into employment or another activity, worked "
        "in exploitative conditions, or had their freedom restricted. An indication of one of them is enough. "
        "The file shows indications of {{ argument.criteria_count }} of them:",
        "Les instructions ministérielles demandent s'il existe des indications que la personne a été recrutée "
        "frauduleusement ou sous la contrainte à des fins d'exploitation, a été contrainte à un emploi ou à une "
        "autre activité, a travaillé dans des conditions abusives, ou a vu sa liberté restreinte. Une indication "
        "de l'un d'eux suffit. Le dossier présente des indications de {{ argument.criteria_count }} d'entre eux :",
    ))
    w.tag("{%p for c in argument.criteria %}")
    w.para(("{{ c.label }}: this criterion is met by the following facts.",
            "{{ c.label }} : ce critère est rempli par les faits suivants."))
    indicator_bullets(w, "c.indicators")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


def situation_block(w: Writer) -> None:
    w.tag("{%p if sections.situation %}")
    w.heading(("Vulnerabilities, safety and risks on return",
               "Vulnérabilités, sécurité et risques en cas de retour"))
    w.loop_paras("notes.vulnerabilities")
    w.loop_paras("notes.safety")
    w.loop_paras("notes.risks_on_return")
    w.tag("{%p endif %}")
    needs_section(w)


def needs_section(w: Writer) -> None:
    w.tag("{%p if sections.needs %}")
    w.heading(("Current needs", "Besoins actuels"))
    needs_loop(w)
    w.tag("{%p endif %}")


def exhibits_table(w: Writer, heading: Text = ("Exhibits", "Pièces")) -> None:
    w.tag("{%p if exhibits %}")
    w.heading(heading)
    w.table(
        [("No.", "No"), ("Exhibit", "Pièce"), ("Date", "Date"), ("Source", "Source")],
        ["{{ x.number }}", "{{ x.title }}", "{{ x.date }}", "{{ x.source }}"],
        "x in exhibits", [2.0, 8.5, 3.5, 3.5],
    )
    w.tag("{%p endif %}")


def declaration_block(w: Writer) -> None:
    w.heading(("Declaration", "Déclaration"))
    w.para((
        "I, {{ org.representative }}, {{ org.representative_title }} of {{ org.name }}, declare that this letter "
        "was prepared from what {{ person.name }} told us and from the documents listed, that quotations are "
        "their own words, and that nothing has been added to their account. {{ org.name }} does not charge "
        "{{ person.name }} for this help.",
        "{{ org.representative }}, {{ org.representative_title }} de {{ org.name }}, déclare que la présente "
        "lettre a été rédigée à partir de ce que {{ person.name }} nous a dit et des documents énumérés, que les "
        "citations sont ses propres mots et que rien n'a été ajouté à son récit. {{ org.name }} ne facture rien "
        "à {{ person.name }} pour cette aide.",
    ))
    w.signature()


# --------------------------------------------------------------------------------------------------
# The templates


def trp_initial(w: Writer) -> None:
    letterhead(w)
    redaction_banner(w)
    identity_block(w, ("Re: Request for a temporary resident permit for a victim of trafficking in persons",
                       "Objet : Demande de permis de séjour temporaire pour une victime de la traite de personnes"))
    request_block(w, "initial")
    framework_block(w, "initial")
    chronology_block(w)
    account_block(w)
    dimensions_block(w)
    criteria_block(w)
    situation_block(w)
    w.heading(("Conclusion", "Conclusion"))
    w.para((
        "At this stage the question is whether there are reasonable grounds to believe that {{ person.name }} may "
        "be a victim of trafficking in persons; an indication of one of IRCC's criteria is enough. The file shows "
        "indications of {{ argument.criteria_count }} of them ({{ argument.criteria_labels }})"
        "{% if argument.identified %}, and the ILO/EC indicators reach the method's threshold for "
        "identification{% endif %}. We respectfully ask that the permit be issued as requested above.",
        "À cette étape, la question est de savoir s'il existe des motifs raisonnables de croire que "
        "{{ person.name }} pourrait être victime de la traite de personnes; une indication de l'un des critères "
        "d'IRCC suffit. Le dossier présente des indications de {{ argument.criteria_count }} d'entre eux "
        "({{ argument.criteria_labels }}){% if argument.identified %}, et les indicateurs OIT/CE atteignent le "
        "seuil d'identification de la méthode{% endif %}. Nous demandons respectueusement que le permis soit "
        "délivré comme demandé ci-dessus.",
    ))
    exhibits_table(w)
    declaration_block(w)


def permit_block(w: Writer) -> None:
    w.heading(("The permit issued", "Le permis délivré"))
    w.tag("{%p if previous_permit.lapsed %}")
    w.para((
        "{{ person.name }} was issued {% if previous_permit.number %}permit {{ previous_permit.number }}{% else %}a permit{% endif %} as a victim of trafficking in persons, "
        "valid from {{ previous_permit.valid_from }} to {{ previous_permit.valid_to }}. That permit has ended. A "
        "temporary resident permit is not extended: this letter asks for a new permit, on the facts set out "
        "below, which show that the reasons for protection continue.",
        "{{ person.name }} a obtenu {% if previous_permit.number %}le permis {{ previous_permit.number }}{% else %}un permis{% endif %} à titre de victime de la traite de "
        "personnes, valide du {{ previous_permit.valid_from }} au {{ previous_permit.valid_to }}. Ce permis a "
        "pris fin. Un permis de séjour temporaire n'est pas prolongé : la présente lettre demande un nouveau "
        "permis, sur la base des faits exposés ci-dessous, qui montrent que les motifs de protection demeurent.",
    ))
    w.tag("{%p elif previous_permit.in_force %}")
    w.para((
        "{{ person.name }} holds {% if previous_permit.number %}permit {{ previous_permit.number }}{% else %}a permit{% endif %}, issued as a victim of trafficking in persons "
        "and valid from {{ previous_permit.valid_from }} to {{ previous_permit.valid_to }}. This request is made "
        "while that permit is in force, so that their time in Canada on permits remains continuous.",
        "{{ person.name }} est titulaire {% if previous_permit.number %}du permis {{ previous_permit.number }}{% else %}d'un permis{% endif %}, délivré à titre de victime de la "
        "traite de personnes et valide du {{ previous_permit.valid_from }} au {{ previous_permit.valid_to }}. La "
        "présente demande est faite pendant que ce permis est en vigueur, afin que son séjour au Canada sous "
        "permis demeure continu.",
    ))
    w.tag("{%p else %}")
    w.para((
        "{{ person.name }} was issued {% if previous_permit.number %}permit {{ previous_permit.number }}{% else %}a permit{% endif %} as a victim of trafficking in persons.",
        "{{ person.name }} a obtenu {% if previous_permit.number %}le permis {{ previous_permit.number }}{% else %}un permis{% endif %} à titre de victime de la traite de "
        "personnes.",
    ))
    w.tag("{%p endif %}")


def criminal_case_block(w: Writer) -> None:
    w.heading(("Protection does not depend on a criminal case",
               "La protection ne dépend pas d'une affaire criminelle"))
    w.tag("{%p if criminal_case.known %}")
    w.para(("Status of the criminal case: {{ criminal_case.status }}.",
            "État de l'affaire criminelle : {{ criminal_case.status }}."))
    w.tag("{%p endif %}")
    w.para((
        "A permit for a victim of trafficking protects the person; it is not a reward for, or a condition of, "
        "helping a prosecution. The purposes the Ministerial Instructions name (recovery from trauma, escaping "
        "the traffickers' influence, reflection) do not depend on a criminal case, and IRCC states that "
        "cooperation with law enforcement is not required. Whether a case was never opened, is ongoing or has "
        "ended therefore says nothing about whether {{ person.name }} still needs protection.",
        "Un permis pour une victime de la traite protège la personne; ce n'est ni une récompense pour sa "
        "collaboration à une poursuite, ni une condition de celle-ci. Les objectifs que nomment les instructions "
        "ministérielles (se rétablir d'un traumatisme, échapper à l'emprise des trafiquants, réfléchir) ne "
        "dépendent pas d'une affaire criminelle, et IRCC indique que la collaboration avec les forces de l'ordre "
        "n'est pas exigée. Qu'une affaire n'ait jamais été ouverte, soit en cours ou soit terminée ne dit donc "
        "rien du besoin de protection de {{ person.name }}.",
    ))
    w.tag("{%p if criminal_case.cooperated %}")
    w.para((
        "{{ person.name }} chose to help the authorities ({{ criminal_case.cooperation }}). That choice, made "
        "freely, weighs in favour of the request: it shows the risk {{ person.name }} accepted and the trust "
        "they placed in Canadian institutions. It was never a condition of protection, and its end cannot be a "
        "reason to withdraw it.",
        "{{ person.name }} a choisi d'aider les autorités ({{ criminal_case.cooperation }}). Ce choix, fait "
        "librement, milite en faveur de la demande : il montre le risque que {{ person.name }} a accepté et la "
        "confiance accordée aux institutions canadiennes. Il n'a jamais été une condition de la protection, et "
        "sa fin ne peut justifier de la retirer.",
    ))
    w.tag("{%p endif %}")
    w.tag("{%p if criminal_case.concluded %}")
    w.para((
        "The end of the proceedings can increase the risk: the people involved are no longer restrained by an "
        "ongoing case, and those who testified or cooperated may be exposed to reprisals against themselves or "
        "their family.",
        "La fin des procédures peut accroître le risque : les personnes en cause ne sont plus retenues par une "
        "affaire en cours, et celles qui ont témoigné ou collaboré peuvent s'exposer à des représailles contre "
        "elles-mêmes ou leur famille.",
    ))
    w.tag("{%p endif %}")
    w.loop_paras("notes.criminal_case")


def ties_block(w: Writer) -> None:
    """The person's ties in Canada, argued as a factor for a longer-term permit (only what is recorded)."""
    w.tag("{%p if ties %}")
    w.heading(("Ties in Canada", "Attaches au Canada"))
    w.para((
        "{{ person.name }} has begun to rebuild a life in Canada. These ties weigh in favour of a longer-term "
        "permit: they sustain {{ person.name }}'s recovery and independence, and ending protection now would "
        "break them.",
        "{{ person.name }} a commencé à reconstruire sa vie au Canada. Ces attaches militent en faveur d'un "
        "permis de plus longue durée : elles soutiennent son rétablissement et son autonomie, et mettre fin à "
        "la protection maintenant les romprait.",
    ))
    w.tag("{%p for tie in ties %}")
    w.para(("{% if tie.label %}{{ tie.label }}: {% endif %}{{ tie.text }}",
            "{% if tie.label %}{{ tie.label }} : {% endif %}{{ tie.text }}"))
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


def trp_subsequent(w: Writer) -> None:
    letterhead(w)
    redaction_banner(w)
    identity_block(w, ("Re: Request for a subsequent temporary resident permit for a victim of trafficking in "
                       "persons",
                       "Objet : Demande d'un nouveau permis de séjour temporaire pour une victime de la traite "
                       "de personnes"))
    request_block(w, "subsequent")
    permit_block(w)
    framework_block(w, "subsequent")
    w.heading(("Continued need for protection", "Besoin continu de protection"))
    w.loop_paras("notes.continued_need")
    w.tag("{%p if sections.recovery %}")
    w.heading(("Recovery and safety", "Rétablissement et sécurité"))
    w.loop_paras("notes.recovery")
    w.loop_paras("notes.safety")
    w.tag("{%p endif %}")
    w.tag("{%p if notes.risks_on_return %}")
    w.heading(("Risks on return", "Risques en cas de retour"))
    w.loop_paras("notes.risks_on_return")
    w.tag("{%p endif %}")
    ties_block(w)
    criminal_case_block(w)
    chronology_block(w)
    account_block(w)
    dimensions_block(w)
    criteria_block(w)
    needs_section(w)
    w.heading(("Conclusion", "Conclusion"))
    w.para((
        "The reasons that justified the first permit continue: {{ person.name }} still needs time and safety to "
        "recover{% if notes.risks_on_return %}, return would expose them to the risks described above{% endif %}"
        "{% if ties %}, the ties {{ person.name }} has built in Canada argue for a longer-term permit{% endif %}, "
        "and nothing in the file suggests the need for protection has ended. We respectfully ask that a new permit be issued as requested above.",
        "Les motifs qui ont justifié le premier permis demeurent : {{ person.name }} a encore besoin de temps et "
        "de sécurité pour se rétablir{% if notes.risks_on_return %}, un retour l'exposerait aux risques décrits "
        "ci-dessus{% endif %}{% if ties %}, les attaches que "
        "{{ person.name }} a construites au Canada plaident pour un permis de plus longue durée{% endif %}, et rien au dossier n'indique que le besoin de protection a pris fin. Nous demandons respectueusement qu'un nouveau permis "
        "soit délivré comme demandé ci-dessus.",
    ))
    exhibits_table(w)
    declaration_block(w)


def owp_cover(w: Writer) -> None:
    letterhead(w)
    redaction_banner(w)
    identity_block(w, ("Re: Application for an open work permit by the holder of a temporary resident permit "
                       "issued as a victim of trafficking in persons",
                       "Objet : Demande de permis de travail ouvert par le titulaire d'un permis de séjour "
                       "temporaire délivré à titre de victime de la traite de personnes"))
    w.heading(("Application", "Demande"))
    w.para((
        "Please find enclosed the application of {{ person.name }} for an open work permit. {{ person.name }} holds "
        "temporary resident permit{% if previous_permit.number %} {{ previous_permit.number }}{% endif %}, issued as a victim of trafficking in persons and "
        "valid from {{ previous_permit.valid_from }} to {{ previous_permit.valid_to }}{% if previous_permit.duration %} "
        "({{ previous_permit.duration }}){% endif %}.",
        "Veuillez trouver ci-joint la demande de permis de travail ouvert de {{ person.name }}. {{ person.name }} "
        "est titulaire {% if previous_permit.number %}du permis de séjour temporaire {{ previous_permit.number }}{% else %}d'un permis de séjour temporaire{% endif %}, délivré à titre de victime de "
        "la traite de personnes et valide du {{ previous_permit.valid_from }} au {{ previous_permit.valid_to }}"
        "{% if previous_permit.duration %} ({{ previous_permit.duration }}){% endif %}.",
    ))
    w.para((
        "We ask that the work permit be open (not tied to one employer) and valid for the same period as the "
        "temporary resident permit, so that {{ person.name }} can choose safe work and rebuild their independence "
        "from the people who exploited them.",
        "Nous demandons que le permis de travail soit ouvert (non lié à un employeur) et valide pour la même "
        "période que le permis de séjour temporaire, afin que {{ person.name }} puisse choisir un travail sûr et "
        "retrouver son autonomie face aux personnes qui l'ont exploité{{ g.e }}.",
    ))
    w.tag("{%p if request.fee_exempt %}")
    w.para("{{ request.fee_text }}")
    w.tag("{%p endif %}")
    w.heading(("Work and independence", "Travail et autonomie"))
    needs_loop(w)
    exhibits_table(w, ("Enclosures", "Pièces jointes"))
    w.para((
        "Please contact {{ org.representative }} at {{ org.name }} ({{ org.contact_line }}) for any question about "
        "this application. Do not contact {{ person.name }} through any other channel without checking with us "
        "first, for their safety.",
        "Pour toute question sur cette demande, veuillez communiquer avec {{ org.representative }} de "
        "{{ org.name }} ({{ org.contact_line }}). Pour sa sécurité, ne communiquez pas avec {{ person.name }} par "
        "un autre moyen sans vérifier d'abord auprès de nous.",
    ))
    w.signature()


def exhibit_index(w: Writer) -> None:
    w.plain("{{ org.name }}", bold=True)
    redaction_banner(w)
    w.title(("Index of exhibits", "Index des pièces"))
    w.labelled(("Name: ", "Nom : "), "{{ person.name }}")
    w.labelled(("UCI: ", "IUC : "), "{{ person.uci }}")
    w.labelled(("Date: ", "Date : "), "{{ doc.date }}")
    w.plain("")
    w.para((
        "The exhibits below support the submission of {{ doc.date }}; their numbers match the references in the "
        "text. Documents in a language other than English or French are followed by a translation.",
        "Les pièces ci-dessous appuient les observations du {{ doc.date }}; leurs numéros correspondent aux "
        "renvois dans le texte. Les documents rédigés dans une autre langue que le français ou l'anglais sont "
        "suivis d'une traduction.",
    ))
    w.table(
        [("No.", "No"), ("Exhibit", "Pièce"), ("Date", "Date"), ("Source", "Source"),
         ("Supports", "Appuie")],
        ["{{ x.number }}", "{{ x.title }}", "{{ x.date }}", "{{ x.source }}", "{{ x.supports }}"],
        "x in exhibits", [1.6, 6.4, 2.8, 3.0, 3.4],
    )
    w.plain((
        "Total: {{ exhibits|length }} exhibit(s).",
        "Total : {{ exhibits|length }} pièce(s).",
    ))


TEMPLATES: dict[str, tuple[Text, Callable[[Writer], None], str]] = {
    # name: (title, builder, application type the checklist uses)
    "trp-initial": (("Request for an initial TRP (victim of trafficking in persons)",
                     "Demande de PST initial (victime de la traite de personnes)"), trp_initial, "initial_trp"),
    "trp-subsequent": (("Request for a subsequent TRP (victim of trafficking in persons)",
                        "Demande de nouveau PST (victime de la traite de personnes)"), trp_subsequent,
                       "subsequent_trp"),
    "owp-cover": (("Covering letter: open work permit for a TRP holder",
                   "Lettre d'accompagnement : permis de travail ouvert pour un titulaire de PST"), owp_cover,
                  "owp_trp_holder"),
    "exhibit-index": (("Index of exhibits", "Index des pièces"), exhibit_index, ""),
}


# --------------------------------------------------------------------------------------------------
# Sample contexts (fictional; the same shape trpkit.documents.context produces)


def _sample_argument(en: bool) -> dict[str, Any]:
    passport = {"label": "Confiscation of documents" if en else "Confiscation des documents",
                "strength": "strong" if en else "fort",
                "refs": "exhibit 1; account, passage 1" if en else "pièce 1; récit, passage 1",
                "facts": "The supervisor kept the passports from the first day." if en else
                "Le superviseur a gardé les passeports dès le premier jour."}
    hours = {"label": "Excessive working days or hours" if en else "Journées ou heures de travail excessives",
             "strength": "strong" if en else "fort", "refs": "exhibit 2" if en else "pièce 2", "facts": ""}
    return {
        "dimensions": [
            {"label": "Coercion at destination" if en else "Coercition à destination",
             "rule": "2 strong" if en else "2 indicateurs forts",
             "counts": "2 strong indicators" if en else "2 indicateurs forts", "indicators": [passport, hours]},
        ],
        "identified": True, "child": False,
        "positive_labels": "deceptive recruitment, exploitation and coercion at destination" if en else
        "recrutement trompeur, exploitation et coercition à destination",
        "convergence": True,
        "convergence_detail": "deceptive recruitment" if en else "recrutement trompeur",
        "criteria": [{"label": "Exploitative conditions of employment" if en else
                      "Conditions d'emploi ou d'activité abusives", "indicators": [hours]}],
        "criteria_count": 1,
        "criteria_labels": "exploitative conditions of employment" if en else
        "conditions d'emploi ou d'activité abusives",
    }


def sample_context(name: str, lang: str) -> dict[str, Any]:
    en = lang == "en"
    ctx: dict[str, Any] = {
        "doc": {"date": "3 March 2026" if en else "3 mars 2026", "language": lang, "redacted": False,
                "template": name},
        "case": {"code": "TRP-2026-0042"},
        "org": {"name": "Maison Passerelle (fictional)", "address_lines": ["1200 rue Exemple", "Montréal QC H2X 0A0"],
                "contact_line": "514-555-0100 · accueil@passerelle.example", "representative": "Dana Quillfeather",
                "representative_title": "Accompanier" if en else "intervenante"},
        "office": {"lines": ["IRCC", "Temporary resident permits (victims of trafficking)" if en else
                             "Permis de séjour temporaire (victimes de la traite)", "Montréal QC"]},
        "person": {"name": "Marisol Brennvik", "birth_date": "around 1991" if en else "vers 1991",
                   "nationality": "Mexico" if en else "Mexique", "uci": "1234-5678"},
        "policy": {"name": "TRPs of at least 12 months; no fees for initial and new TRPs" if en else
                   "PST d'au moins 12 mois; aucuns frais pour les PST initiaux et nouveaux",
                   "effective_from": "4 February 2025" if en else "4 février 2025",
                   "sources": ["IRCC, Protection and assistance for victims of human trafficking" if en else
                               "IRCC, Protection et aide pour les victimes de la traite de personnes"]},
        "request": {
            "duration": "at least 12 months" if en else "au moins 12 mois",
            "fee_exempt": True,
            "fee_text": ("No fee is payable: since 4 February 2025 the permit, the work permit and biometrics are "
                         "free for victims of trafficking in persons." if en else
                         "Aucuns frais ne sont exigibles : depuis le 4 février 2025, le permis, le permis de "
                         "travail et les données biométriques sont gratuits pour les victimes de la traite."),
            "work_permit": True, "ifhp": True, "no_other_coverage": True,
            "dependants": [{"name": "Tomás Brennvik", "relationship": "son, 9" if en else "fils, 9 ans"}],
        },
        "previous_permit": {"number": "T123456789", "valid_from": "10 April 2025" if en else "10 avril 2025",
                            "valid_to": "9 April 2026" if en else "9 avril 2026",
                            "duration": "12 months" if en else "12 mois", "lapsed": False, "in_force": True,
                            "known": True},
        "criminal_case": {"status": "concluded" if en else "terminée", "known": True,
                          "cooperation": "testified" if en else "a témoigné", "concluded": True,
                          "cooperated": True, "reported": False, "cooperating": False, "testified": True},
        "g": {"e": "e", "il": "elle", "Il": "Elle", "er": "ère"},
        "sections": {"situation": True, "recovery": True, "account": True, "needs": True},
        "chronology": [
            {"date": "around spring 2019" if en else "vers le printemps 2019",
             "text": "A recruiter in Puebla offers work in a Canadian greenhouse & free housing." if en else
             "Un recruteur à Puebla offre un travail dans une serre au Canada & un logement gratuit."},
            {"date": "June 2019" if en else "juin 2019",
             "text": "Arrival in Canada; passport taken by the supervisor <for safekeeping>." if en else
             "Arrivée au Canada; passeport pris par le superviseur <pour le garder en sécurité>."},
            {"date": "14 February 2021" if en else "14 février 2021",
             "text": "Leaves the farm at night with help from a co-worker." if en else
             "Quitte la ferme la nuit avec l'aide d'un collègue."},
        ],
        "own_words": [
            {"text": "Nos quitaron los pasaportes el primer día.", "date": "June 2019" if en else "juin 2019",
             "translation": "They took our passports on the first day." if en else
             "Ils nous ont pris nos passeports le premier jour.", "translator": "R. Okonkwo-Lind", "number": "1"},
        ],
        "summaries": [
            {"number": "2", "text": "Marisol worked 14-hour days, seven days a week, and was told she owed $4,000 "
             "for travel." if en else "Marisol travaillait 14 heures par jour, sept jours sur sept, et on lui "
             "disait qu'elle devait 4 000 $."},
        ],
        "argument": _sample_argument(en),
        "assessment": {
            "framework": "adults, labour exploitation" if en else "adultes, exploitation par le travail",
            "verification_note": "",
            "translation_note": "" if en else
            "Les libellés des critères et des indicateurs ci-dessous sont une traduction non officielle; les "
            "textes de référence (instructions d'IRCC, indicateurs OIT/CE) font foi.",
            "explanation": ["The indicators meet the ILO/EC rule for adults: recruitment, exploitation and "
                            "coercion at destination are each positive." if en else
                            "Les indicateurs satisfont à la règle OIT/CE pour les adultes : le recrutement, "
                            "l'exploitation et la coercition à destination sont chacun positifs."],
            "convergence": True,
            "convergence_detail": "three medium indicators of deceptive recruitment" if en else
            "trois indicateurs moyens de recrutement trompeur",
        },
        "criteria": [
            {"label": "Exploitative conditions of employment" if en else "Conditions d'emploi ou d'activité abusives",
             "finding": "supported" if en else "appuyé",
             "indicators": [{"label": "Excessive working days or hours" if en else "Journées ou heures de travail excessives",
                             "strength": "strong" if en else "fort", "status": "present" if en else "présent",
                             "exhibit_ref": " — exhibit 2" if en else " — pièce 2"}]},
        ],
        "dimensions": [
            {"label": "Coercion at destination" if en else "Coercition à destination",
             "finding": "positive (2 strong)" if en else "positive (règle : 2 indicateurs forts)",
             "indicators": [{"label": "Confiscation of documents" if en else "Documents confisqués",
                             "strength": "strong" if en else "fort", "status": "present" if en else "présent",
                             "exhibit_ref": " — exhibits 1, 3" if en else " — pièces 1, 3"}]},
        ],
        "notes": {
            "vulnerabilities": ["Marisol speaks little English and has no family in Canada." if en else
                                "Marisol parle peu l'anglais et n'a pas de famille au Canada."],
            "safety": ["The recruiter has contacted her mother twice since she left." if en else
                       "Le recruteur a contacté sa mère deux fois depuis son départ."],
            "risks_on_return": ["The recruiter lives in her home town and says she still owes the debt." if en else
                                "Le recruteur vit dans sa ville natale et dit qu'elle doit encore la dette."],
            "continued_need": ["She is in weekly counselling and has started to sleep through the night." if en else
                               "Elle suit une thérapie chaque semaine et commence à dormir la nuit."],
            "recovery": ["Her therapist recommends at least a year of stability." if en else
                         "Sa thérapeute recommande au moins un an de stabilité."],
            "criminal_case": ["The trial ended in January 2026." if en else "Le procès a pris fin en janvier 2026."],
        },
        "ties": [
            {"label": "Studies and training" if en else "Études et formation",
             "text": "She started a bakery course in September and attends three days a week." if en else
             "Elle a commencé une formation en boulangerie en septembre et y assiste trois jours par semaine."},
            {"label": "Community" if en else "Communauté",
             "text": "She volunteers at her church's food bank on Saturdays." if en else
             "Elle est bénévole à la banque alimentaire de son église le samedi."},
        ],
        "needs": [
            {"label": "Health" if en else "Santé", "text": "counselling once a week" if en else
             "thérapie une fois par semaine"},
            {"label": "Housing" if en else "Logement", "text": "a shelter bed until June" if en else
             "un lit en refuge jusqu'en juin"},
            {"label": "Work" if en else "Travail", "text": "wants to work in a bakery" if en else
             "souhaite travailler dans une boulangerie"},
        ],
        "exhibits": [
            {"number": "1", "title": "Photo of the employer's notice about passports" if en else
             "Photo de l'avis de l'employeur sur les passeports", "date": "June 2019" if en else "juin 2019",
             "source": "the person" if en else "la personne", "supports": "AL-5.01"},
            {"number": "2", "title": "Pay slips" if en else "Talons de paie", "date": "2020",
             "source": "the person" if en else "la personne", "supports": "AL-4.01, AL-4.03"},
            {"number": "3", "title": "Letter from the shelter" if en else "Lettre du refuge",
             "date": "1 March 2026" if en else "1er mars 2026", "source": "third party" if en else "tiers",
             "supports": "AL-5.01"},
        ],
    }
    return ctx


# --------------------------------------------------------------------------------------------------
# Writing files


def _deterministic(data: bytes) -> bytes:
    """Rewrite the .docx zip with fixed timestamps and order, so rebuilding gives identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


def _prune(value: Any, used: set[str], whole: set[str], prefix: str = "") -> Any:
    """Keep only what the template reads, so each sample documents exactly its template's variables.

    ``used``: every path read; ``whole``: paths read as a whole value (everything below them is kept).
    """
    if isinstance(value, dict):
        kept = {}
        for key, sub in value.items():
            path = f"{prefix}.{key}" if prefix else key
            if any(u == path or u.startswith(path + ".") or u.startswith(path + "[]") for u in used) or any(
                    path.startswith(w + ".") or path.startswith(w + "[]") for w in whole):
                kept[key] = _prune(sub, used, whole, path)
        return kept
    if isinstance(value, list):
        return [_prune(item, used, whole, prefix + "[]") for item in value]
    return value


def build(name: str, lang: str) -> tuple[bytes, bytes]:
    sys.path.insert(0, str(HERE.parent))  # the linter's variable analysis lives in the trpkit package
    from trpkit.documents.template_variables import jinja_source, referenced_paths

    title, builder, kind = TEMPLATES[name]
    doc = _new_document(lang, title, kind)
    builder(Writer(doc, lang))
    buffer = io.BytesIO()
    doc.save(buffer)
    docx_bytes = _deterministic(buffer.getvalue())
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "t.docx"
        scratch.write_bytes(docx_bytes)
        source = jinja_source(scratch)
        used, whole = referenced_paths(source), referenced_paths(source, covering=True)
    context = _prune(sample_context(name, lang), used, whole)
    sample = json.dumps(context, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return docx_bytes, sample.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the committed files are current")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    stale = []
    for name in TEMPLATES:
        for lang in LANGS:
            docx_bytes, sample_bytes = build(name, lang)
            for path, content in ((args.out / f"{name}.{lang}.docx", docx_bytes),
                                  (args.out / f"{name}.{lang}.sample.json", sample_bytes)):
                current = path.read_bytes() if path.exists() else b""
                if current == content:
                    continue
                if args.check:
                    stale.append(path.name)
                else:
                    path.write_bytes(content)
                    print(f"wrote {path.name} ({hashlib.sha256(content).hexdigest()[:12]})")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python templates/build_templates.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
