-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- Stack Overflow questions per month for the tags pytorch, tensorflow, keras and jax. Where the
-- archive and the live API both hold a month, the API value is used.
CREATE OR REPLACE VIEW signal_qa_questions AS
SELECT 'qa_questions' AS signal,
       'Stack Overflow questions per tag' AS signal_label,
       q.month AS period, 'month' AS granularity,
       CASE q.tag WHEN 'pytorch' THEN 'torch' ELSE q.tag END AS framework,
       q.questions::DOUBLE AS value,
       coalesce((SELECT string_agg(DISTINCT d.kind, ',' ORDER BY d.kind) FROM data_flags d
                 WHERE d.source = q.source AND d.subject IN ('*', q.tag)
                   AND q.month BETWEEN d.period_start AND d.period_end), '') AS flags,
       q.source
FROM cur_qa_tag_questions_monthly q
WHERE q.tag IN ('pytorch', 'tensorflow', 'keras', 'jax')
QUALIFY row_number() OVER (PARTITION BY q.tag, q.month
                           ORDER BY q.source = 'stackexchange_api' DESC) = 1;
