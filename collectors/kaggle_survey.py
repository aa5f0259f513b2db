"""Kaggle Machine Learning & Data Science Survey, 2017-2022: the ML frameworks question.

``census ingest kaggle-survey PATH_OR_URL`` reads a folder of year folders, one year's responses
CSV, or a zip (the Kaggle download). Per year the frameworks question has its own code and
wording (2017 ``WorkToolsSelect``, comma-joined, TensorFlow the only deep-learning option; 2018
Q19 "used in the past 5 years"; 2019 Q28, 2020-2021 Q16, 2022 Q17 "on a regular basis"), which
is kept with every row. From 2018 the second header row holds the question text; option values
are padded with spaces; 2017 is cp1252; 2022 starts with a UTF-8 BOM. See docs/surveys.md for
the segment mapping per year.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pandas as pd

from census_base.errors import ParseError
from census_base.progress import track
from collectors._surveys import SurveyYear, count, country_segments
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from collectors.validate import parse_guard, strict_text
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "kaggle_survey"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Kaggle Machine Learning & Data Science Survey (2017-2022), one row per "
    "respondent; the ML frameworks question, role and country.",
    licence="Kaggle dataset terms (the 2017 release is listed as ODbL); verify before "
    "redistributing respondent-level data.",
    citation="Kaggle, Machine Learning & Data Science Survey 2017-2022 "
    "(https://www.kaggle.com/c/kaggle-survey-2022 and earlier years).",
    upstream_url="https://www.kaggle.com/kaggle-survey-2022",
)
WORDING_2017 = (
    "WorkToolsSelect: the tools, technologies and languages used at work (select "
    "all that apply); TensorFlow is the only deep-learning framework offered. "
    "Wording from schema.csv when supplied."
)


@dataclass(frozen=True)
class YearSpec:
    """Column names of one survey year."""

    code: str  # frameworks question code
    country: str
    role: str
    student: str | None = None  # a yes/no student question, where it exists
    employment: str | None = None  # 2017 employment status


YEARS = {
    2017: YearSpec(
        "WorkToolsSelect", "Country", "CurrentJobTitleSelect", employment="EmploymentStatus"
    ),
    2018: YearSpec("Q19", "Q3", "Q6"),
    2019: YearSpec("Q28", "Q3", "Q5"),
    2020: YearSpec("Q16", "Q3", "Q5"),
    2021: YearSpec("Q16", "Q3", "Q5"),
    2022: YearSpec("Q17", "Q4", "Q23", student="Q5"),
}
NOT_WORKING = {"", "student", "not employed", "currently not employed"}
EMPLOYED_2017 = {
    "Employed full-time",
    "Employed part-time",
    "Independent contractor, freelancer, or self-employed",
}


# Header words of the 2017 release, the one Kaggle published in cp1252 (its declared encoding).
CP1252_2017_HEADERS = ("WorkToolsSelect", "GenderSelect", "Column,Question,Asked")


def decode(body: bytes, where: str) -> str:
    """UTF-8 (BOM stripped); cp1252 only for files of the 2017 release, which used it.

    Anything else that is not UTF-8 is a ParseError: decoding it some other way would turn bad
    bytes into wrong labels and keys.
    """
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        first_line = body.split(b"\n", 1)[0].decode("cp1252", errors="replace")
        if any(marker in first_line for marker in CP1252_2017_HEADERS):
            try:
                return body.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ParseError(where, "2017 file that is neither UTF-8 nor cp1252") from exc
        return strict_text(body, where)  # raises, naming the line and byte


def detect_year(header: list[str], where: str) -> int:
    """2017 by its header; later years from the file or folder name."""
    if "WorkToolsSelect" in header:
        return 2017
    found = re.findall(r"(?<!\d)(20(?:1[89]|2[0-2]))(?!\d)", where)
    if not found:
        msg = "cannot tell the survey year: name the file or its folder with the year"
        raise ParseError(where, msg)
    return int(found[-1])


def _option_columns(header: list[str], code: str) -> list[str]:
    pattern = re.compile(rf"{re.escape(code)}_(?:Part_)?(?:\d+|OTHER)")
    return [c for c in header if pattern.fullmatch(c)]


def _question_text(questions: dict[str, str], column: str) -> str:
    text = questions.get(column, "")
    return text.split(" - Selected Choice")[0].strip()


def _label(values: pd.Series, question: str, column: str, where: str) -> str:
    found = {v.strip() for v in values if v.strip()}
    if len(found) > 1:
        raise ParseError(where, f"column {column} holds several options: {sorted(found)[:4]}")
    if found:
        return found.pop()
    return question.rsplit(" - ", 1)[-1].strip() or column


def _segments(frame: pd.DataFrame, spec: YearSpec, answered: pd.Series) -> pd.DataFrame:
    role = frame[spec.role].str.strip()
    segments = {"all": pd.Series(True, index=frame.index)}
    if spec.employment:  # 2017: employment status, no student question in the release
        segments["professional"] = frame[spec.employment].isin(EMPLOYED_2017)
    else:
        segments["professional"] = ~role.str.lower().isin(NOT_WORKING)
    segments["data_scientist"] = role == "Data Scientist"
    if spec.student and spec.student in frame.columns:
        segments["student"] = frame[spec.student].str.strip() == "Yes"
    elif (role == "Student").any():
        segments["student"] = role == "Student"
    result = pd.DataFrame(segments)
    return pd.concat([result, country_segments(frame[spec.country], answered)], axis=1)


@parse_guard
def parse_kaggle(text: str, where: str, schema: dict[str, str] | None = None) -> SurveyYear:
    """One year's responses CSV (text) -> :class:`SurveyYear`. Raises ParseError naming it."""
    if text and not text.endswith(("\n", "\r")):
        raise ParseError(where, "the last line has no line break: the file is truncated")
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    if len(rows) < 2:
        raise ParseError(where, "no respondent rows")
    header = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            msg = f"record {number} has {len(row)} fields, the header {len(header)} (cut short?)"
            raise ParseError(where, msg)
    year = detect_year(header, where)
    spec = YEARS.get(year)
    if spec is None:
        raise ParseError(where, f"no column map for survey year {year}")
    missing = [c for c in (spec.country, spec.role) if c not in header]
    body = rows[1:]
    questions: dict[str, str] = {}
    if year >= 2018:  # the second header row is the question text
        questions = dict(zip(header, body[0], strict=False))
        body = body[1:]
    frame = pd.DataFrame(body, columns=header)
    if year == 2017:
        if spec.code not in header:
            missing.append(spec.code)
        if missing:
            raise ParseError(where, f"{year}: missing column(s) {missing}")
        dummies = frame[spec.code].str.get_dummies(sep=",").astype(bool)
        dummies.columns = [c.strip() for c in dummies.columns]
        choices = dummies.T.groupby(level=0).any().T.drop(columns="", errors="ignore")
        question = (schema or {}).get(spec.code) or WORDING_2017
    else:
        columns = _option_columns(header, spec.code)
        if not columns:
            missing.append(f"{spec.code}_Part_*")
        if missing:
            raise ParseError(where, f"{year}: missing column(s) {missing}")
        question = _question_text(questions, columns[0])
        labels = [_label(frame[c], questions.get(c, ""), c, where) for c in columns]
        choices = pd.DataFrame(
            {lab: frame[c].str.strip() != "" for lab, c in zip(labels, columns, strict=True)}
        )
    answered = choices.any(axis=1)
    return SurveyYear(
        "kaggle",
        year,
        spec.code.split("_")[0],
        question,
        choices,
        _segments(frame, spec, answered),
        where,
    )


