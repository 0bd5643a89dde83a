"""The demo's phrase bank: each sentence in every language the demo writes, kept together as one entry.

A quote in Portuguese and its English translation are written from the same entry with the same date and
workplace, so the translation is always of the sentence it follows. Workplace words come from the case's
sector (and match the sector cues in checklists/indicator-cues.toml), so the sector is told one way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("en", "fr", "es", "pt")

# sector -> the workplace as each language names it (no words belonging to another sector's cues)
PLACES: dict[str, dict[str, str]] = {
    "agriculture": {"en": "the farm", "fr": "la ferme", "es": "la granja", "pt": "a fazenda"},
    "construction": {"en": "the building site", "fr": "le chantier", "es": "la obra", "pt": "a obra"},
    "domestic_work": {
        "en": "the house where I was the housekeeper",
        "fr": "la maison où je faisais le ménage",
        "es": "la casa donde era empleada doméstica",
        "pt": "a casa onde eu era empregada doméstica",
    },
    "hospitality": {
        "en": "the restaurant",
        "fr": "le restaurant",
        "es": "el restaurante",
        "pt": "o restaurante",
    },
    "manufacturing": {"en": "the factory", "fr": "l'usine", "es": "la fábrica", "pt": "a fábrica"},
    "sex_trade": {
        "en": "the massage parlour",
        "fr": "le salon de massage",
        "es": "el salón de masajes",
        "pt": "a casa de massagem",
    },
}
SOMEWHERE = {"en": "that place", "fr": "cet endroit", "es": "ese lugar", "pt": "aquele lugar"}
# the chronology's "started work" title per sector (English, as the accompanier writes the chronology)
WORK_TITLES = {
    "agriculture": "Started work at the farm",
    "construction": "Started work on a building site",
    "domestic_work": "Started work as a housekeeper",
    "hospitality": "Started work at the restaurant",
    "manufacturing": "Started work at the factory",
    "sex_trade": "Made to work at the massage parlour",
}
# "in May 2025" as each language introduces a month
IN_MONTH = {"en": "in {m}", "fr": "en {m}", "es": "en {m}", "pt": "em {m}"}


# A summary is the organisation's account, in the third person: the domestic worker's place is not "where I".
SUMMARY_PLACES = {
    "domestic_work": {
        "en": "the employer's house",
        "fr": "la maison de l'employeur",
        "es": "la casa del empleador",
        "pt": "a casa do empregador",
    }
}


def place(sector: str, language: str, summary: bool = False) -> str:
    if summary and sector in SUMMARY_PLACES:
        return SUMMARY_PLACES[sector][language]
    return PLACES.get(sector, SOMEWHERE)[language]


@dataclass(frozen=True)
class Phrase:
    """One sentence in every language; ``event`` is what it tells (None: no date in it)."""

    event: str | None
    text: dict[str, str]  # language -> template with {when} and {place}

    def render(self, language: str, when: str = "", where: str = "") -> str:
        text = self.text[language].format(when=when, place=where)
        if language == "fr":  # "à le chantier" -> "au chantier", "de le salon" -> "du salon"
            text = re.sub(
                r"\b([àÀ]|[dD]e) le ",
                lambda m: {"à": "au ", "À": "Au ", "de": "du ", "De": "Du "}[m.group(1)],
                text,
            )
        return text[:1].upper() + text[1:]


QUOTES: tuple[Phrase, ...] = (
    Phrase(
        "recruitment",
        {
            "en": "A man from an agency offered me work in Canada {when} and said the papers would be easy.",
            "fr": "Un homme d'une agence m'a offert du travail au Canada {when} et a dit que les papiers seraient faciles.",
            "es": "Un hombre de una agencia me ofreció trabajo en Canadá {when} y dijo que los papeles serían fáciles.",
            "pt": "Um homem de uma agência me ofereceu trabalho no Canadá {when} e disse que os papéis seriam fáceis.",
        },
    ),
    Phrase(
        "departure",
        {
            "en": "I left home {when} with two other people from my town.",
            "fr": "J'ai quitté la maison {when} avec deux autres personnes de ma ville.",
            "es": "Salí de mi casa {when} con otras dos personas de mi pueblo.",
            "pt": "Saí de casa {when} com outras duas pessoas da minha cidade.",
        },
    ),
    Phrase(
        "arrival_canada",
        {
            "en": "We arrived in Canada {when}; someone was waiting for us at the airport.",
            "fr": "Nous sommes arrivés au Canada {when}; quelqu'un nous attendait à l'aéroport.",
            "es": "Llegamos a Canadá {when}; alguien nos esperaba en el aeropuerto.",
            "pt": "Chegamos ao Canadá {when}; alguém estava esperando por nós no aeroporto.",
        },
    ),
    Phrase(
        "documents_taken",
        {
            "en": "A few days after we arrived, {when}, the boss took my passport and said it was to keep it safe.",
            "fr": "Quelques jours après notre arrivée, {when}, le patron a pris mon passeport pour le garder en sécurité.",
            "es": "Pocos días después de llegar, {when}, el patrón me quitó el pasaporte y dijo que era para guardarlo.",
            "pt": "Poucos dias depois de chegar, {when}, o patrão pegou meu passaporte e disse que era para guardar.",
        },
    ),
    Phrase(
        "start_work",
        {
            "en": "I started working at {place} {when}.",
            "fr": "J'ai commencé à travailler à {place} {when}.",
            "es": "Empecé a trabajar en {place} {when}.",
            "pt": "Comecei a trabalhar em {place} {when}.",
        },
    ),
    Phrase(
        "change_employer",
        {
            "en": "{when} they moved us to another place without telling us where.",
            "fr": "{when}, ils nous ont emmenés ailleurs sans nous dire où.",
            "es": "{when} nos llevaron a otro lugar sin decirnos a dónde.",
            "pt": "{when} nos levaram para outro lugar sem dizer para onde.",
        },
    ),
    Phrase(
        "escape",
        {
            "en": "I finally left {place} at night {when} and took a bus to the city.",
            "fr": "J'ai enfin quitté {place} la nuit, {when}, et j'ai pris un autobus pour la ville.",
            "es": "Por fin salí de {place} de noche {when} y tomé un autobús a la ciudad.",
            "pt": "Finalmente saí de {place} à noite {when} e peguei um ônibus para a cidade.",
        },
    ),
    Phrase(
        None,
        {
            "en": "We worked from six in the morning until late at night, seven days a week.",
            "fr": "On travaillait de six heures du matin jusqu'à tard le soir, sept jours sur sept.",
            "es": "Trabajábamos desde las seis de la mañana hasta la noche, todos los días.",
            "pt": "Trabalhávamos das seis da manhã até tarde da noite, todos os dias.",
        },
    ),
    Phrase(
        None,
        {
            "en": "They told me I owed them for the flight, the room and the food, and the debt kept growing.",
            "fr": "Ils m'ont dit que je leur devais le vol, la chambre et la nourriture, et la dette augmentait.",
            "es": "Me dijeron que les debía el vuelo, el cuarto y la comida, y la deuda seguía creciendo.",
            "pt": "Disseram que eu devia a passagem, o quarto e a comida, e a dívida só crescia.",
        },
    ),
    Phrase(
        None,
        {
            "en": "I could never go out without them; someone always drove us to the store.",
            "fr": "Je ne pouvais jamais sortir sans eux; quelqu'un nous conduisait toujours au magasin.",
            "es": "Nunca podía salir sin ellos; siempre alguien nos llevaba a la tienda.",
            "pt": "Eu nunca podia sair sem eles; sempre alguém nos levava à loja.",
        },
    ),
    Phrase(
        None,
        {
            "en": "The boss said the police would deport us if we talked to anyone.",
            "fr": "Le patron disait que la police nous expulserait si on parlait à quelqu'un.",
            "es": "El patrón decía que la policía nos deportaría si hablábamos con alguien.",
            "pt": "O patrão dizia que a polícia nos deportaria se falássemos com alguém.",
        },
    ),
)
SUMMARIES: tuple[Phrase, ...] = (
    Phrase(
        "recruitment",
        {
            "en": "Describes recruitment through an agency {when}, with promises of well-paid work and help with papers.",
            "fr": "Décrit le recrutement par une agence {when}, avec des promesses de travail bien payé et d'aide pour les papiers.",
        },
    ),
    Phrase(
        None,
        {
            "en": "Describes the employer keeping identity documents and a debt that kept increasing.",
            "fr": "Décrit l'employeur qui gardait les pièces d'identité et une dette qui augmentait sans cesse.",
        },
    ),
    Phrase(
        None,
        {
            "en": "Describes long hours at {place}, no days off and being driven everywhere by the employer's people.",
            "fr": "Décrit de longues heures à {place}, aucun jour de congé et des déplacements toujours accompagnés.",
        },
    ),
    Phrase(
        "escape",
        {
            "en": "Describes leaving {place} at night {when} with help from a community member.",
            "fr": "Décrit son départ de {place} la nuit, {when}, avec l'aide d'une personne de la communauté.",
        },
    ),
)
