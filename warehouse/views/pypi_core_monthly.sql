-- Internal: the one definition of "PyPI downloads of a framework" that shares are computed on.
-- Core packages only (companions and automatic dependencies would double count), one source
-- only (the top-pypi archive: PyPI sources overlap in downloads_monthly), per month and family.
-- Read by signal_pypi_downloads (the adoption index) and reports/figures/downloads.py.
CREATE OR REPLACE VIEW pypi_core_monthly AS
SELECT month, family, sum(downloads) AS downloads,
       string_agg(DISTINCT NULLIF(flags, ''), ',') AS flags,
       string_agg(DISTINCT package, ',' ORDER BY package) AS packages,
       max(load_id) AS load_id, any_value(source) AS source
FROM downloads_monthly
WHERE channel = 'pypi' AND source = 'top_pypi' AND role = 'core' AND family <> 'reference'
GROUP BY month, family;
