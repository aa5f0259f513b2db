-- Internal: the one definition of the FIXED venue set per family that conference-paper shares
-- compare year to year, like for like: the venues He counted in every year 2018-2020 (NAACL,
-- ICCV and ECCV are not annual). Read by signal_paper_mentions and by the papers chart
-- (reports/figures/papers.py), which passes it to analysis.papers.
CREATE OR REPLACE VIEW paper_fixed_venues AS
SELECT * FROM (
    VALUES ('general_ml', 'ICLR'), ('general_ml', 'ICML'), ('general_ml', 'NeurIPS'),
           ('nlp', 'ACL'), ('nlp', 'EMNLP'), ('vision', 'CVPR')
) AS fixed(venue_family, venue);
