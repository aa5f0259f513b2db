-- dataset: downloads_daily
-- description: Daily downloads per package from the live sources (pypistats, ClickHouse PyPI, npm), one row per source, package, day and upstream series.
-- column source: source name (pypistats, clickhouse_pypi, npm; see the sources table)
-- column channel: distribution channel: pypi or npm
-- column package: package name in its channel
-- column family: framework family (warehouse/families.toml), NULL if the package is not mapped
-- column role: core, companion or dependency within the family
-- column date: the UTC day counted
-- column downloads: downloads that day, as counted upstream
-- column mirrors_included: true when mirror downloads (bandersnatch, devpi, ...) are counted, false when excluded, NULL where the source has no such notion (npm)
-- column series: upstream series name: with_mirrors / without_mirrors (pypistats), all (others)
-- column source_url: the request that returned the value
-- column fetched_at: when it was fetched (UTC)
-- column raw_sha256: sha256 of the raw response
-- column load_id: the load that stored this version
CREATE OR REPLACE VIEW downloads_daily AS
SELECT d.source, d.channel, d.package, f.family, f.role, d.download_date AS date, d.downloads,
       d.mirrors_included, d.series, d.source_url, d.fetched_at, d.raw_sha256, d.load_id
FROM cur_package_downloads_daily d
LEFT JOIN channel_package_families f ON f.channel = d.channel AND f.package = d.package;
