"""Stack Overflow survey ingest: real fragments, zips the tests build, the 2025 negative case."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import responses

from census_base.errors import FetchError, ParseError
from collectors._surveys import count
from collectors.stackoverflow_survey import NoFrameworksQuestion, ingest, parse_stackoverflow

SO = "stackoverflow-dev-survey"
HEADER_2018 = "Respondent,Student,Employment,Country,FrameworkWorkedWith\n"
ROWS_2018 = [
    "1,No,Employed full-time,Kenya,Django;React\n",
    '2,"Yes, full-time",Not employed,India,TensorFlow;Torch/PyTorch\n',
    "3,No,Employed full-time,India,NA\n",
    '4,"Yes, part-time",Employed part-time,Germany,TensorFlow\n',
]
SCHEMA_2018 = (
    'Column,QuestionText\nFrameworkWorkedWith,"Which of the following libraries, '
    "frameworks, and tools have you done extensive development work in over the "
    'past year?"\n'
)


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return path


def test_2023_fragment_counts_by_hand(shared_data):
    path = shared_data / SO / "2023" / "survey_results_public.csv"
    parsed = parse_stackoverflow(path.read_bytes(), str(path), 2023)
    rows = count(parsed).set_index(["segment", "framework"])
    # 595 rows; 183 are NA in MiscTechHaveWorkedWith -> 412 answered
    assert rows.loc[
        ("all", "tensorflow"), ["respondents", "answered", "segment_respondents"]
    ].tolist() == [50, 412, 595]
    assert rows.loc[("all", "torch"), "option_label"] == "Torch/PyTorch"
    assert rows.loc[("all", "torch"), "respondents"] == 34
    # ResponseId 2 (developer by profession): Electron;React Native;Tauri
    assert parsed.choices.loc[1, ["Electron", "React Native", "Tauri"]].all()
    assert parsed.choices.loc[1].sum() == 3
    assert parsed.segments.loc[1, "professional"]
    assert not parsed.segments.loc[0, "professional"]  # ResponseId 1: None of these
    assert not parsed.choices.loc[2].any()  # ResponseId 3: NA
    assert ".NET (5+)" in parsed.choices.columns  # trailing space stripped
    professional = rows.loc[("professional", "tensorflow")]
    assert professional["segment_respondents"] == 478
    assert professional["answered"] < 412


def test_2024_three_rows(shared_data):
    path = shared_data / SO / "2024" / "survey_results_public.csv"
    parsed = parse_stackoverflow(path.read_bytes(), str(path), 2024)
    assert len(parsed.choices) == 3
    assert not parsed.choices.iloc[0].any()  # NA
    assert parsed.choices.iloc[2][[".NET (5+)", ".NET MAUI"]].all()


def test_2025_has_no_frameworks_question(shared_data, ctx, con):
    folder = shared_data / SO / "2025"
    with pytest.raises(NoFrameworksQuestion, match="2025 survey has no frameworks"):
        ingest(ctx, str(folder))
    assert con.execute("SELECT count(*) FROM survey_framework_counts").fetchone()[0] == 0


def test_folder_with_2025_flags_it_and_stores_no_zeros(shared_data, ctx, con):
    ingest(ctx, str(shared_data / SO))
    years = [
        r[0] for r in con.execute("SELECT DISTINCT year FROM survey_shares ORDER BY 1").fetchall()
    ]
    assert 2025 not in years
    assert 2023 in years
    note = con.execute("SELECT note FROM data_flags WHERE kind = 'question_missing'").fetchone()
    assert "2025" in note[0]


def test_2018_zip_with_schema_wording(ctx, con, tmp_path):
    archive = _zip(
        tmp_path / "stack-overflow-developer-survey-2018.zip",
        {
            "survey_results_public.csv": HEADER_2018 + "".join(ROWS_2018),
            "survey_results_schema.csv": SCHEMA_2018,
            "README_2018.txt": "ODbL",
        },
    )
    ingest(ctx, str(archive))
    rows = {
        (s, f): (r, a)
        for s, f, r, a in con.execute(
            "SELECT segment, framework, respondents, answered FROM survey_shares "
            "WHERE survey = 'stackoverflow' AND year = 2018"
        ).fetchall()
    }
    assert rows[("all", "tensorflow")] == (2, 3)  # respondent 3 answered NA
    assert rows[("student", "torch")] == (1, 2)
    assert not any(s == "professional" for s, _ in rows)  # no MainBranch in 2018
    question = con.execute("SELECT DISTINCT question FROM survey_shares").fetchone()[0]
    assert question.startswith("Which of the following libraries, frameworks, and tools")


def test_missing_column_is_a_clear_error(ctx, con, tmp_path):
    archive = _zip(
        tmp_path / "stack-overflow-developer-survey-2021.zip",
        {"survey_results_public.csv": "ResponseId,MainBranch,Country\n1,x,India\n"},
    )
    with pytest.raises(ParseError, match="2021: missing column MiscTechHaveWorkedWith"):
        ingest(ctx, str(archive))
    assert con.execute("SELECT count(*) FROM _loads WHERE status = 'ok'").fetchone()[0] == 0


def test_year_from_folder_name(ctx, con, tmp_path):
    folder = tmp_path / "2019"
    folder.mkdir()
    (folder / "survey_results_public.csv").write_text(
        "Respondent,MainBranch,Country,MiscTechWorkedWith\n"
        "1,I am a developer by profession,France,TensorFlow;Keras\n"
        "2,I am a student who is learning to code,France,NA\n"
    )
    ingest(ctx, str(tmp_path))
    assert con.execute(
        "SELECT respondents, answered, question_code FROM survey_shares WHERE "
        "year = 2019 AND segment = 'professional' AND framework = 'keras'"
    ).fetchone() == (1, 1, "MiscTechWorkedWith")


@responses.activate
def test_official_zip_by_url(ctx, con, tmp_path):
    url = "https://survey.stackoverflow.co/datasets/stack-overflow-developer-survey-2019.zip"
    archive = _zip(
        tmp_path / "download.zip",
        {
            "survey_results_public.csv": "Respondent,MainBranch,Country,MiscTechWorkedWith\n"
            "1,I am a developer by profession,Chile,Torch/PyTorch\n"
        },
    )
    responses.add(responses.GET, url, body=archive.read_bytes(), content_type="application/zip")
    ingest(ctx, url)
    row = con.execute(
        "SELECT source_url, respondents, answered FROM survey_shares "
        "WHERE year = 2019 AND segment = 'all' AND framework = 'torch'"
    ).fetchone()
    assert row == (url, 1, 1)


@responses.activate
def test_missing_zip_url_is_a_fetch_error(ctx, con):
    url = "https://survey.stackoverflow.co/datasets/stack-overflow-developer-survey-2025.zip"
    responses.add(responses.GET, url, status=404, body="Not Found")
    with pytest.raises(FetchError, match="HTTP 404"):
        ingest(ctx, url)
    assert con.execute("SELECT count(*) FROM survey_framework_counts").fetchone()[0] == 0
