-- Internal: the one order of preference between the GitHub star sources (1 = preferred):
-- the Github-Ranking daily lists, else repository metadata, else the weekly star history.
-- signal_github_stars and the repositories figures (analysis/repositories.py) both read it.
CREATE OR REPLACE VIEW github_source_priority AS
SELECT * FROM (VALUES ('github_ranking', 1), ('github_repos', 2), ('github_stars_history', 3))
    AS t(source, priority);
