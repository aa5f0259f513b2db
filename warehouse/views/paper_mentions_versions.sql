-- dataset: paper_mentions_versions
-- description: Conference papers mentioning each framework, every version and method side by side (published He data.csv versions, flag recounts, full-text counts); never sum across versions.
-- column venue: conference (CVPR, ICCV, ECCV, ACL, EMNLP, NAACL, ICML, ICLR, NeurIPS, AISTATS, COLT, ...)
-- column venue_family: vision (CVPR/ICCV/ECCV), nlp (ACL/EMNLP/NAACL), general_ml (ICML/ICLR/NeurIPS) or other_ml
-- column year: conference year
-- column framework: torch | tensorflow | jax: papers counted for it; both | neither | excluded: see method
-- column papers: number of papers in that row (meaning per method: docs/papers.md)
-- column total_papers: papers in the conference (published total, or papers in the list)
-- column method: published (He's data.csv) | flags_any (recount: every flagged paper) | flags_article_rule (recount: google.com/fb.com papers and papers mentioning both left out) | fulltext_synonyms (this package's PDF pipeline)
-- column version: date of the published version / input the counts come from
-- column is_latest_version: true for the newest version of this source and method (per venue-year for full-text runs)
-- column version_ref: upstream commit (He) or proceedings index URL (full text)
-- column conference_month: month of the conference as published (MM/YY), NULL for recounts
-- column flags: comma-separated data_flags kinds for this venue-year ('' when none; not_recounted is reported in paper_recount_comparison)
-- column source: source name (see the sources table)
-- column source_url: upstream file, pinned to its commit where known
-- column raw_sha256: sha256 of the raw input
-- column load_id: the load that stored the value
CREATE OR REPLACE VIEW paper_mentions_versions AS
-- A published data.csv version is a whole file: its latest version is per source and method.
-- A full-text run covers one conference-year: its latest version is per venue and year.
WITH scoped AS (
    SELECT *, CASE WHEN method = 'fulltext_synonyms' THEN venue || '-' || year::VARCHAR
                   ELSE '' END AS version_scope
    FROM cur_paper_mention_counts
),
latest AS (
    SELECT source, method, version_scope, max(version_date) AS latest_version
    FROM scoped GROUP BY ALL
)
SELECT p.venue,
       CASE WHEN p.venue IN ('CVPR', 'ICCV', 'ECCV') THEN 'vision'
            WHEN p.venue IN ('ACL', 'EMNLP', 'NAACL') THEN 'nlp'
            WHEN p.venue IN ('ICML', 'ICLR', 'NeurIPS') THEN 'general_ml'
            ELSE 'other_ml' END AS venue_family,
       p.year, p.framework, p.papers, p.total_papers, p.method,
       p.version_date AS version, p.version_date = l.latest_version AS is_latest_version,
       p.version_ref, p.conference_month,
       coalesce((SELECT string_agg(DISTINCT d.kind, ',' ORDER BY d.kind) FROM data_flags d
                 WHERE d.source = p.source AND d.subject IN ('*', p.venue)
                   AND d.kind NOT IN ('not_recounted', 'no_affiliation_flags')
                   AND make_date(p.year, 7, 1) BETWEEN d.period_start AND d.period_end), '')
           AS flags,
       p.source, p.source_url, p.raw_sha256, p.load_id
FROM scoped p JOIN latest l USING (source, method, version_scope);
