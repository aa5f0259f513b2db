-- Internal: the PyPI downloads that shares are computed on: core packages
-- (core_downloads_monthly) from one source only, the top-pypi archive (PyPI sources overlap in
-- downloads_monthly), per month and family.
-- Read by signal_pypi_downloads (the adoption index) and reports/figures/downloads.py.
CREATE OR REPLACE VIEW pypi_core_monthly AS
SELECT month, family, downloads, flags, packages, load_id, source
FROM core_downloads_monthly
WHERE channel = 'pypi' AND source = 'top_pypi';
