-- Internal: maps each 30-day snapshot to the calendar month its window mostly covers
-- (the month of window_end_date - 15 days). When two snapshots map to one month, `pick` = 1
-- marks the one whose window ends closest to the first day of the next month.
CREATE OR REPLACE VIEW pypi_monthly_windows AS
WITH mapped AS (
    SELECT *, date_trunc('month', window_end_date - INTERVAL 15 DAY)::DATE AS month
    FROM cur_pypi_download_snapshots WHERE window_days = 30
)
SELECT *,
       row_number() OVER (
           PARTITION BY package, month
           ORDER BY abs(date_diff('day', window_end_date, (month + INTERVAL 1 MONTH)::DATE)),
                    window_end_date DESC) AS pick,
       count(*) OVER (PARTITION BY package, month) AS snapshots_in_month
FROM mapped;
