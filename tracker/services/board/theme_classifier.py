"""The theme classifier: a transparent keyword rule for recommendation text. Pure: text in, themes out.

Anyone can read why a recommendation was put under a theme, because the rule is only this: a
theme matches when one of its keywords occurs in the text, ignoring case. A keyword that starts
with a space must start a word (the text is read with a space in front, so the first word counts
too); the others may occur anywhere ("safeguard" also finds "safeguarding"). A recommendation may
have several themes, or none ("Other"). FINGERPRINT changes whenever a keyword does, so the
themes kept in the database are then worked out again (`themes.remember_themes`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    keywords: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        "health",
        "Health needs",
        (
            "health",
            "camhs",
            " mental",
            "substance misuse",
            " drug",
            "alcohol",
            "speech and language",
            "speech, language",
            "wellbeing",
            "well-being",
            "neurodiver",
            "learning disabilit",
            " nurse",
            "clinical",
            "trauma",
        ),
    ),
    Theme(
        "education-training-employment",
        "Education, training and employment",
        (
            "education",
            " school",
            "employment",
            " college",
            "apprentice",
            "exclusion",
            " pupil",
            " neet ",
            "careers",
        ),
    ),
    Theme(
        "management-oversight",
        "Management oversight",
        (
            "oversight",
            "quality assur",
            " supervision",
            "management check",
            "countersign",
            " audit",
            "managers ",
        ),
    ),
    Theme("planning", "Planning", (" plan", "contingenc", "sentence plan")),
    Theme(
        "information-sharing",
        "Information sharing",
        (
            "information shar",
            "share information",
            "sharing of information",
            "sharing information",
            "exchange of information",
            "information exchange",
            "data shar",
            " share relevant",
            "intelligence shar",
        ),
    ),
    Theme(
        "governance",
        "Governance and board membership",
        (
            " board",
            "governance",
            " partnership",
            "strategic",
            "partner agenc",
            "attendance at",
            "accountab",
        ),
    ),
    Theme(
        "risk-of-harm",
        "Risk of harm to others",
        (
            "risk of harm",
            "risk of serious harm",
            "harm to others",
            "public protection",
            "other people safe",
            "safety of others",
            "risk management",
            " mappa",
        ),
    ),
    Theme(
        "interventions",
        "Interventions and delivery",
        (
            "intervention",
            " programme",
            "out of court",
            "out-of-court",
            " disposal",
            "restorative",
            "reparation",
            "desistance",
            "delivery of",
        ),
    ),
    Theme("assessment", "Assessment", (" assess", "assetplus", "asset plus")),
    Theme("victims", "Victims", (" victim",)),
    Theme(
        "safeguarding",
        "Safeguarding and child exploitation",
        (
            "safeguard",
            "exploitation",
            "child protection",
            "looked after",
            "children in care",
            " missing",
            "county lines",
            "vulnerab",
            "safety and wellbeing",
            " cse ",
            " cce ",
        ),
    ),
    Theme(
        "workforce",
        "Workforce, staff and training",
        (
            " staff",
            "workforce",
            " recruit",
            "caseload",
            "practitioner",
            " skills",
            " induction",
            "retention",
            "learning and development",
            "professional development",
        ),
    ),
    Theme(
        "diversity",
        "Diversity and disproportionality",
        (
            "diversity",
            "disproportion",
            "ethnic",
            "equality",
            " girls",
            "protected characteristic",
        ),
    ),
    Theme(
        "custody-resettlement",
        "Custody, resettlement and transitions",
        (
            " custody",
            "custodial",
            "resettlement",
            " transition",
        ),
    ),
)

OTHER = Theme("other", "Other", ())
THEMES_BY_SLUG: dict[str, Theme] = {theme.slug: theme for theme in (*THEMES, OTHER)}
MANUAL = "manual"  # the `classifier` of themes a person chose
FINGERPRINT = hashlib.sha256(repr([(theme.slug, theme.keywords) for theme in THEMES]).encode()).hexdigest()[:16]


def _searchable(text: str) -> str:
    return " " + text.lower()


def matched_keywords(text: str) -> dict[str, list[str]]:
    """Each matching theme's slug with the keywords found in `text` (the reason it matched)."""
    searchable = _searchable(text)
    found: dict[str, list[str]] = {}
    for theme in THEMES:
        hits = [keyword.strip() for keyword in theme.keywords if keyword in searchable]
        if hits:
            found[theme.slug] = hits
    return found


def classify(text: str) -> list[Theme]:
    """The themes of a recommendation, in the order of THEMES; [OTHER] when none match."""
    found = matched_keywords(text)
    return [theme for theme in THEMES if theme.slug in found] or [OTHER]
