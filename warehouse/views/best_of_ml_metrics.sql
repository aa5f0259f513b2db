-- dataset: best_of_ml_metrics
-- description: Weekly metrics of the framework repositories from best-of-ml-python, 2020-11 .. 2025-06: GitHub dependents ('Used by', the GitHub field only; empty dates stay NULL, never the upstream fallback to PyPI dependents), and the cumulative conda and Docker Hub totals turned into increments since the previous snapshot. No increment is computed across a conda channel change or a fall of a cumulative total (both are in data_flags).
-- column github_id: repository (owner/name)
-- column framework: torch, tensorflow, keras or jax (NULL for other projects)
-- column snapshot_date: date of the upstream weekly snapshot
-- column days_since_previous: days since the repository's previous snapshot (NULL for the first)
-- column github_dependents: GitHub 'Used by' count (NULL when not collected that week, or implausible: below half the repository's highest earlier value, a collection error flagged implausible_value)
-- column pypi_dependents: PyPI dependents from libraries.io (often stale for months)
-- column pypi_monthly_downloads: PyPI downloads in the last month as the list's generator read them
-- column conda_id: conda channel/package whose downloads are counted
-- column conda_total_downloads: cumulative downloads of that conda package
-- column conda_increment: conda downloads since the previous snapshot (NULL across a channel change, a fall of the total, or a missing value)
-- column dockerhub_pulls: cumulative Docker Hub pulls (TensorFlow only)
-- column dockerhub_increment: Docker Hub pulls since the previous snapshot (NULL across a fall or a missing value)
CREATE OR REPLACE VIEW best_of_ml_metrics AS
WITH ordered AS (
    SELECT *,
           lag(snapshot_date) OVER w AS previous_date,
           lag(conda_id) OVER w AS previous_conda_id,
           lag(conda_total_downloads) OVER w AS previous_conda,
           lag(dockerhub_pulls) OVER w AS previous_pulls,
           max(github_dependents) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
               AS earlier_max_dependents
    FROM cur_project_metric_snapshots
    WINDOW w AS (PARTITION BY github_id ORDER BY snapshot_date)
)
SELECT github_id,
       CASE github_id WHEN 'pytorch/pytorch' THEN 'torch'
                      WHEN 'tensorflow/tensorflow' THEN 'tensorflow'
                      WHEN 'keras-team/keras' THEN 'keras'
                      WHEN 'google/jax' THEN 'jax' END AS framework,
       snapshot_date,
       datediff('day', previous_date, snapshot_date) AS days_since_previous,
       CASE WHEN github_dependents >= 0.5 * coalesce(earlier_max_dependents, 0)
            THEN github_dependents END AS github_dependents,
       pypi_dependents, pypi_monthly_downloads,
       conda_id, conda_total_downloads,
       CASE WHEN conda_id = previous_conda_id AND conda_total_downloads >= previous_conda
            THEN conda_total_downloads - previous_conda END AS conda_increment,
       dockerhub_pulls,
       CASE WHEN dockerhub_pulls >= previous_pulls THEN dockerhub_pulls - previous_pulls END
           AS dockerhub_increment
FROM ordered
ORDER BY github_id, snapshot_date;
