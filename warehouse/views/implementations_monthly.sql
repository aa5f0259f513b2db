-- dataset: implementations_monthly
-- description: Papers with Code archive (frozen July 2025): repositories implementing papers, per framework and month of the paper (the archive has no repository creation date).
-- column framework: torch | tensorflow | jax | mxnet | none (no framework detected) | other
-- column month: month of the linked paper (first day): its arXiv submission month from the id, or its date in papers-with-abstracts
-- column month_basis: arxiv_id | paper_date
-- column repos: distinct repositories linked to papers of that month
-- column links: paper-repository links
-- column official_links: links marked is_official upstream
-- column source: source name
-- column source_url: the archive file read
-- column raw_sha256: sha256 of the archive file
-- column load_id: the load that stored the value
CREATE OR REPLACE VIEW implementations_monthly AS
SELECT framework, month, month_basis, repos, links, official_links, source, source_url,
       raw_sha256, load_id
FROM cur_pwc_implementations_monthly;
