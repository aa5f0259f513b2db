-- Internal: the one definition of "downloads of a framework" on any channel: its core
-- packages only (companions and automatic dependencies would double count; the roles are in
-- warehouse/families.toml), summed per channel, source, family and month. Sources overlap
-- within a channel: a reader picks one (pypi_core_monthly, signal_conda_downloads, the
-- channel figure in reports/figures/downloads_channels.py).
CREATE OR REPLACE VIEW core_downloads_monthly AS
SELECT channel, source, family, month, sum(downloads) AS downloads,
       string_agg(DISTINCT NULLIF(flags, ''), ',') AS flags,
       string_agg(DISTINCT package, ',' ORDER BY package) AS packages,
       max(load_id) AS load_id
FROM downloads_monthly
WHERE role = 'core' AND family <> 'reference'
GROUP BY channel, source, family, month;
