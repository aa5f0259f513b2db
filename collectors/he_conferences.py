"""Conference papers that mention PyTorch or TensorFlow, from Horace He's published dataset.

``census ingest he-conferences PATH_OR_URL`` reads every published version of the headerless,
CRLF ``conference,MM/YY,pytorch,tensorflow,total`` CSV (``data_analysis/data.csv`` and
``history/<date>_<commit>/data_analysis/data.csv``) and stores each row with its version date:
versions are never mixed (the 2021-02 version recounted older years with another method). The
per-conference paper lists (``data_analysis/data/<conf>_<year>.json``) are recounted from their
keyword flags twice: every flagged paper (``flags_any``) and with the article's rule
(``flags_article_rule``: papers flagged google.com / fb.com and papers mentioning both are left
out). Lists whose flags are empty upstream are not recounted, and a quality flag says so.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pandas as pd

from census_base.errors import FetchError, ParseError
from census_base.progress import track
from collectors.he_paper_lists import (  # noqa: F401 (re-exported)
    AFFILIATION_FLAGS,
    PaperList,
    canonical_venue,
    parse_paper_list,
    recount,
)
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from collectors.validate import file_name_date, not_after_fetch, parse_guard, strict_text
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "he_conferences"
UPSTREAM = "https://github.com/Chillee/pytorch-vs-tensorflow"
RAW_URL = "https://raw.githubusercontent.com/Chillee/pytorch-vs-tensorflow/{commit}/{path}"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Conference papers whose PDF text mentions PyTorch or TensorFlow (CVPR, ICCV, "
    "ECCV, ACL, EMNLP, NAACL, ICML, ICLR, NeurIPS, 2015-2022), every published version of "
    "data.csv, plus recounts from the per-paper keyword flags.",
    licence="No licence file upstream; counts derived from public conference proceedings.",
    citation="Horace He, 'The State of Machine Learning Frameworks in 2019', The Gradient "
    "(2019-10-10); data: GitHub Chillee/pytorch-vs-tensorflow (versions 2019-09-05 .. "
    "2021-10-22).",
    upstream_url=UPSTREAM,
)
# Published versions of data.csv: commit -> date (PROVENANCE.md; git log of the upstream repo).
KNOWN_COMMITS = {
    "22b94137c6ffcf7898cb4baf36eb473f4849d6f8": date(2019, 9, 5),
    "1a19299c7136e8f3424469bc317743e57d56f115": date(2019, 10, 10),  # with the article
    "6e83f530edb97e503770596c48d7d8068d3bcd79": date(2019, 11, 16),
    "a0c745e4eeb04dc225ec98360b24e58aeb8be8e1": date(2021, 2, 12),  # method change
    "3ef0c7dee3002f66277251eda55df970b3cda293": date(2021, 10, 22),  # HEAD
}
HEAD_COMMIT = "3ef0c7dee3002f66277251eda55df970b3cda293"
# sha256 of data.csv at HEAD: identifies the latest version when it is read without its folder.
KNOWN_SHA256 = {"015264c2d4755bc1c3290cc60b56d0aedb4b5893387aa0341b5ed41b95d3dfd9": HEAD_COMMIT}
VERSION_FOLDER = re.compile(r"(\d{4}-\d{2}-\d{2})_([0-9a-f]{7,40})")


@dataclass(frozen=True)
class Version:
    version_date: date
    ref: str  # upstream commit (full or short)


def _path(raw: RawResponse) -> str:
    return unquote(urlsplit(raw.url).path)


def version_of(raw: RawResponse) -> Version:
    """The version a file belongs to: its dated folder, a known commit in its URL, or its hash."""
    found = VERSION_FOLDER.search(_path(raw))
    if found:
        return Version(file_name_date(found.group(1), raw.url), found.group(2))
    for commit, day in KNOWN_COMMITS.items():
        if commit in raw.url:
            return Version(day, commit)
    if raw.sha256 in KNOWN_SHA256:
        commit = KNOWN_SHA256[raw.sha256]
        return Version(KNOWN_COMMITS[commit], commit)
    msg = (
        "cannot tell which published version this is: put it in a "
        "history/<YYYY-MM-DD>_<commit>/ folder or use a raw URL pinned to a known commit"
    )
    raise ParseError(raw.url, msg)


@parse_guard
def parse_published_csv(raw: RawResponse, version: Version) -> pd.DataFrame:
    """Rows of one data.csv version: venue, year, conference_month, torch/tensorflow counts."""
    rows = []
    text = strict_text(raw.body, raw.url)
    for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if not record or not "".join(record).strip():
            continue
        if len(record) != 5:
            msg = f"line {number}: expected conference,MM/YY,pytorch,tensorflow,total: {record}"
            raise ParseError(raw.url, msg)
        venue, when, torch, tensorflow, total = (v.strip() for v in record)
        match = re.fullmatch(r"(\d{2})/(\d{2})", when)
        if not match or not 1 <= int(match.group(1)) <= 12:
            raise ParseError(raw.url, f"line {number}: bad MM/YY date {when!r}")
        try:
            counts = [int(torch), int(tensorflow), int(total)]
        except ValueError as exc:
            raise ParseError(raw.url, f"line {number}: counts are not integers: {record}") from exc
        if min(counts) < 0 or counts[0] + counts[1] > counts[2] * 2:
            raise ParseError(raw.url, f"line {number}: impossible counts {counts}")
        month = date(2000 + int(match.group(2)), int(match.group(1)), 1)
        not_after_fetch(month, raw, "conference month", number)
        for framework, papers in (("torch", counts[0]), ("tensorflow", counts[1])):
            rows.append((canonical_venue(venue), month.year, month, framework, papers, counts[2]))
    if not rows:
        raise ParseError(raw.url, "no rows (empty file)")
    frame = pd.DataFrame(
        rows, columns=["venue", "year", "conference_month", "framework", "papers", "total_papers"]
    )
    if frame.duplicated(["venue", "year", "framework"]).any():
        raise ParseError(raw.url, "a conference-year appears twice in one version")
    return frame.assign(
        method="published", version_date=version.version_date, version_ref=version.ref
    )


def recount_rows(papers: PaperList, version: Version) -> pd.DataFrame:
    """Both recount methods of one list as rows (empty when the list carries no flags)."""
    if not papers.has_flags:
        return pd.DataFrame()
    rows = [
        (method, framework, count)
        for method, rule in (("flags_any", False), ("flags_article_rule", True))
        for framework, count in recount(papers, rule).items()
    ]
    frame = pd.DataFrame(rows, columns=["method", "framework", "papers"])
    return frame.assign(
        venue=papers.venue,
        year=papers.year,
        total_papers=len(papers.flags),
        version_date=version.version_date,
        version_ref=version.ref,
        conference_month=None,
    )


def _with_provenance(frame: pd.DataFrame, raw: RawResponse, version: Version) -> pd.DataFrame:
    """Pin a local copy to its upstream file at the version's (known, full) commit."""
    url = raw.url
    commit = next((c for c in KNOWN_COMMITS if c.startswith(version.ref)), None)
    tail = _path(raw).split("data_analysis/", 1)
    if raw.url.startswith("file:") and commit and len(tail) == 2:
        url = RAW_URL.format(commit=commit, path="data_analysis/" + tail[-1])
    return frame.assign(
        source=SOURCE, source_url=url, fetched_at=raw.fetched_at, raw_sha256=raw.sha256
    )


