"""Stack Overflow Developer Survey, 2018-2024: the "other frameworks and libraries" question.

``census ingest stackoverflow-survey PATH_OR_URL`` reads the official yearly zip
(``https://survey.stackoverflow.co/datasets/stack-overflow-developer-survey-{YEAR}.zip``), a
``survey_results_public.csv`` inside a folder named for its year, or a folder of such years.
The frameworks column changes name (2018 FrameworkWorkedWith, 2019-2020 MiscTechWorkedWith,
2021-2024 MiscTechHaveWorkedWith); answers are ``;``-separated and ``NA`` means not answered.
Professional developers are ``MainBranch == "I am a developer by profession"`` (2019 on).
The 2025 survey has no frameworks question: a 2025 file raises :class:`NoFrameworksQuestion`
(or, next to other years, is recorded as a ``question_missing`` flag) and never yields zeros.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pandas as pd

from census_base.errors import ParseError
from census_base.progress import track
from collectors._surveys import SurveyYear, count, country_segments
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from collectors.validate import ends_with_line_break, parse_guard, strict_text
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "stackoverflow_survey"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Stack Overflow Annual Developer Survey, one row per respondent; the 'other "
    "frameworks and libraries' question (TensorFlow, Torch/PyTorch, Keras, ...), 2018-2024.",
    licence="Open Database License (ODbL) 1.0; contents under DbCL 1.0 (README of every year).",
    citation="Stack Overflow, Annual Developer Survey 2018-2024 "
    "(https://survey.stackoverflow.co/), ODbL 1.0.",
    upstream_url="https://survey.stackoverflow.co/",
)
ZIP_URL = "https://survey.stackoverflow.co/datasets/stack-overflow-developer-survey-{year}.zip"
FRAMEWORK_COLUMNS = {
    2018: "FrameworkWorkedWith",
    2019: "MiscTechWorkedWith",
    2020: "MiscTechWorkedWith",
    2021: "MiscTechHaveWorkedWith",
    2022: "MiscTechHaveWorkedWith",
    2023: "MiscTechHaveWorkedWith",
    2024: "MiscTechHaveWorkedWith",
}
FALLBACK_WORDING = {
    "FrameworkWorkedWith": "FrameworkWorkedWith: libraries, frameworks and tools worked with "
    "extensively in the past year (wording from survey_results_schema.csv when supplied)",
    "MiscTechWorkedWith": "MiscTechWorkedWith: other frameworks, libraries and tools worked "
    "with extensively in the past year (wording from survey_results_schema.csv when supplied)",
    "MiscTechHaveWorkedWith": "MiscTechHaveWorkedWith: other frameworks and libraries worked "
    "with extensively in the past year (wording from survey_results_schema.csv when supplied)",
}
PROFESSIONAL = "I am a developer by profession"
STUDENT_BRANCHES = {"I am a student who is learning to code", "I am learning to code"}
STUDENT_2018 = {"Yes, full-time", "Yes, part-time"}
KEPT = {"MainBranch", "Country", "Student", *FRAMEWORK_COLUMNS.values()}


class NoFrameworksQuestion(ParseError):
    """The survey year asked no frameworks-and-libraries question (2025)."""


def year_of(where: str) -> int:
    found = re.findall(r"(?<!\d)(20(?:1\d|2\d))(?!\d)", where)
    if not found:
        msg = "cannot tell the survey year: name the zip, file or its folder with the year"
        raise ParseError(where, msg)
    return int(found[-1])


def _wording(schema: bytes | None, column: str) -> str:
    """Question text for ``column`` from the year's schema CSV (HTML stripped)."""
    if schema:
        table = pd.read_csv(
            io.BytesIO(schema), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
        names = [c for c in table.columns if c.lower() in ("column", "qname")]
        texts = [
            c for c in table.columns if c.lower() in ("questiontext", "question", "question_text")
        ]
        stem = re.sub(r"(Have)?WorkedWith$", "", column)
        if names and texts:
            hit = table[table[names[0]].isin([column, stem])]
            if not hit.empty:
                text = re.sub(r"<[^>]+>", "", hit.iloc[0][texts[0]])
                return " ".join(text.split())
    return FALLBACK_WORDING[column]


@parse_guard
def parse_stackoverflow(
    public: bytes, where: str, year: int, schema: bytes | None = None
) -> SurveyYear:
    """One year's ``survey_results_public.csv`` -> :class:`SurveyYear`."""
    ends_with_line_break(public, where)
    strict_text(public, where)  # invalid UTF-8: named by line, never decoded into keys
    try:
        frame = pd.read_csv(
            io.BytesIO(public),
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            usecols=lambda c: c in KEPT,
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ParseError(where, f"not a readable survey CSV: {exc}") from exc
    column = FRAMEWORK_COLUMNS.get(year)
    if column is None or column not in frame.columns:
        if year >= 2025 and not any(c in frame.columns for c in FRAMEWORK_COLUMNS.values()):
            msg = (
                f"the Stack Overflow {year} survey has no frameworks-and-libraries question "
                "(no FrameworkWorkedWith/MiscTech column): there are no framework shares "
                "for this year, and none are stored"
            )
            raise NoFrameworksQuestion(where, msg)
        expected = column or "a frameworks column"
        raise ParseError(where, f"{year}: missing column {expected}")
    if "Country" not in frame.columns:
        raise ParseError(where, f"{year}: missing column Country")
    answers = frame[column].str.strip().replace("NA", "")
    dummies = answers.str.get_dummies(sep=";").astype(bool)
    dummies.columns = [c.strip() for c in dummies.columns]
    choices = dummies.T.groupby(level=0).any().T.drop(columns=["", "NA"], errors="ignore")
    choices = choices.reindex(index=frame.index, fill_value=False)
    answered = choices.any(axis=1)
    segments = {"all": pd.Series(True, index=frame.index)}
    if "MainBranch" in frame.columns:
        segments["professional"] = frame["MainBranch"] == PROFESSIONAL
        segments["student"] = frame["MainBranch"].isin(STUDENT_BRANCHES)
    elif "Student" in frame.columns:
        segments["student"] = frame["Student"].isin(STUDENT_2018)
    table = pd.concat(
        [pd.DataFrame(segments), country_segments(frame["Country"], answered)], axis=1
    )
    return SurveyYear(
        "stackoverflow", year, column, _wording(schema, column), choices, table, where
    )


@parse_guard
def year_files(raw: RawResponse) -> dict[int, dict[str, tuple[str, bytes]]]:
    """{year: {"public"|"schema": (where, bytes)}} found in one input (file or zip)."""
    where = unquote(urlsplit(raw.url).path) or raw.url
    members: list[tuple[str, bytes]] = [(where, raw.body)]
    if raw.body[:2] == b"PK":
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw.body))
            members = [
                (f"{where}!{n}", archive.read(n))
                for n in archive.namelist()
                if n.lower().endswith(".csv")
            ]
        except zipfile.BadZipFile as exc:
            raise ParseError(where, "not a readable zip (truncated download?)") from exc
    found: dict[int, dict[str, tuple[str, bytes]]] = {}
    for name, body in members:
        stem = PurePosixPath(name.split("!")[-1]).name.lower()
        kind = "schema" if "schema" in stem else "public" if "public" in stem else None
        if kind:
            year = year_of(name)
            if year > raw.fetched_at.year:
                msg = f"survey year {year} is after the file was fetched ({raw.fetched_at:%Y})"
                raise ParseError(name, msg)
            found.setdefault(year, {})[kind] = (name, body)
    return found


