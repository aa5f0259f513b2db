-- Internal: adoption-index signals (docs/ARCHITECTURE.md, "Signals"): works per year naming
-- PyTorch / TensorFlow, one signal per bibliographic source. A year not yet over is flagged
-- 'partial_year'.
CREATE OR REPLACE VIEW signal_bibliographic_works AS
SELECT source || '_works' AS signal,
       CASE source WHEN 'openalex' THEN 'OpenAlex works naming the framework (title/abstract)'
                   WHEN 'arxiv' THEN 'arXiv papers naming the framework (metadata)'
                   ELSE source END AS signal_label,
       make_date(year, 1, 1) AS period, 'year' AS granularity, framework,
       works::DOUBLE AS value,
       CASE WHEN is_partial_year THEN 'partial_year' ELSE '' END AS flags, source
FROM paper_counts_yearly;