def _schema(texts: dict[str, str]) -> dict[str, str]:
    """``schema.csv`` of the 2017 release (Column, Question, Asked), when supplied."""
    for name, text in texts.items():
        if PurePosixPath(name).name.lower() == "schema.csv":
            return {
                r["Column"]: r["Question"]
                for r in csv.DictReader(io.StringIO(text))
                if r.get("Column") and r.get("Question")
            }
    return {}


@parse_guard
def response_files(raw: RawResponse) -> dict[str, str]:
    """CSV texts of one input: the file itself, or each CSV inside a zip (named zip!member)."""
    where = unquote(urlsplit(raw.url).path) or raw.url
    if raw.body[:2] != b"PK":
        return {where: decode(raw.body, where)}
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw.body))
        return {
            f"{where}!{name}": decode(archive.read(name), f"{where}!{name}")
            for name in archive.namelist()
            if name.lower().endswith(".csv")
        }
    except zipfile.BadZipFile as exc:
        raise ParseError(where, "not a readable zip (truncated download?)") from exc


def is_responses(name: str) -> bool:
    lowered = PurePosixPath(name.split("!")[-1]).name.lower()
    return "response" in lowered and "freeform" not in lowered and "other_text" not in lowered


# Where the staged copies in ../shared/data/kaggle-ml-ds-survey come from (PROVENANCE.md there):
# the official files, trimmed to the framework, country and role columns. A local file with
# one of these names is cited by its upstream location; raw_sha256 stays that of the file read.
UPSTREAM_COPIES = {
    "2017/multipleChoiceResponses.csv": "https://github.com/yangfantrinity/dataSciSurvey/blob/"
    "c5a6836b513577278344caf1632ad123cda7122e/multipleChoiceResponses.zip",
    "2018/multipleChoiceResponses.csv": "https://github.com/wusaning/Kaggle-Data-Science-Survey/"
    "blob/27e42a38abf829352d6d93f78b4fdbd5587a4b57/multipleChoiceResponses.csv.zip",
    "2019/multiple_choice_responses.csv": "https://github.com/IlanReinstein/kaggle_survey/blob/"
    "9546525dc3d4c7c1badf6c8a7a2b23169912e64f/kaggle-survey-2019.zip",
    "2021/kaggle_survey_2021_responses.csv": "https://github.com/Daniel-Benson-Poe/"
    "ml_ds_extensive_survey_2021/blob/0e7b7058619cab5c9a506bcefa5f3d48ea67527b/"
    "kaggle_survey_2021_responses.csv.zip",
    "2022/kaggle_survey_2022_responses.csv": "https://github.com/brunokiyoshi/state-of-ml/blob/"
    "ebdadf341e5b8bb1ae13881645ba9fe3b1a07258/kaggle-survey-2022.zip",
}


