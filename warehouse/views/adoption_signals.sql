-- dataset: adoption_signals
-- description: The signals behind the adoption index and the headline, one row per signal, period and framework (every signal_* view, in the signal contract of docs/ARCHITECTURE.md). The PyTorch share is computed from these rows by analysis/trends (torch / (torch + tensorflow) in the same period); a period where one framework is missing has no share.
-- column signal: the signal's id, e.g. pypi_downloads, github_stars
-- column signal_label: human label of the signal
-- column period: start of the period (first of the month, or Jan 1 for a year)
-- column granularity: month or year
-- column framework: torch, tensorflow (some signals also jax, keras)
-- column value: the signal's measure for that framework in that period (counts, shares, ...; see the report's Methodology for each signal's denominator)
-- column flags: '' or comma-separated data_flags kinds for that period (method breaks, partial periods, ...)
-- column source: the source (sources.name) the row comes from
CREATE OR REPLACE VIEW adoption_signals AS
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_bibliographic_works
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_conda_channel_downloads
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_conda_downloads
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_edge_runtime_downloads
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_github_dependents
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_github_stars
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_hub_models
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_job_postings
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_paper_mentions
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_pwc_implementations
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_pypi_downloads
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_qa_questions
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_survey_kaggle
UNION ALL
SELECT signal, signal_label, period::DATE AS period, granularity, framework,
       value::DOUBLE AS value, flags, source FROM signal_survey_kaggle_professional
ORDER BY signal, period, framework;
