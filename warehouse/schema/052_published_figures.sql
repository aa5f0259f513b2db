-- Headline figures as published (blog posts, reports), entered by hand with their citation.
CREATE TABLE published_figure_values (
    figure_id          VARCHAR NOT NULL,  -- stable id of the row in collectors/published_figures.csv
    publisher          VARCHAR NOT NULL,  -- who published it (author, site)
    url                VARCHAR NOT NULL,  -- where it was published
    publication_date   DATE NOT NULL,     -- when (first day of the month/year when less precise)
    date_precision     VARCHAR NOT NULL,  -- day | month | year
    population         VARCHAR NOT NULL,  -- who or what was measured
    period_year        INTEGER,           -- the year the figure describes
    metric             VARCHAR NOT NULL,  -- what was measured
    framework          VARCHAR NOT NULL,  -- torch, tensorflow, keras, scikit-learn, '*' (not framework-specific)
    value              DOUBLE NOT NULL,   -- the number as published (percent or count, see unit)
    unit               VARCHAR NOT NULL,  -- percent | count
    qualifier          VARCHAR NOT NULL,  -- exact | at_least | about
    compare_survey     VARCHAR,           -- survey_shares.survey measuring the same population, if any
    compare_segment    VARCHAR,           -- survey_shares.segment measuring the same population, if any
    notes              VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,
    source_url         VARCHAR NOT NULL,
    fetched_at         TIMESTAMPTZ NOT NULL,
    raw_sha256         VARCHAR NOT NULL,
    load_id            VARCHAR NOT NULL,
    PRIMARY KEY (figure_id, load_id)
);