def cited_url(raw: RawResponse) -> str:
    """The upstream location of a staged local copy, else the URL the file was read from."""
    if not raw.url.startswith("file:"):
        return raw.url
    path = PurePosixPath(unquote(urlsplit(raw.url).path))
    return UPSTREAM_COPIES.get(f"{path.parent.name}/{path.name}", raw.url)


@parse_guard
def count_rows(raws: list[RawResponse]) -> pd.DataFrame:
    """Every response file of the inputs, counted, with provenance; one year once."""
    frames = []
    inputs = [(raw, response_files(raw)) for raw in raws]
    schema = {k: v for _, texts in inputs for k, v in _schema(texts).items()}  # 2017 wording
    for raw, texts in track(inputs, "parse kaggle survey files"):
        for name, text in sorted(texts.items()):
            if not is_responses(name):
                continue
            parsed = parse_kaggle(text, name, schema)
            log.info("kaggle %d: %d respondents (%s)", parsed.year, len(parsed.choices), name)
            frames.append(
                count(parsed).assign(
                    source=SOURCE,
                    source_url=cited_url(raw),
                    fetched_at=raw.fetched_at,
                    raw_sha256=raw.sha256,
                )
            )
    if not frames:
        raise ParseError(raws[0].url if raws else "input", "no Kaggle responses CSV found")
    rows = pd.concat(frames, ignore_index=True)
    years = rows.groupby("year")["source_url"].nunique()
    if (years > 1).any():
        msg = f"the same survey year comes from two files: {sorted(years[years > 1].index)}"
        where = "kaggle-survey input"
        raise ParseError(where, msg)
    return rows


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load every survey year found under ``path_or_url`` in one transaction."""
    raws = read_inputs(ctx, SOURCE, path_or_url, patterns=("*.csv", "*.zip"))
    rows = count_rows(raws)
    params = {"input": path_or_url, "files": len(raws)}
    written = store(ctx.con, SOURCE_INFO, {"survey_framework_counts": rows}, params)
    log.info(
        "kaggle-survey: years %s, %d rows, %d new or changed",
        sorted(int(y) for y in rows["year"].unique()),
        len(rows),
        written,
    )
    return written


INGESTERS = [
    Ingester(
        "kaggle-survey",
        "Kaggle ML & DS Survey responses (2017-2022): a folder "
        "of year folders, one year's CSV, a zip or a URL",
        ingest,
    )
]
