-- dataset: data_flags
-- description: Method breaks, anomalous and missing periods per source; flagged periods are shown, never dropped or interpolated.
-- column source: source the flag concerns
-- column subject: package / repository / venue concerned, '*' for every series of the source
-- column period: the flagged period as 'YYYY-MM-DD..YYYY-MM-DD'
-- column period_start: first day of the flagged period
-- column period_end: last day of the flagged period
-- column kind: method_break | anomalous_low | anomalous_high | undercount | missing_period | duplicate_window | ...
-- column note: what happened and why it matters
-- column origin: stored (written by a load, with load_id) or derived (computed by this view from the stored rows)
-- column load_id: the load that stored the flag (NULL when derived)
CREATE OR REPLACE VIEW data_flags AS
WITH months AS (
    SELECT DISTINCT month FROM pypi_monthly_windows
),
missing AS (
    SELECT m.month::DATE AS month
    FROM (SELECT unnest(generate_series(min(month), max(month), INTERVAL 1 MONTH)) AS month
          FROM months) m
    WHERE m.month::DATE NOT IN (SELECT month FROM months)
),
duplicates AS (
    SELECT month, string_agg(DISTINCT window_end_date::VARCHAR, ', '
                             ORDER BY window_end_date::VARCHAR) AS ends
    FROM pypi_monthly_windows WHERE snapshots_in_month > 1 GROUP BY month
)
SELECT source, subject,
       period_start::VARCHAR || '..' || period_end::VARCHAR AS period,
       period_start, period_end, kind, note, 'stored' AS origin, load_id
FROM cur_quality_flags
UNION ALL
SELECT 'top_pypi', '*', month::VARCHAR || '..' || (month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE::VARCHAR,
       month, (month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE, 'missing_period',
       'No upstream 30-day snapshot covers this month; it is left empty, not interpolated.',
       'derived', NULL
FROM missing
UNION ALL
SELECT 'top_pypi', '*', month::VARCHAR || '..' || (month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE::VARCHAR,
       month, (month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE, 'duplicate_window',
       'Snapshots ending ' || ends || ' all cover this month; downloads_monthly uses the one ending closest to the month end.',
       'derived', NULL
FROM duplicates;
