-- dataset: paper_mentions
-- description: Conference papers mentioning each framework, latest version of each source and method only (of each venue-year for full-text runs) (older published versions: paper_mentions_versions).
-- column venue: conference (CVPR, ICCV, ECCV, ACL, EMNLP, NAACL, ICML, ICLR, NeurIPS, AISTATS, COLT, ...)
-- column venue_family: vision (CVPR/ICCV/ECCV), nlp (ACL/EMNLP/NAACL), general_ml (ICML/ICLR/NeurIPS) or other_ml
-- column year: conference year
-- column framework: torch | tensorflow | jax: papers counted for it; both | neither | excluded: see method
-- column papers: number of papers in that row (meaning per method: docs/papers.md)
-- column total_papers: papers in the conference (published total, or papers in the list)
-- column method: published | flags_any | flags_article_rule | fulltext_synonyms
-- column version: date of the version shown (the latest for this source and method, or venue-year for full text)
-- column version_ref: upstream commit (He) or proceedings index URL (full text)
-- column conference_month: month of the conference as published (MM/YY), NULL for recounts
-- column flags: comma-separated data_flags kinds for this venue-year ('' when none)
-- column source: source name (see the sources table)
-- column source_url: upstream file, pinned to its commit where known
-- column raw_sha256: sha256 of the raw input
-- column load_id: the load that stored the value
CREATE OR REPLACE VIEW paper_mentions AS
SELECT venue, venue_family, year, framework, papers, total_papers, method, version,
       version_ref, conference_month, flags, source, source_url, raw_sha256, load_id
FROM paper_mentions_versions
WHERE is_latest_version;
