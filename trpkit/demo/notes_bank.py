"""The demo's submission notes: each sentence in English and French, agreeing with the person's gender.

Slots: English {they} {them} {their} {is} {has} (she/her/her/is/has, he/him/his/is/has, or the neutral
they/them/their/are/have when the recorded gender is none of these or not recorded); French {e} for
agreement ("envoyée", "envoyé", or the inclusive "envoyé(e)" when unknown). Nothing here states a fact
another part of the demo file could contradict (no age, no date).
"""

from __future__ import annotations

from trpkit.documents.argument import agreement

Bilingual = dict[str, str]

VULNERABILITIES: tuple[Bilingual, ...] = (
    {
        "en": "{They} speak{s} little English or French and {has} no family in Canada.",
        "fr": "{Il} parle peu l'anglais ou le français et n'a pas de famille au Canada.",
    },
    {
        "en": "{They} {was} sent to Canada to repay a family debt; {their} family at home still depends on the money "
        "{they} send{s}.",
        "fr": "{Il} a dû venir au Canada pour rembourser une dette familiale; sa famille restée au pays dépend "
        "encore de ses envois d'argent.",
    },
    {
        "en": "{They} {has} no savings and no identity document of {their} own.",
        "fr": "{Il} n'a aucune économie ni aucune pièce d'identité à son nom.",
    },
    {
        "en": "{They} left school early and had never lived away from {their} family before.",
        "fr": "{Il} a quitté l'école tôt et n'avait jamais vécu loin de sa famille.",
    },
)
SAFETY: tuple[Bilingual, ...] = (
    {
        "en": "The recruiter has contacted {their} family twice since {they} left.",
        "fr": "Le recruteur a contacté sa famille deux fois depuis son départ.",
    },
    {
        "en": "{They} live{s} in a shelter at an address not shared with anyone outside the organisation.",
        "fr": "{Il} vit dans un refuge dont l'adresse n'est communiquée à personne en dehors de l'organisme.",
    },
    {
        "en": "A former co-worker reported that the employer is asking where {they} {is}.",
        "fr": "Un ancien collègue a signalé que l'employeur cherche à savoir où {il} se trouve.",
    },
    {
        "en": "{They} changed phone number after messages from the employer's people.",
        "fr": "{Il} a changé de numéro de téléphone après des messages des gens de l'employeur.",
    },
)
RISKS: tuple[Bilingual, ...] = (
    {
        "en": "The recruiter lives in {their} home town and says the debt is still owed.",
        "fr": "Le recruteur vit dans sa ville natale et affirme que la dette est toujours due.",
    },
    {
        "en": "People who left the same employer before were threatened on their return.",
        "fr": "Des personnes qui avaient quitté le même employeur ont été menacées à leur retour.",
    },
    {
        "en": "{Their} family's house was pledged against the recruitment fee.",
        "fr": "La maison de sa famille a été donnée en garantie des frais de recrutement.",
    },
)
CONTINUED: tuple[Bilingual, ...] = (
    {
        "en": "Weekly counselling has started to reduce {their} nightmares; the therapist recommends at least "
        "a year of stability.",
        "fr": "La thérapie hebdomadaire commence à réduire ses cauchemars; la thérapeute recommande au moins "
        "un an de stabilité.",
    },
    {
        "en": "{They} {has} begun vocational training and need{s} the permit to finish it.",
        "fr": "{Il} a commencé une formation professionnelle et a besoin du permis pour la terminer.",
    },
)
RECOVERY: tuple[Bilingual, ...] = (
    {
        "en": "{They} now sleep{s} through the night most weeks and attend{s} a support group.",
        "fr": "{Il} dort maintenant la nuit la plupart des semaines et participe à un groupe de soutien.",
    },
    {
        "en": "{They} {has} started to rebuild contact, safely, with a sister.",
        "fr": "{Il} a commencé à renouer, en sécurité, avec une sœur.",
    },
)
HEALTH: tuple[Bilingual, ...] = (
    {"en": "weekly counselling", "fr": "thérapie hebdomadaire"},
    {
        "en": "treatment for a back injury from the work",
        "fr": "traitement d'une blessure au dos causée par le travail",
    },
    {
        "en": "dental care never received while working",
        "fr": "soins dentaires jamais reçus pendant le travail",
    },
)
HOUSING: tuple[Bilingual, ...] = (
    {"en": "a shelter bed until spring", "fr": "un lit en refuge jusqu'au printemps"},
    {
        "en": "looking for a shared flat with the organisation's support",
        "fr": "cherche un logement partagé avec l'aide de l'organisme",
    },
)
WORK: tuple[Bilingual, ...] = (
    {"en": "wants to work in a bakery", "fr": "souhaite travailler dans une boulangerie"},
    {
        "en": "wants a safe employer and work that is paid on time",
        "fr": "cherche un employeur sûr et un travail payé à temps",
    },
    {"en": "wants to study first", "fr": "souhaite d'abord étudier"},
)
# The person's ties in Canada (subsequent letter): kind -> sentences
TIES: dict[str, tuple[Bilingual, ...]] = {
    "ties_work": (
        {
            "en": "{They} work{s} three days a week at a garden centre found with the organisation's help, with a written "
            "contract and pay slips.",
            "fr": "{Il} travaille trois jours par semaine dans une jardinerie trouvée avec l'aide de l'organisme, avec "
            "un contrat écrit et des bulletins de paie.",
        },
    ),
    "ties_studies": (
        {
            "en": "{They} attend{s} French classes four mornings a week and {has} started a bakery course.",
            "fr": "{Il} suit des cours de français quatre matins par semaine et a commencé une formation en "
            "boulangerie.",
        },
    ),
    "ties_community": (
        {
            "en": "{They} volunteer{s} at a community kitchen on Saturdays; the coordinator describes {them} as reliable.",
            "fr": "{Il} fait du bénévolat dans une cuisine communautaire le samedi; la coordonnatrice souligne sa "
            "fiabilité.",
        },
    ),
    "ties_family": (
        {
            "en": "A cousin lives in Canada; they see each other every month.",
            "fr": "Un cousin vit au Canada; ils se voient chaque mois.",
        },
    ),
    "ties_treatment": (
        {
            "en": "{They} see{s} a trauma therapist every week at a community clinic; stopping now would undo {their} "
            "progress.",
            "fr": "{Il} consulte chaque semaine une thérapeute spécialisée en traumatisme dans une clinique "
            "communautaire; tout arrêter maintenant compromettrait ses progrès.",
        },
    ),
}

_ENGLISH = {
    "f": {"they": "she", "them": "her", "their": "her", "is": "is", "has": "has", "was": "was", "s": "s"},
    "m": {"they": "he", "them": "him", "their": "his", "is": "is", "has": "has", "was": "was", "s": "s"},
    "": {
        "they": "they",
        "them": "them",
        "their": "their",
        "is": "are",
        "has": "have",
        "was": "were",
        "s": "",
    },
}


def grammatical(gender: str) -> str:
    """f, m, or "" (neutral) for a recorded gender, as the letters agree with it."""
    return {"e": "f", "": "m"}.get(agreement(gender)["e"], "")


def render(sentence: Bilingual, language: str, gender: str) -> str:
    """The sentence in ``language``, agreeing with ``gender`` (neutral when unknown)."""
    if language == "fr":
        forms = agreement(gender)
        return sentence["fr"].format(e=forms["e"], il=forms["il"], Il=forms["Il"])
    words = _ENGLISH[grammatical(gender)]
    capitals = {k.capitalize(): v.capitalize() for k, v in words.items()}
    return sentence["en"].format(**words, **capitals)
