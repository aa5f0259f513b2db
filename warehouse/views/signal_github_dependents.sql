-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- New GitHub dependents ('Used by') of pytorch/pytorch and tensorflow/tensorflow per 30 days, a
-- flow: the rise of the stock (github_dependents_monthly, the last weekly snapshot of each month)
-- since the framework's previous known month, divided by the days between the two snapshots
-- and scaled to 30 days, credited to the later month. A fall of the stock (a recount) gives no
-- value and the month is flagged counter_reset; an increment spread over more than 45 days is
-- flagged long_gap. Both frameworks are read on the same snapshot dates, so the share compares
-- the same interval.
CREATE OR REPLACE VIEW signal_github_dependents AS
WITH steps AS (
    SELECT period, framework, flags, value,
           value - lag(value) OVER w AS increment,
           datediff('day', lag(snapshot_date) OVER w, snapshot_date) AS days
    FROM github_dependents_monthly
    WINDOW w AS (PARTITION BY framework ORDER BY period)
)
SELECT 'github_dependents' AS signal,
       'New GitHub dependents per 30 days (Used by)' AS signal_label,
       period, 'month' AS granularity, framework,
       CASE WHEN increment >= 0 THEN increment / days * 30 END::DOUBLE AS value,
       concat_ws(',', nullif(flags, ''),
                 CASE WHEN increment < 0 THEN 'counter_reset' END,
                 CASE WHEN days > 45 THEN 'long_gap' END) AS flags,
       'best_of_ml_python' AS source
FROM steps
WHERE increment IS NOT NULL AND days > 0;
