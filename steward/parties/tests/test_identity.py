from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from steward.parties.identity import LEGAL_FORMS, normalize_legal_name, normalize_tax_id

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12).filter(
    lambda w: w not in LEGAL_FORMS and w != "the"
)


@given(st.lists(words, min_size=1, max_size=5), st.sampled_from(sorted(LEGAL_FORMS)))
def test_legal_forms_and_case_and_punctuation_do_not_make_a_different_company(
    name_words: list[str], legal_form: str
) -> None:
    plain = " ".join(name_words)
    assert normalize_legal_name(f"{plain.upper()}, {legal_form.upper()}.") == plain
    assert normalize_legal_name(f"  {plain}   ") == plain


@given(st.text(max_size=80))
def test_normalizing_is_idempotent(name: str) -> None:
    once = normalize_legal_name(name)
    assert normalize_legal_name(once) == once


def test_examples() -> None:
    assert normalize_legal_name("ACME Corp.") == normalize_legal_name("acme corporation") == "acme"
    assert normalize_legal_name("Müller & Söhne GmbH") == "muller and sohne"
    assert normalize_legal_name("The Linde Group AG") == "linde group"
    # a name that is only a legal form keeps it rather than becoming empty
    assert normalize_legal_name("Limited") == "limited"


@given(st.text(alphabet="0123456789ABCDEFabcdef .-/", max_size=30))
def test_tax_ids_compare_without_separators_or_case(raw: str) -> None:
    normalized = normalize_tax_id(raw)
    assert normalized == normalized.upper()
    assert all(ch.isalnum() for ch in normalized)
    assert normalize_tax_id(raw.replace(" ", "-")) == normalized