def _list_version(raw: RawResponse, csv_versions: dict[str, Version]) -> Version:
    """A paper list belongs to the version of the data.csv beside it (or its own folder/URL)."""
    folder = str(PurePosixPath(_path(raw)).parent.parent)
    if folder in csv_versions:
        return csv_versions[folder]
    try:
        return version_of(raw)
    except ParseError:
        # The paper lists were only staged from HEAD (PROVENANCE.md); say so in the log.
        log.info(
            "he-conferences: %s has no version of its own; taken as HEAD %s",
            raw.url,
            KNOWN_COMMITS[HEAD_COMMIT],
        )
        return Version(KNOWN_COMMITS[HEAD_COMMIT], HEAD_COMMIT)


def _flag(subject: str, start: date, end: date, kind: str, note: str) -> tuple:
    return (subject, start, end, kind, note)


def notes(
    lists_without_flags: list[PaperList], lists_without_affiliations: list[PaperList] | None = None
) -> pd.DataFrame:
    """Quality flags: the 2021-02 method change, ICLR denominators, lists not recounted."""
    flags = [
        _flag(
            "*",
            date(2015, 1, 1),
            date(2019, 12, 31),
            "version_change",
            "Versions from 2021-02-12 on recount 2015-2019 with a different method (e.g. "
            "NeurIPS 2017 TensorFlow 68 -> 85); compare conference-years within one version.",
        ),
        _flag(
            "ICLR",
            date(2021, 1, 1),
            date(2022, 12, 31),
            "denominator_change",
            "ICLR 2021 and 2022 totals count all submissions, not accepted papers.",
        ),
    ]
    for paper_list in lists_without_flags:
        flags.append(
            _flag(
                paper_list.venue,
                date(paper_list.year, 1, 1),
                date(paper_list.year, 12, 31),
                "not_recounted",
                f"{paper_list.venue} {paper_list.year}: the upstream paper list has "
                "empty keyword flags, so it cannot be recounted; only the published "
                "counts exist.",
            )
        )
    for paper_list in lists_without_affiliations or []:
        flags.append(
            _flag(
                paper_list.venue,
                date(paper_list.year, 1, 1),
                date(paper_list.year, 12, 31),
                "no_affiliation_flags",
                f"{paper_list.venue} {paper_list.year}: the list flags frameworks "
                "only (no google.com / fb.com keywords), so the article rule can "
                "only drop papers mentioning both; its recount runs high.",
            )
        )
    return pd.DataFrame(flags, columns=["subject", "period_start", "period_end", "kind", "note"])


