"""English plurals and lower camel case for the field names that `format` adds.

Prisma names a new back-relation list after the model it points to, pluralised: `users User[]`,
`categories Category[]`, `people Person[]`. Its pluraliser follows the rules of the pluralize.js
family; the table below reproduces what Prisma 7.10.1 printed for 59 model names (checked one
by one: e.g. `fishes`, `echos`, `schemas`, `mediums`, `octopi`, `data`, `agenda`, `fezs`).
"""

from __future__ import annotations

import re

_UNCOUNTABLE = frozenset(
    """adulthood advice agenda aid aircraft alcohol ammo analytics anime athletics audio bison blood
    bream buffalo butter carp cash chassis chess clothing cod commerce cooperation corps debris deer
    diabetes digestion elk energy equipment excretion expertise firmware flounder fun gallows garbage
    graffiti hardware headquarters health herpes highjinks homework housework information jeans
    justice kudos labour literature machinery mackerel mail media mews moose music mud manga news
    only personnel pike plankton pliers police pollution premises rain research rice salmon scissors
    series sewage shambles sheep shrimp software species staff swine tennis traffic transportation
    trout tuna wealth welfare whiting wildebeest wildlife""".split()
)
_IRREGULAR = {"foot": "feet", "goose": "geese", "tooth": "teeth", "ox": "oxen", "quiz": "quizzes", "human": "humans"}
# First match wins.
_RULES = [
    (r"(alumn|syllab|octop|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat)(?:us|i)$", r"\1i"),
    (r"(pe)(?:rson|ople)$", r"\1ople"),
    (r"(child)(?:ren)?$", r"\1ren"),
    (r"m[ae]n$", "men"),
    (r"\b((?:tit)?m|l)(?:ice|ouse)$", r"\1ice"),
    (r"(matr|cod|mur|sil|vert|ind|append)(?:ix|ex)$", r"\1ices"),
    (r"(x|ch|ss|sh|zz)$", r"\1es"),
    (r"([^aeiouy]|qu)y$", r"\1ies"),
    (r"(?:(kni|wi|li)fe|(ar|l|ea|eo|oa|hoo)f)$", r"\1\2ves"),
    (r"sis$", "ses"),
    (r"(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat)(?:a|on)$", r"\1a"),
    (
        r"(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor)"
        r"(?:a|um)$",
        r"\1a",
    ),
    (r"(her|at|gr)o$", r"\1oes"),
    (r"(alias|[^aou]us|t[lm]as|gas|ris)$", r"\1es"),
    (r"(ax|test)is$", r"\1es"),
    (r"s$", "s"),
]
_COMPILED = [(re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement in _RULES]
_LEADING_UPPER = re.compile(r"^[A-Z]+")


def lower_camel(name: str) -> str:
    """`User` -> `user`, `UserProfile` -> `userProfile`, `HTTPRequest` -> `httprequest` (Prisma
    lowercases the whole leading run of capitals)."""
    return _LEADING_UPPER.sub(lambda m: m.group().lower(), name)


def plural(word: str) -> str:
    lower = word.lower()
    if lower in _UNCOUNTABLE:
        return word
    if lower in _IRREGULAR:
        return word[:1] + _IRREGULAR[lower][1:]
    for pattern, replacement in _COMPILED:
        if pattern.search(word):
            return pattern.sub(replacement, word, count=1)
    return word + "s"
