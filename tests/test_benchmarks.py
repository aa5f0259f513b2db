"""benchmark_runs: ingest of census bench JSONL rows, the dataset view, the report section.

The fixture is real harness output: a tiny-config suite (MLP and GPT, both frameworks, DDP and
tf.distribute rows) plus one full-size GPT run, recorded on the project's 2-core CPU machine.
"""

from __future__ import annotations

import json
import math
import shutil

import pandas as pd
import pytest

from analysis.performance import paired_ratios, summarise, throughput_ratios
from census_base.errors import ParseError
from collectors.benchmarks import ingest, parse_row
from reports.figures import performance, performance_table
from reports.figures.performance import throughput_chart

FIXTURE = "benchmarks/2026-11-22-cpu-tiny-suite.jsonl"


@pytest.fixture
def results(tmp_path, fixtures):
    folder = tmp_path / "results"
    folder.mkdir()
    shutil.copy(fixtures / FIXTURE, folder / "run.jsonl")
    return folder


def fixture_rows(fixtures) -> list[dict]:
    return [json.loads(line) for line in (fixtures / FIXTURE).read_text().splitlines()]


def test_ingest_loads_every_row_with_provenance(ctx, results):
    assert ingest(ctx, str(results)) == 11
    frame = ctx.con.execute("SELECT * FROM benchmark_runs ORDER BY started_at, run_id").df()
    assert len(frame) == 11
    gpt = frame[(frame["model"] == "gpt") & (frame["size"] == "full")].iloc[0]
    assert gpt["parameters"] == 10_794_240
    assert gpt["metric"] == "val_loss"
    assert gpt["time_to_target_s"] == pytest.approx(23.556, 1e-3)
    assert gpt["hardware"] == "AMD EPYC (2 cores)"
    assert set(frame["distributed"]) == {"none", "ddp"}
    assert frame["raw_sha256"].nunique() == 1
    assert frame["source_url"].iloc[0].endswith("run.jsonl")
    assert json.loads(gpt["config_json"])["model_config"]["n_layer"] == 6
    assert bool(frame.loc[frame["mode"] == "torch-eager", "default_mode"].all())


def test_ingest_twice_stores_nothing_new(ctx, results):
    ingest(ctx, str(results))
    assert ingest(ctx, str(results)) == 0
    assert ctx.con.execute("SELECT count(*) FROM benchmark_runs").fetchone()[0] == 11


def test_bad_line_names_file_and_line_and_stores_nothing(ctx, results):
    with (results / "run.jsonl").open("a") as handle:
        handle.write('{"run_id": "x", "model": "mlp"\n')
    with pytest.raises(ParseError, match=r"run.jsonl:12"):
        ingest(ctx, str(results))
    assert ctx.con.execute("SELECT count(*) FROM benchmark_runs").fetchone()[0] == 0


def test_row_missing_a_field_or_negative_throughput_is_rejected(fixtures):
    row = fixture_rows(fixtures)[0]
    with pytest.raises(ParseError, match="missing field"):
        parse_row("f.jsonl", 1, json.dumps({k: v for k, v in row.items() if k != "cpu_model"}))
    with pytest.raises(ParseError, match="samples_per_s"):
        parse_row("f.jsonl", 1, json.dumps({**row, "samples_per_s": -1}))


def full_size_runs(fixtures) -> pd.DataFrame:
    frame = pd.DataFrame(fixture_rows(fixtures)).assign(size="full")
    frame["hardware"] = frame["cpu_model"] + " (" + frame["cpu_cores"].astype(str) + " cores)"
    return frame


def test_summary_medians_and_ratios_by_hand(fixtures):
    runs = full_size_runs(fixtures)
    summary = summarise(runs)
    mlp = summary[summary["model"] == "mlp"].set_index("mode")
    single = runs[(runs["model"] == "mlp") & (runs["distributed"] == "none")]
    eager = single[single["mode"] == "torch-eager"]["samples_per_s"]
    assert mlp.loc["torch-eager", "samples_per_s"] == pytest.approx(eager.median())
    assert mlp.loc["torch-compile", "first_step_cold_s"] == pytest.approx(55.691, 1e-3)
    ratios = throughput_ratios(summary).set_index(["model", "comparison"])
    fastest_t = single[single["framework"] == "torch"]["samples_per_s"].max()
    fastest_k = single[single["framework"] == "tensorflow"]["samples_per_s"].max()
    assert ratios.loc[("mlp", "best"), "ratio"] == pytest.approx(fastest_t / fastest_k)
    default = ratios.loc[("mlp", "default")]
    assert default["torch_mode"] == "PyTorch eager"
    assert default["tensorflow_mode"] == "Keras fit"


