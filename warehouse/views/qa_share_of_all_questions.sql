-- dataset: qa_share_of_all_questions
-- description: Questions per framework tag as a share of ALL Stack Overflow questions in the month (the denominator: SEDE daily totals, queried 2025-03, deleted questions excluded). Stack Overflow itself has been shrinking, so a falling tag count is not falling use; the share is the like-for-like measure. Only complete months of the denominator are shown; a month without both counts has no row.
-- column tag: Stack Overflow tag (lower case)
-- column month: first day of the month
-- column source: archive of the tag count (the denominator is always stackoverflow_sede)
-- column questions: questions that month carrying the tag
-- column all_questions: all questions asked that month (sum of the SEDE daily totals)
-- column share_of_all: questions / all_questions
-- column same_vintage: true when the tag count comes from the same SEDE export as the denominator (otherwise the tag count was taken earlier and includes questions deleted since, so the share runs slightly high)
-- column interpolated: true when the tag count is an interpolated estimate
CREATE OR REPLACE VIEW qa_share_of_all_questions AS
WITH totals AS (
    SELECT date_trunc('month', day)::DATE AS month, sum(questions) AS all_questions,
           count(*) AS days
    FROM cur_qa_questions_daily_totals
    GROUP BY 1
)
SELECT q.tag, q.month, q.source, q.questions, t.all_questions,
       q.questions / t.all_questions AS share_of_all,
       q.source = 'stackoverflow_sede' AS same_vintage,
       EXISTS (SELECT 1 FROM data_flags d
               WHERE d.source = q.source AND d.subject IN ('*', q.tag)
                 AND d.kind = 'interpolated'
                 AND q.month BETWEEN d.period_start AND d.period_end) AS interpolated
FROM cur_qa_tag_questions_monthly q
JOIN totals t ON t.month = q.month
WHERE q.tag IN ('pytorch', 'tensorflow', 'keras', 'jax')
  AND t.days = day(last_day(t.month)) AND t.all_questions > 0
ORDER BY q.tag, q.month, q.source;
