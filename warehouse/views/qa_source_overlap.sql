-- dataset: qa_source_overlap
-- description: Stack Overflow questions per tag for the months two archive vintages both cover, side by side. Each archive counts the questions that still existed when it was taken, so the later archive is usually lower (deleted questions); the two are never spliced into one series without a flagged break.
-- column tag: Stack Overflow tag (lower case)
-- column month: first day of the month
-- column earlier_source: the archive taken first (stackoverflow_tag_trends < stackoverflow_trends_nschloe < stackoverflow_sede < stackexchange_api)
-- column earlier_questions: questions in that month by the earlier archive
-- column later_source: the archive taken later
-- column later_questions: questions in that month by the later archive
-- column difference: later_questions - earlier_questions (negative: questions deleted in between, or a different count)
-- column ratio: later_questions / earlier_questions (NULL when the earlier count is 0)
-- column interpolated: true when either value is an interpolated estimate (data_flags kind interpolated)
CREATE OR REPLACE VIEW qa_source_overlap AS
WITH vintaged AS (
    SELECT tag, month, source, questions,
           CASE source
               WHEN 'stackoverflow_tag_trends' THEN 1
               WHEN 'stackoverflow_trends_nschloe' THEN 2
               WHEN 'stackoverflow_sede' THEN 3
               ELSE 4
           END AS vintage,
           EXISTS (SELECT 1 FROM data_flags d
                   WHERE d.source = q.source AND d.subject IN ('*', q.tag)
                     AND d.kind = 'interpolated'
                     AND q.month BETWEEN d.period_start AND d.period_end) AS interpolated
    FROM cur_qa_tag_questions_monthly q
)
SELECT a.tag, a.month,
       a.source AS earlier_source, a.questions AS earlier_questions,
       b.source AS later_source, b.questions AS later_questions,
       b.questions - a.questions AS difference,
       CASE WHEN a.questions > 0 THEN b.questions / a.questions END AS ratio,
       a.interpolated OR b.interpolated AS interpolated
FROM vintaged a
JOIN vintaged b ON a.tag = b.tag AND a.month = b.month AND a.vintage < b.vintage
ORDER BY a.tag, a.month, a.vintage, b.vintage;