@parse_guard
def collect_years(raws: list[RawResponse]) -> tuple[pd.DataFrame, list[tuple[int, str, str]]]:
    """Counted rows of every year with data, and (year, where, message) for years without."""
    by_year: dict[int, dict[str, tuple[str, bytes]]] = {}
    origin: dict[int, RawResponse] = {}
    for raw in raws:
        for year, files in year_files(raw).items():
            by_year.setdefault(year, {}).update(files)
            if "public" in files:
                origin[year] = raw
    frames, missing = [], []
    for year, files in track(sorted(by_year.items()), "parse stackoverflow survey years"):
        if "public" not in files:
            continue  # a schema or README alone (e.g. the 2022 fragments)
        where, body = files["public"]
        schema = files.get("schema", ("", b""))[1] or None
        try:
            parsed = parse_stackoverflow(body, where, year, schema)
        except NoFrameworksQuestion as exc:
            missing.append((year, where, exc.reason))
            continue
        raw = origin[year]
        frames.append(
            count(parsed).assign(
                source=SOURCE, source_url=raw.url, fetched_at=raw.fetched_at, raw_sha256=raw.sha256
            )
        )
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return rows, missing


def _flags(missing: list[tuple[int, str, str]], raws: list[RawResponse]) -> pd.DataFrame:
    sha = raws[0].sha256 if raws else ""
    return pd.DataFrame(
        [
            {
                "source": SOURCE,
                "subject": "frameworks question",
                "period_start": date(year, 1, 1),
                "period_end": date(year, 12, 31),
                "kind": "question_missing",
                "note": message,
                "source_url": where,
                "fetched_at": pd.Timestamp.now(tz="UTC"),
                "raw_sha256": sha,
            }
            for year, where, message in missing
        ]
    )


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load every survey year found under ``path_or_url`` in one transaction."""
    raws = read_inputs(
        ctx,
        SOURCE,
        path_or_url,
        patterns=("*.zip", "survey_results_public*.csv", "survey_results_schema*.csv"),
    )
    rows, missing = collect_years(raws)
    if rows.empty:
        if missing:
            year, where, message = missing[0]
            raise NoFrameworksQuestion(where, message)
        raise ParseError(path_or_url, "no survey_results_public.csv found")
    for year, _, message in missing:
        log.warning("stackoverflow-survey %d skipped: %s", year, message)
    tables = {
        "survey_framework_counts": rows,
        "quality_flags": _flags(missing, raws) if missing else None,
    }
    written = store(ctx.con, SOURCE_INFO, tables, {"input": path_or_url, "files": len(raws)})
    log.info(
        "stackoverflow-survey: years %s, %d rows, %d new or changed",
        sorted(int(y) for y in rows["year"].unique()),
        len(rows),
        written,
    )
    return written


INGESTERS = [
    Ingester(
        "stackoverflow-survey",
        "Stack Overflow Developer Survey (2018-2024): the "
        "official yearly zip, a survey_results_public.csv, a folder or a URL",
        ingest,
    )
]
