-- dataset: repo_events
-- description: Dated events of the tracked repositories for chart annotations: releases (GitHub releases API) and renames first seen in the Github-Ranking lists.
-- column repo: repository under its current owner/name
-- column framework: framework the repository counts for
-- column event_date: release publication day; for a rename, the first day the new name was observed (the rename happened between last_seen_before and this day)
-- column kind: release | prerelease | rename
-- column label: release tag, or 'old/name -> new/name'
-- column is_major: TRUE for a release whose tag is a new major version (X.0.0 or X.0)
-- column last_seen_before: for a rename, the last day the old name was observed (NULL otherwise)
-- column source: github_repos (releases) or github_ranking (renames)
-- column source_url: upstream input
-- column load_id: the load that stored the fact
CREATE OR REPLACE VIEW repo_events AS
WITH releases AS (
    SELECT repo, published_at::DATE AS event_date,
           CASE WHEN prerelease THEN 'prerelease' ELSE 'release' END AS kind, tag_name AS label,
           NOT prerelease AND regexp_matches(tag_name, '^[^0-9]*[0-9]+\.0(\.0)?$') AS is_major,
           NULL::DATE AS last_seen_before, source, source_url, load_id
    FROM cur_github_releases WHERE NOT draft AND published_at IS NOT NULL
),
names AS (
    SELECT repo, listed_as, min(observed_date) AS first_seen, max(observed_date) AS last_seen,
           any_value(source_url ORDER BY observed_date) AS source_url, max(load_id) AS load_id
    FROM cur_github_ranking_rows GROUP BY repo, listed_as
),
renames AS (
    -- names that differ only in letter case are the same name on GitHub
    SELECT n.repo, n.first_seen AS event_date, 'rename' AS kind,
           o.listed_as || ' -> ' || n.listed_as AS label, FALSE AS is_major,
           o.last_seen AS last_seen_before, 'github_ranking' AS source, n.source_url, n.load_id
    FROM names n JOIN names o ON o.repo = n.repo AND lower(o.listed_as) <> lower(n.listed_as)
                              AND o.last_seen < n.first_seen
    QUALIFY row_number() OVER (PARTITION BY n.repo, n.listed_as ORDER BY o.last_seen DESC) = 1
)
SELECT e.repo, coalesce(t.framework, 'other') AS framework, e.event_date, e.kind, e.label,
       e.is_major, e.last_seen_before, e.source, e.source_url, e.load_id
FROM (SELECT * FROM releases UNION ALL SELECT * FROM renames) e
LEFT JOIN cur_tracked_repos t USING (repo);