def test_throughput_chart_encodes_computed_columns(fixtures):
    spec = throughput_chart(summarise(full_size_runs(fixtures))).to_dict()
    panels = spec["vconcat"]
    assert [p["title"]["text"] for p in panels] == [
        "MLP 784-128-64-10 - AMD EPYC (2 cores)",
        "char-level GPT - AMD EPYC (2 cores)",
    ]
    layers = panels[0]["layer"]
    assert layers[0]["mark"]["type"] == "bar"
    assert layers[0]["encoding"]["x"]["field"] == "samples_per_s"
    assert layers[1]["encoding"]["x2"]["field"] == "samples_per_s_max"
    datasets = spec["datasets"]
    data = panels[0].get("data") or panels[0]["layer"][0]["data"]
    mlp_rows = datasets[data["name"]]
    assert {r["model_label"] for r in mlp_rows} == {"MLP 784-128-64-10"}


def test_report_blocks_state_hardware_and_versions(ctx, results):
    ingest(ctx, str(results))
    ctx.con.execute("UPDATE reference_model_runs SET size = 'full'")
    figure = next(b for b in performance.BLOCKS if b.id == "performance-throughput")
    frame = figure.data(ctx.con)
    caption = figure.caption(frame)
    assert "AMD EPYC (2 cores)" in caption
    assert "torch 2.13.0+cpu" in caption
    assert "tensorflow 2.21.0" in caption
    assert figure.title(frame).startswith("Training samples/s, PyTorch's fastest mode")
    table = next(b for b in performance_table.BLOCKS if b.id == "performance-table").render(ctx.con)
    assert "samples/s median (min-max)" in table.markdown


def test_report_without_runs_shows_nothing(con):
    figure = next(b for b in performance.BLOCKS if b.id == "performance-latency")
    assert figure.data(con).empty


PROTOCOL = "benchmarks/2026-11-30-cpu-protocol-tiny.jsonl"  # a tiny dry run of the protocol


def test_protocol_rows_load_with_their_pairing_and_machine_facts(ctx, tmp_path, fixtures):
    folder = tmp_path / "protocol"
    folder.mkdir()
    shutil.copy(fixtures / FIXTURE, folder / "old.jsonl")
    shutil.copy(fixtures / PROTOCOL, folder / "protocol.jsonl")
    assert ingest(ctx, str(folder)) == 11 + 7
    frame = ctx.con.execute("SELECT * FROM benchmark_runs").df()
    old = frame[frame["source_url"].str.endswith("old.jsonl")]
    assert set(old["pairing"]) == {"none"}  # before the protocol: no pairing
    assert old["matmul_gflops"].isna().all()  # not measured then: NULL, not zero
    new = frame[frame["source_url"].str.endswith("protocol.jsonl")]
    assert sorted(new["pairing"].value_counts().items()) == [("default", 4), ("pilot", 3)]
    assert (new["matmul_gflops"] > 0).all()
    assert new["blas"].str.startswith("BLAS=mkl").any()
    assert "avx512f" in new["cpu_flags"].iloc[0]
    ratios = paired_ratios(frame)
    assert list(ratios["pairing"]) == ["default"]
    row = ratios.iloc[0]
    assert row["pairs"] == 2
    assert row["torch_mode"] == "torch-eager"
    assert row["tensorflow_mode"] == "keras-fit"
    default = new[new["pairing"] == "default"].set_index(["pair_id", "framework"])
    logs = [
        math.log(default.loc[(p, "torch"), "samples_per_s"])
        - math.log(default.loc[(p, "tensorflow"), "samples_per_s"])
        for p in default.index.get_level_values(0).unique()
    ]
    assert row["ratio"] == pytest.approx(math.exp(sum(logs) / 2))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pairing": "best"}, "pairing 'best'"),
        ({"pairing": "default", "pair_id": None}, "needs the pair_id"),
        ({"matmul_gflops": -3.0}, "matmul_gflops"),
    ],
)
def test_protocol_fields_are_checked(fixtures, change, message):
    row = json.loads((fixtures / PROTOCOL).read_text().splitlines()[3])
    with pytest.raises(ParseError, match=message):
        parse_row("p.jsonl", 4, json.dumps({**row, **change}))