@parse_guard
def parse_inputs(raws: list[RawResponse]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All CSV versions and paper lists as ``paper_mention_counts`` rows, and quality notes."""
    csv_raws = [r for r in raws if _path(r).endswith(".csv")]
    list_raws = [r for r in raws if _path(r).endswith(".json")]
    if not csv_raws and not list_raws:
        where = raws[0].url if raws else "he-conferences input"
        raise ParseError(where, "no .csv or .json input")
    frames, csv_versions = [], {}
    for raw in track(csv_raws, "he-conferences CSV versions"):
        version = version_of(raw)
        csv_versions[str(PurePosixPath(_path(raw)).parent)] = version
        frames.append(_with_provenance(parse_published_csv(raw, version), raw, version))
    seen = [(v.version_date, f) for f, v in csv_versions.items()]
    if len({d for d, _ in seen}) != len(seen):
        where = "he-conferences input"
        raise ParseError(where, f"two files claim the same version: {seen}")
    without, no_affiliation = [], []
    for raw in track(list_raws, "he-conferences paper lists"):
        try:
            papers = parse_paper_list(raw)
        except FetchError as exc:  # a local list that is not JSON is bad input, not a fetch
            raise ParseError(raw.url, exc.reason) from exc
        version = _list_version(raw, csv_versions)
        rows = recount_rows(papers, version)
        if rows.empty:
            without.append(papers)
            continue
        if not any(words & AFFILIATION_FLAGS for words in papers.flags):
            no_affiliation.append(papers)
        frames.append(_with_provenance(rows, raw, version))
    return pd.concat(frames, ignore_index=True), notes(without, no_affiliation)


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load every CSV version and paper list under a folder (or one file / URL), atomically."""
    patterns = ("data.csv", "*_[0-9][0-9][0-9][0-9].json")
    raws = read_inputs(ctx, SOURCE, path_or_url, patterns=patterns)
    rows, notes_frame = parse_inputs(raws)
    digest = hashlib.sha256("+".join(sorted(set(rows["raw_sha256"]))).encode()).hexdigest()
    flags = notes_frame.assign(
        source=SOURCE, source_url=UPSTREAM, fetched_at=pd.Timestamp.now(tz="UTC"), raw_sha256=digest
    )
    tables = {"paper_mention_counts": rows, "quality_flags": flags}
    written = store(ctx.con, SOURCE_INFO, tables, {"input": path_or_url, "files": len(raws)})
    log.info(
        "he-conferences: %d files, %d rows, %d quality notes, %d new or changed",
        len(raws),
        len(rows),
        len(flags),
        written,
    )
    return written


INGESTERS = [
    Ingester(
        "he-conferences",
        "Horace He's conference paper counts (every data.csv "
        "version) and recounts from the paper lists: a folder, file or URL",
        ingest,
    )
]
