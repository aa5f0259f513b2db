-- dataset: conda_downloads
-- description: Monthly conda downloads per package and conda channel (anaconda-package-data), summed over versions, platforms and Python versions.
-- column pkg_name: conda package name (pytorch, tensorflow, keras, jax, ...)
-- column data_source: conda channel as upstream names it (anaconda, conda-forge, pytorch, ...)
-- column family: framework family (warehouse/families.toml, conda names)
-- column role: core, companion or dependency within the family
-- column month: calendar month (first day)
-- column downloads: sum of upstream `counts` in that month
-- column source: source name (conda)
-- column source_url: the Parquet file read (URL or local file)
-- column fetched_at: when it was read (UTC)
-- column raw_sha256: sha256 of the local file, or of the archived aggregate of a remote file
-- column load_id: the load that stored this version
CREATE OR REPLACE VIEW conda_downloads AS
SELECT c.pkg_name, c.data_source, f.family, f.role, c.month, c.downloads, c.source,
       c.source_url, c.fetched_at, c.raw_sha256, c.load_id
FROM cur_conda_downloads_monthly c
LEFT JOIN channel_package_families f ON f.channel = 'conda' AND f.package = c.pkg_name;
