"""How two names or tax ids are recognised as the same organization."""

from __future__ import annotations

import re
import unicodedata

# Legal-form words that say nothing about which company it is.
LEGAL_FORMS = frozenset(
    {
        "ab",
        "ag",
        "aps",
        "as",
        "asa",
        "bv",
        "bvba",
        "co",
        "company",
        "corp",
        "corporation",
        "cv",
        "gmbh",
        "inc",
        "incorporated",
        "kg",
        "kgaa",
        "kk",
        "limited",
        "llc",
        "llp",
        "lp",
        "ltd",
        "ltda",
        "nv",
        "oy",
        "oyj",
        "plc",
        "pte",
        "pty",
        "sa",
        "sab",
        "sae",
        "sarl",
        "sas",
        "spa",
        "sl",
        "srl",
        "se",
        "gesmbh",
    }
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalize_legal_name(name: str) -> str:
    """``ACME Corp.``, ``Acme Corporation`` and ``acme`` all become ``acme``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    # Dots vanish rather than separate, so "S.A." and "A.G." read as the forms "sa" and "ag".
    ascii_name = ascii_name.replace("&", " and ").replace(".", "")
    words = [w for w in _NON_WORD.split(ascii_name) if w]
    stripped = False
    # "Müller & Co. KG": the forms go, and so does the "and" that joined them to the name.
    while len(words) > 1 and (words[-1] in LEGAL_FORMS or (stripped and words[-1] == "and")):
        words.pop()
        stripped = True
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def normalize_tax_id(tax_id: str) -> str:
    """Tax ids compare without spaces, dots or dashes, in upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", tax_id).upper()
