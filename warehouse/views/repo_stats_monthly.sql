-- dataset: repo_stats_monthly
-- description: Stars, forks and open issues per tracked repository and month, per source: Github-Ranking daily lists (value on the month's first observed day; months where the repository was in no top-100 list are absent, never zero), GitHub repository metadata (the month's latest fetch) and the weekly star history (retained stars, complete months only).
-- column repo: repository under its current owner/name (renames mapped, collectors/repos.toml)
-- column framework: framework the repository counts for: torch, tensorflow, keras, jax, transformers, mxnet, caffe, cntk, theano
-- column month: calendar month (first day)
-- column observed_date: day the value was observed (for the star history: the month's last day)
-- column stars: stars on observed_date (star history: stars still present that were added up to that day)
-- column forks: forks on observed_date (NULL for the star history)
-- column open_issues: open issues including open pull requests on observed_date (NULL for the star history)
-- column new_stars: stars gained in the month: the difference to the next month's observation when that is in the following calendar month and 25-40 days later (Github-Ranking), the month's sum (star history); NULL otherwise
-- column new_stars_days: days between the two observations behind new_stars (the month's length for the star history)
-- column source: github_ranking, github_repos (metadata) or github_stars_history
-- column method: how the value was observed: daily top-100 list, repository metadata, weekly star history (retained stars)
-- column flags: comma-separated data_flags kinds that apply to the repository on observed_date ('' when none)
-- column source_url: upstream input, pinned where known
-- column raw_sha256: sha256 of the raw input
-- column load_id: the load that stored the value
CREATE OR REPLACE VIEW repo_stats_monthly AS
WITH ranking_day AS (
    -- One value per repository and day: a repository is in several lists, each fetched at a
    -- slightly different time; the row fetched last (latest pushed_at) wins.
    SELECT repo, observed_date, stars, forks, open_issues, source, source_url, raw_sha256, load_id
    FROM cur_github_ranking_rows
    QUALIFY row_number() OVER (PARTITION BY repo, observed_date
                               ORDER BY pushed_at DESC NULLS LAST, stars DESC, forks DESC,
                                        list_name) = 1
),
ranking AS (
    SELECT repo, date_trunc('month', observed_date)::DATE AS month, observed_date, stars, forks,
           open_issues, 'github_ranking' AS source, 'daily top-100 list' AS method,
           source_url, raw_sha256, load_id
    FROM ranking_day
    QUALIFY row_number() OVER (PARTITION BY repo, date_trunc('month', observed_date)
                               ORDER BY observed_date) = 1
),
ranking_flow AS (
    SELECT *, lead(stars) OVER w - stars AS delta, lead(observed_date) OVER w - observed_date AS days,
           lead(month) OVER w AS next_month
    FROM ranking WINDOW w AS (PARTITION BY repo ORDER BY month)
),
metadata AS (
    SELECT repo, date_trunc('month', observed_date)::DATE AS month, observed_date, stars, forks,
           open_issues, NULL::BIGINT AS new_stars, NULL::INTEGER AS new_stars_days,
           source, 'repository metadata' AS method, source_url, raw_sha256, load_id
    FROM cur_github_repo_snapshots
    QUALIFY row_number() OVER (PARTITION BY repo, date_trunc('month', observed_date)
                               ORDER BY observed_date DESC) = 1
),
history AS (
    SELECT repo, date_trunc('month', star_date)::DATE AS month, sum(stars_added) AS new_stars,
           max(fetched_at) AS fetched_at, any_value(source_url) AS source_url,
           max(raw_sha256) AS raw_sha256, max(load_id) AS load_id
    FROM cur_github_star_history GROUP BY ALL
),
history_months AS (
    SELECT repo, month, (month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS observed_date,
           sum(new_stars) OVER (PARTITION BY repo ORDER BY month)::BIGINT AS stars,
           NULL::BIGINT AS forks, NULL::BIGINT AS open_issues, new_stars::BIGINT AS new_stars,
           day(month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::INTEGER AS new_stars_days,
           'github_stars_history' AS source, 'weekly star history (retained stars)' AS method,
           source_url, raw_sha256, load_id, fetched_at
    FROM history
),
rows AS (
    SELECT repo, month, observed_date, stars, forks, open_issues,
           CASE WHEN next_month = month + INTERVAL 1 MONTH AND days BETWEEN 25 AND 40 THEN delta END AS new_stars,
           CASE WHEN next_month = month + INTERVAL 1 MONTH AND days BETWEEN 25 AND 40 THEN days END::INTEGER
               AS new_stars_days,
           source, method, source_url, raw_sha256, load_id
    FROM ranking_flow
    UNION ALL
    SELECT * FROM metadata
    UNION ALL
    -- complete months only: the month of the fetch is still running
    SELECT * EXCLUDE (fetched_at) FROM history_months
    WHERE month < date_trunc('month', fetched_at)::DATE
)
SELECT r.repo, coalesce(t.framework, 'other') AS framework, r.month, r.observed_date, r.stars,
       r.forks, r.open_issues, r.new_stars, r.new_stars_days, r.source, r.method,
       coalesce((SELECT string_agg(DISTINCT d.kind, ',' ORDER BY d.kind) FROM data_flags d
                 WHERE d.source = r.source AND d.subject IN ('*', r.repo)
                   AND r.observed_date BETWEEN d.period_start AND d.period_end), '') AS flags,
       r.source_url, r.raw_sha256, r.load_id
FROM rows r LEFT JOIN cur_tracked_repos t USING (repo);
