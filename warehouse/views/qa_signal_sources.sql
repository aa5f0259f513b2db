-- Internal: the one Stack Overflow source used for each month of the Q&A signal, and whether it
-- differs from the previous month's (a method break: another archive vintage).
-- Vintages of record: the archived 'stackindex' table to 2019-12, nschloe/stackoverflow-trends
-- 2020-01 .. 2023-05, SEDE (2025-03) from 2023-06. A live API month (stackexchange_api) is
-- preferred where present; any other source fills a month only when the source of record for it
-- is not loaded.
CREATE OR REPLACE VIEW qa_signal_sources AS
WITH ranked AS (
    SELECT month, source,
           CASE
               WHEN source = 'stackexchange_api' THEN 0
               WHEN source = 'stackoverflow_tag_trends' AND month <= DATE '2019-12-01' THEN 1
               WHEN source = 'stackoverflow_trends_nschloe'
                    AND month BETWEEN DATE '2020-01-01' AND DATE '2023-05-01' THEN 1
               WHEN source = 'stackoverflow_sede' AND month >= DATE '2023-06-01' THEN 1
               WHEN source = 'stackoverflow_trends_nschloe' THEN 2
               WHEN source = 'stackoverflow_tag_trends' THEN 3
               ELSE 4
           END AS priority
    FROM cur_qa_tag_questions_monthly
    WHERE tag IN ('pytorch', 'tensorflow', 'keras', 'jax')
    GROUP BY month, source
),
chosen AS (
    SELECT month, source FROM ranked
    QUALIFY row_number() OVER (PARTITION BY month ORDER BY priority, source) = 1
)
SELECT month, source,
       lag(source) OVER (ORDER BY month) AS previous_source,
       coalesce(lag(source) OVER (ORDER BY month) <> source, false) AS source_changed
FROM chosen;
