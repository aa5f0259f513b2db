"""Shared by the survey collectors: option harmonisation, segments and counting.

A parsed survey year is a :class:`SurveyYear`: one row per respondent with a boolean column per
option offered that year (``choices``) and the segment memberships (``segments``). ``count``
turns it into rows of ``survey_framework_counts``: per segment and option, how many chose it,
how many answered the question at all (chose at least one option, None and Other included),
and a 95 % Wilson interval. Options not offered in a year produce no row, never a zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from census_base.errors import ParseError
from warehouse.intervals import wilson_interval

# Option label (lower case, spaces stripped) -> harmonised framework id.
FRAMEWORK_IDS = {
    "tensorflow": "tensorflow",
    "pytorch": "torch",
    "torch/pytorch": "torch",
    "keras": "keras",
    "jax": "jax",
    "scikit-learn": "scikit-learn",
    "none": "none",
    "other": "other",
}
# Country labels that differ between years and surveys -> one spelling.
COUNTRY_ALIASES = {
    "united states": "United States of America",
    "people 's republic of china": "China",
    "united kingdom": "United Kingdom of Great Britain and Northern Ireland",
    "iran": "Iran, Islamic Republic of...",
    "vietnam": "Viet Nam",
}
NOT_A_COUNTRY = {"", "na", "other", "i do not wish to disclose my location", "nomadic"}
TOP_COUNTRIES = 10


def framework_id(label: str) -> str:
    """Harmonised id of an option label: ``Torch/PyTorch`` and ``PyTorch`` are both ``torch``."""
    clean = " ".join(label.split())
    known = FRAMEWORK_IDS.get(clean.lower())
    return known or re.sub(r"[^a-z0-9.+#]+", "-", clean.lower()).strip("-")


def country_name(label: str) -> str:
    clean = " ".join(str(label).split())
    return COUNTRY_ALIASES.get(clean.lower(), clean)


@dataclass(frozen=True)
class SurveyYear:
    """One survey year, parsed: respondents x options, plus segments and the question."""

    survey: str
    year: int
    question_code: str
    question: str
    choices: pd.DataFrame  # one bool column per option label, one row per respondent
    segments: pd.DataFrame  # one bool column per segment (``all`` included), same rows
    where: str  # the input, for error messages


def country_segments(
    countries: pd.Series, answered: pd.Series, top: int = TOP_COUNTRIES
) -> pd.DataFrame:
    """Boolean columns ``country:<name>`` for the ``top`` countries by respondents who answered."""
    names = countries.map(country_name)
    counted = names[answered & ~names.str.lower().isin(NOT_A_COUNTRY)].value_counts()
    chosen = counted.sort_values(ascending=False, kind="stable").head(top).index
    return pd.DataFrame(
        {f"country:{name}": names == name for name in chosen}, index=countries.index
    )


def count(parsed: SurveyYear) -> pd.DataFrame:
    """Rows of ``survey_framework_counts`` (without provenance) for every segment and option."""
    labels = list(parsed.choices.columns)
    ids = [framework_id(label) for label in labels]
    if len(set(ids)) != len(ids):
        pairs = dict(zip(labels, ids, strict=True))
        msg = f"{parsed.year}: two options map to one framework id: {pairs}"
        raise ParseError(parsed.where, msg)
    if not labels:
        raise ParseError(parsed.where, f"{parsed.year}: no options of {parsed.question_code}")
    answered_mask = parsed.choices.any(axis=1)
    rows = []
    for segment in parsed.segments.columns:
        mask = parsed.segments[segment].to_numpy(dtype=bool)
        size = int(mask.sum())
        answered = int(answered_mask[mask].sum())
        if answered == 0:
            continue  # nobody in the segment answered: no share, not a zero
        chosen = parsed.choices[mask].sum()
        for label, fid in zip(labels, ids, strict=True):
            selected = int(chosen[label])
            low, high = wilson_interval(selected, answered)
            rows.append(
                {
                    "survey": parsed.survey,
                    "year": parsed.year,
                    "segment": segment,
                    "framework": fid,
                    "option_label": label,
                    "respondents": selected,
                    "answered": answered,
                    "segment_respondents": size,
                    "ci_low": low,
                    "ci_high": high,
                    "question_code": parsed.question_code,
                    "question": parsed.question,
                }
            )
    return pd.DataFrame(rows)
