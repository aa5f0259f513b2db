"""Bad inputs per source (issue #18): each ends as one line naming the file and the rule, exit 2,
and nothing stored; the parsers, fuzzed with Hypothesis from the real fixtures, raise only
ParseError."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from census.cli import main
from census_base.errors import ParseError
from collectors import github_ranking, he_conferences, kaggle_survey, published_figures
from collectors import stackoverflow_survey as so_survey
from collectors.he_conferences import Version
from collectors.raw import RawResponse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RANKING = FIXTURES / "github_ranking" / "github-ranking-2019-01-02.csv"
HE_CSV = FIXTURES / "he_conferences/tree/history/2021-10-22_3ef0c7d/data_analysis/data.csv"
KAGGLE_2017 = FIXTURES / "kaggle_survey/2017/multipleChoiceResponses.csv"
KAGGLE_2020 = FIXTURES / "kaggle_survey/2020/kaggle_survey_2020_responses.csv"
PUBLISHED = Path(published_figures.__file__).with_name("published_figures.csv")
SO_2023 = (
    b"ResponseId,MainBranch,Country,MiscTechHaveWorkedWith\n"
    b"1,I am a developer by profession,Germany,PyTorch;TensorFlow\n"
    b"2,I am learning to code,India,PyTorch\n"
    b"3,I am a developer by profession,Germany,NA\n"
)


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def replace_in_line(path: Path, number: int, old: bytes, new: bytes) -> bytes:
    rows = lines(path)
    assert old in rows[number], rows[number]
    rows[number] = rows[number].replace(old, new, 1)
    return b"".join(rows)


def cut(body: bytes, share: float) -> bytes:
    return body[: int(len(body) * share)]


RANKING_BODY = RANKING.read_bytes()
HE_BODY = HE_CSV.read_bytes()
KAGGLE_2020_BODY = KAGGLE_2020.read_bytes()
PUBLISHED_BODY = PUBLISHED.read_bytes()

# (source, relative file name, content, words the error must contain)
CASES = [
    (
        "github-ranking",
        "github-ranking-2019-01-02.csv",
        replace_in_line(RANKING, 1, b"top-100-stars", b"to\xff\xfe-100-stars"),
        "invalid UTF-8",
    ),
    ("github-ranking", "github-ranking-2019-01-02.csv", cut(RANKING_BODY, 0.9), "truncated"),
    (
        "github-ranking",
        "github-ranking-2019-01-02.csv",
        replace_in_line(RANKING, 1, b",117500,", b",-5,"),
        "below zero",
    ),
    ("github-ranking", "github-ranking-2024-13-45.csv", RANKING_BODY, "not a real calendar date"),
    (
        "github-ranking",
        "github-ranking-2999-01-01.csv",
        RANKING_BODY,
        "after the input was fetched",
    ),
    (
        "github-ranking",
        "github-ranking-2019-01-02.csv",
        RANKING_BODY.replace(b"Framework", b"Frame\rwork", 1),
        "fields",
    ),
    (
        "he-conferences",
        "history/2021-10-22_3ef0c7d/data.csv",
        HE_BODY.replace(b"ECCV", b"EC\xc3(V", 1),
        "invalid UTF-8",
    ),
    (
        "he-conferences",
        "history/2021-10-22_3ef0c7d/data.csv",
        HE_BODY.replace(b"ECCV", b"EC\rCV", 1),
        "expected conference",
    ),
    (
        "he-conferences",
        "history/2021-10-22_3ef0c7d/data.csv",
        HE_BODY.replace(b",4,3,40", b",-4,3,40", 1),
        "impossible counts",
    ),
    (
        "he-conferences",
        "history/2021-10-22_3ef0c7d/data.csv",
        HE_BODY.replace(b"09/18", b"09/99", 1),
        "after the input was fetched",
    ),
    ("he-conferences", "history/2021-13-45_3ef0c7d/data.csv", HE_BODY, "not a real calendar date"),
    (
        "kaggle-survey",
        "2020/kaggle_survey_2020_responses.csv",
        cut(KAGGLE_2020_BODY, 0.5),
        "truncated",
    ),
    (
        "kaggle-survey",
        "2020/kaggle_survey_2020_responses.csv",
        KAGGLE_2020_BODY.replace(b"Q16_Part_1", b"Q16_Part_\xff1", 1),
        "invalid UTF-8",
    ),
    (
        "kaggle-survey",
        "2020/kaggle_survey_2020_responses.csv",
        KAGGLE_2020_BODY[:-1] + b",extra\n",
        "fields",
    ),
    (
        "kaggle-survey",
        "2020/survey.zip",
        b"PK\x03\x04" + KAGGLE_2020_BODY[:200],
        "not a readable zip",
    ),
    ("stackoverflow-survey", "2023/survey_results_public.csv", SO_2023[:-5], "truncated"),
    (
        "stackoverflow-survey",
        "2023/survey_results_public.csv",
        SO_2023.replace(b"Germany", b"Germ\xe4ny", 1),
        "invalid UTF-8",
    ),
    (
        "stackoverflow-survey",
        "2029/survey_results_public.csv",
        SO_2023,
        "after the file was fetched",
    ),
    (
        "published-figures",
        "published_figures.csv",
        PUBLISHED_BODY.replace(b",11.49,percent,", b",-3,count,", 1),
        "below zero",
    ),
    (
        "published-figures",
        "published_figures.csv",
        PUBLISHED_BODY.replace(b",2022-06-22,", b",2999-06-22,", 1),
        "after the input was fetched",
    ),
    (
        "published-figures",
        "published_figures.csv",
        PUBLISHED_BODY.replace(b",11.49,", b",inf,", 1),
        "not a finite number",
    ),
    (
        "published-figures",
        "published_figures.csv",
        PUBLISHED_BODY.replace(b"Moroney", b"Moron\xffey", 1),
        "invalid UTF-8",
    ),
]


@pytest.mark.parametrize(("source", "name", "content", "needle"), CASES)
def test_bad_input_is_one_line_and_stores_nothing(tmp_path, capsys, source, name, content, needle):
    folder = tmp_path / "input"
    target = folder / name
    target.parent.mkdir(parents=True)
    target.write_bytes(content)
    db = tmp_path / "w.duckdb"
    code = main(
        ["--db", str(db), "ingest", source, str(folder), "--raw-dir", str(tmp_path / "raw")]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    errors = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert "Traceback" not in err and len(errors) == 1, err
    assert needle in errors[0] and Path(name).name in errors[0], errors[0]
    assert "\ufffd" not in err
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.execute("SELECT count(*) FROM _loads WHERE status = 'ok'").fetchone() == (0,)


def test_good_inputs_still_load(tmp_path):
    """The same inputs unmodified load (the cases above fail for the rule they name)."""
    folder = tmp_path / "input"
    (folder / "2023").mkdir(parents=True)
    (folder / "2023" / "survey_results_public.csv").write_bytes(SO_2023)
    shutil.copy(RANKING, tmp_path / RANKING.name)
    db = str(tmp_path / "w.duckdb")
    assert main(["--db", db, "ingest", "stackoverflow-survey", str(folder)]) == 0
    assert main(["--db", db, "ingest", "github-ranking", str(tmp_path / RANKING.name)]) == 0
    assert main(["--db", db, "ingest", "published-figures", str(PUBLISHED)]) == 0


# --- fuzzing: the parsers raise only ParseError ---------------------------------------------

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def raw_of(body: bytes, url: str) -> RawResponse:
    return RawResponse("fuzz", url, 200, body, FETCHED)


def mutate(seed: bytes) -> st.SearchStrategy[bytes]:
    """Truncations, byte flips, insertions and deletions of a real file."""

    @st.composite
    def mutated(draw: st.DrawFn) -> bytes:
        body = bytearray(seed)
        for _ in range(draw(st.integers(1, 4))):
            where = draw(st.integers(0, max(len(body) - 1, 0)))
            action = draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
            if action == "cut":
                del body[where:]
            elif action == "flip" and body:
                body[where] = draw(st.integers(0, 255))
            elif action == "insert":
                body[where:where] = draw(
                    st.binary(min_size=1, max_size=8)
                    | st.sampled_from([b"\r", b'"', b",", b"\n", b"-", b"99999999999999999999999"])
                )
            elif body:
                del body[where : where + draw(st.integers(1, 20))]
        return bytes(body)

    return mutated()


PARSERS: dict[str, tuple[bytes, Callable[[bytes], object]]] = {
    "github_ranking": (
        RANKING_BODY,
        lambda b: github_ranking.parse_ranking(
            raw_of(b, "file:///x/github-ranking-2019-01-02.csv")
        ),
    ),
    "he_published_csv": (
        HE_BODY,
        lambda b: he_conferences.parse_published_csv(
            raw_of(b, "file:///he/data.csv"), Version(FETCHED.date(), "abc")
        ),
    ),
    "he_paper_list": (
        (FIXTURES / "he_conferences/tree/data_analysis/data/icml_2019.json").read_bytes(),
        lambda b: he_conferences.parse_inputs(
            [
                raw_of(HE_BODY, "file:///he/history/2021-10-22_3ef0c7d/data_analysis/data.csv"),
                raw_of(
                    b, "file:///he/history/2021-10-22_3ef0c7d/data_analysis/data/icml_2019.json"
                ),
            ]
        ),
    ),
    "kaggle_2017": (
        KAGGLE_2017.read_bytes(),
        lambda b: kaggle_survey.parse_kaggle(kaggle_survey.decode(b, "2017/m.csv"), "2017/m.csv"),
    ),
    "kaggle_2020": (
        KAGGLE_2020_BODY,
        lambda b: kaggle_survey.count_rows(
            [raw_of(b, "file:///k/2020/kaggle_survey_2020_responses.csv")]
        ),
    ),
    "stackoverflow": (
        SO_2023,
        lambda b: so_survey.collect_years([raw_of(b, "file:///so/2023/survey_results_public.csv")]),
    ),
    "published_figures": (
        PUBLISHED_BODY,
        lambda b: published_figures.parse_published(raw_of(b, "file:///p/published_figures.csv")),
    ),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_parsers_raise_only_parse_error(name):
    seed, parse = PARSERS[name]
    parse(seed)  # the real file parses

    @settings(
        max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(mutate(seed))
    def fuzz(body: bytes) -> None:
        try:
            parse(body)
        except ParseError as exc:
            message = str(exc)
        else:
            message = "parsed"
        assert message  # a ParseError names the input and the rule; anything else fails here

    fuzz()
