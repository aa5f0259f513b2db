-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- Stack Overflow questions per month for the tags pytorch, tensorflow, keras and jax, one source
-- per month (qa_signal_sources: never two archive vintages mixed within a month). The month where
-- the source changes is flagged method_break; interpolated months carry their data_flags kind.
CREATE OR REPLACE VIEW signal_qa_questions AS
SELECT 'qa_questions' AS signal,
       'Stack Overflow questions per tag' AS signal_label,
       q.month AS period, 'month' AS granularity,
       CASE q.tag WHEN 'pytorch' THEN 'torch' ELSE q.tag END AS framework,
       q.questions::DOUBLE AS value,
       concat_ws(',',
           CASE WHEN s.source_changed THEN 'method_break' END,
           nullif(coalesce((SELECT string_agg(DISTINCT d.kind, ',' ORDER BY d.kind)
                            FROM data_flags d
                            WHERE d.source = q.source AND d.subject IN ('*', q.tag)
                              AND q.month BETWEEN d.period_start AND d.period_end), ''), '')
       ) AS flags,
       q.source
FROM cur_qa_tag_questions_monthly q
JOIN qa_signal_sources s ON s.month = q.month AND s.source = q.source
WHERE q.tag IN ('pytorch', 'tensorflow', 'keras', 'jax');
