-- dataset: paper_counts_yearly
-- description: Works per publication year that match each framework's synonym list, from live bibliographic APIs (OpenAlex, arXiv); latest observation of each count.
-- column source: openalex | arxiv
-- column query_term: synonym-list key the query was built from (collectors/framework_synonyms.toml)
-- column framework: torch | tensorflow | jax
-- column year: publication year (OpenAlex) or submission year (arXiv)
-- column works: number of works the source reported for the query and year
-- column query: the exact search sent (no secrets)
-- column observed_date: date the count was observed (counts grow as indexes fill)
-- column is_partial_year: true when the year had not ended on observed_date
-- column source_url: the request URL (secrets redacted)
-- column raw_sha256: sha256 of the raw response
-- column load_id: the load that stored the value
CREATE OR REPLACE VIEW paper_counts_yearly AS
SELECT source, query_term, framework, year, works, query, observed_date,
       observed_date < make_date(year + 1, 1, 1) AS is_partial_year,
       source_url, raw_sha256, load_id
FROM cur_bibliographic_counts_yearly
QUALIFY row_number() OVER (PARTITION BY source, query_term, year ORDER BY observed_date DESC) = 1;
