"""Kaggle survey ingest: every staged year, the 2020 layout, denominators, failure modes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from census_base.errors import ParseError
from collectors._surveys import count, framework_id
from collectors.kaggle_survey import decode, ingest, parse_kaggle

FIXTURE_2020 = Path("kaggle_survey/2020/kaggle_survey_2020_responses.csv")
FIXTURE_2017 = Path("kaggle_survey/2017/multipleChoiceResponses.csv")
STAGED = {
    2017: "2017/multipleChoiceResponses.csv",
    2018: "2018/multipleChoiceResponses.csv",
    2019: "2019/multiple_choice_responses.csv",
    2021: "2021/kaggle_survey_2021_responses.csv",
    2022: "2022/kaggle_survey_2022_responses.csv",
}


def _parse(path: Path):
    return parse_kaggle(decode(path.read_bytes(), str(path)), str(path))


def _share_rows(con, year: int, segment: str = "all") -> dict[str, tuple[int, int]]:
    rows = con.execute(
        "SELECT framework, respondents, answered FROM survey_shares "
        "WHERE survey = 'kaggle' AND year = ? AND segment = ?",
        [year, segment],
    ).fetchall()
    return {f: (r, a) for f, r, a in rows}


def test_2020_layout_is_parsed_and_counted(fixtures):
    parsed = _parse(fixtures / FIXTURE_2020)
    assert parsed.year == 2020
    assert parsed.question_code == "Q16"
    assert parsed.question.startswith("Which of the following machine learning frameworks")
    # respondent 1 (India, Student): Scikit-learn, TensorFlow, PyTorch; padded labels stripped
    first = parsed.choices.iloc[0]
    assert first[["Scikit-learn", "TensorFlow", "PyTorch"]].all()
    assert not first[["Keras", "JAX", "None", "Other"]].any()
    rows = count(parsed).set_index(["segment", "framework"])
    # 7 respondents, 6 answered (the not-employed one left the question blank)
    assert rows.loc[
        ("all", "torch"), ["respondents", "answered", "segment_respondents"]
    ].tolist() == [3, 6, 7]
    assert rows.loc[("all", "tensorflow"), "respondents"] == 3
    assert rows.loc[("all", "none"), "respondents"] == 1
    assert rows.loc[("student", "torch"), ["respondents", "answered"]].tolist() == [1, 2]
    assert rows.loc[("data_scientist", "jax"), ["respondents", "answered"]].tolist() == [1, 2]
    # professional excludes students and the not-employed: DS x2, SWE, research scientist
    assert rows.loc[("professional", "tensorflow"), "answered"] == 4
    assert rows.loc[("country:India", "torch"), ["respondents", "answered"]].tolist() == [2, 2]


def test_2017_cp1252_work_tools(fixtures):
    parsed = _parse(fixtures / FIXTURE_2017)
    assert parsed.year == 2017
    assert "TensorFlow" in parsed.choices.columns
    assert "PyTorch" not in parsed.choices.columns  # not offered: no row, never a zero
    rows = count(parsed).set_index(["segment", "framework"])
    assert rows.loc[("all", "tensorflow"), ["respondents", "answered"]].tolist() == [2, 3]
    assert rows.loc[("professional", "tensorflow"), "answered"] == 3
    assert "country:Côte d'Ivoire" in set(rows.reset_index()["segment"])
    assert "country:China" in set(rows.reset_index()["segment"])  # alias of the 2017 spelling
    assert not any(s == "student" for s, _ in rows.index)  # no student question kept in 2017


def test_framework_ids_harmonise_labels():
    assert framework_id(" PyTorch ") == framework_id("Torch/PyTorch") == "torch"
    assert framework_id("  Scikit-learn ") == framework_id("Scikit-Learn") == "scikit-learn"
    assert framework_id(" H2O 3 ") == "h2o-3"


@pytest.mark.parametrize("year", sorted(STAGED))
def test_every_staged_year_by_hand(shared_data, year):
    path = shared_data / "kaggle-ml-ds-survey" / STAGED[year]
    parsed = _parse(path)
    assert parsed.year == year
    choices = parsed.choices
    if year == 2017:  # 4th respondent: Python but not TensorFlow (wants it next year)
        assert not choices.iloc[3]["TensorFlow"]
        assert choices.iloc[3]["Python"]
        assert choices.iloc[0]["Perl"]
        assert not choices.iloc[1].any()
        assert len(choices) == 16716
    elif year == 2018:  # first respondents answered None; question: past 5 years
        assert choices.iloc[0]["None"]
        assert not choices.iloc[0]["TensorFlow"]
        assert "past 5 years" in parsed.question
    elif year == 2019:  # France/Software Engineer: None; India: no answer at all
        assert choices.iloc[0]["None"]
        assert not choices.iloc[1].any()
        assert "regular basis" in parsed.question
    elif year == 2021:  # India/Other: Scikit-learn, TensorFlow, Caret
        assert choices.iloc[0][["Scikit-learn", "TensorFlow", "Caret"]].all()
        assert choices.iloc[0].sum() == 3
    else:  # 2022 BOM file; Algeria: Scikit-learn, TensorFlow, PyTorch
        assert not choices.iloc[0].any()
        assert choices.iloc[1][["Scikit-learn", "TensorFlow", "PyTorch"]].all()
        assert choices.iloc[2]["PyTorch Lightning"]
    # the denominator is who answered, counted straight from the raw cells
    assert count(parsed).query("segment == 'all'")["answered"].iloc[0] == choices.any(axis=1).sum()


def test_ingest_folder_denominators_and_idempotence(shared_data, ctx, con):
    folder = shared_data / "kaggle-ml-ds-survey"
    written = ingest(ctx, str(folder))
    assert written > 0
    years = [
        r[0] for r in con.execute("SELECT DISTINCT year FROM survey_shares ORDER BY 1").fetchall()
    ]
    assert years == [2017, 2018, 2019, 2021, 2022]
    # 2018 by hand from the raw file: 9,981 chose TensorFlow; 23,859 - 5,163 left Q19 blank
    assert _share_rows(con, 2018)["tensorflow"] == (9981, 18696)
    assert _share_rows(con, 2022)["jax"] == (252, 16240)
    assert "torch" not in _share_rows(con, 2017)


def test_ingest_twice_leaves_the_same_rows(fixtures, ctx, con):
    folder = fixtures / "kaggle_survey"
    assert ingest(ctx, str(folder)) > 0
    before = con.execute(
        "SELECT * EXCLUDE (load_id) FROM survey_framework_counts ORDER BY ALL"
    ).fetchall()
    assert ingest(ctx, str(folder)) == 0
    after = con.execute(
        "SELECT * EXCLUDE (load_id) FROM survey_framework_counts ORDER BY ALL"
    ).fetchall()
    assert after == before
    assert [
        r[0] for r in con.execute("SELECT DISTINCT year FROM survey_shares ORDER BY 1").fetchall()
    ] == [2017, 2020]


def test_zip_input_and_2020_via_folder(fixtures, ctx, con, tmp_path):
    archive = tmp_path / "kaggle-survey-2020.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("kaggle_survey_2020_responses.csv", (fixtures / FIXTURE_2020).read_bytes())
        zf.writestr("supplementary_data/readme.txt", "not a csv")
    ingest(ctx, str(archive))
    assert _share_rows(con, 2020)["torch"] == (3, 6)
    low, high = con.execute(
        "SELECT ci_low, ci_high FROM survey_shares WHERE year = 2020 "
        "AND segment = 'all' AND framework = 'torch'"
    ).fetchone()
    assert low < 3 / 6 < high


def test_bad_input_names_file_and_stores_nothing(fixtures, ctx, con, tmp_path):
    bad = tmp_path / "2021" / "kaggle_survey_2021_responses.csv"
    bad.parent.mkdir()
    bad.write_text("Time from Start to Finish (seconds),Q3,Q5\nDuration,Country?,Role?\n1,India,\n")
    good = tmp_path / "2020" / "kaggle_survey_2020_responses.csv"
    good.parent.mkdir()
    good.write_bytes((fixtures / FIXTURE_2020).read_bytes())
    with pytest.raises(ParseError, match=r"2021.*missing column\(s\) \['Q16_Part_\*'\]"):
        ingest(ctx, str(tmp_path))
    assert con.execute("SELECT count(*) FROM survey_framework_counts").fetchone()[0] == 0


def test_year_must_be_known(ctx, tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text("Time,Q3,Q5\nDuration,a,b\n")
    with pytest.raises(ParseError, match="cannot tell the survey year"):
        ingest(ctx, str(path))


def test_corrupt_zip_is_refused(ctx, tmp_path):
    path = tmp_path / "kaggle-survey-2019.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("multiple_choice_responses.csv", "x" * 1000)
    path.write_bytes(buffer.getvalue()[:200])
    with pytest.raises(ParseError, match="not a readable zip"):
        ingest(ctx, str(path))


def test_2017_wording_from_schema_next_to_it(fixtures, ctx, con, tmp_path):
    folder = tmp_path / "2017"
    folder.mkdir()
    (folder / "multipleChoiceResponses.csv").write_bytes((fixtures / FIXTURE_2017).read_bytes())
    (folder / "schema.csv").write_text(
        'Column,Question,Asked\nWorkToolsSelect,"Work tools question as worded",CodingWorker\n'
    )
    ingest(ctx, str(tmp_path))
    assert con.execute("SELECT DISTINCT question FROM survey_shares").fetchall() == [
        ("Work tools question as worded",)
    ]
