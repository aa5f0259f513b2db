-- dataset: pypi_download_breakdowns
-- description: Daily PyPI downloads by Python minor version and by operating system (pypistats, mirrors excluded, last 180 days).
-- column package: PyPI project name
-- column date: the UTC day counted
-- column dimension: python_minor or system
-- column category: the Python minor version ('3.12') or system ('Linux', 'Windows', 'Darwin', 'other'); 'null' where upstream does not know it
-- column downloads: downloads that day in that category
-- column share_of_day: downloads / all downloads of the package that day in the same dimension
-- column source: source name (pypistats)
-- column source_url: the request that returned the value
-- column fetched_at: when it was fetched (UTC)
-- column raw_sha256: sha256 of the raw response
-- column load_id: the load that stored this version
CREATE OR REPLACE VIEW pypi_download_breakdowns AS
SELECT package, download_date AS date, dimension, category, downloads,
       downloads / nullif(sum(downloads) OVER (PARTITION BY package, download_date, dimension),
                          0)::DOUBLE AS share_of_day,
       source, source_url, fetched_at, raw_sha256, load_id
FROM cur_pypi_download_breakdowns_daily;
