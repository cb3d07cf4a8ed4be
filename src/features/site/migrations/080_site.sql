-- 080_site.sql — what an admin sets for the whole site, in one row (id 1):
-- the site's name (header, browser tab), the organisation responsible for
-- it and its contact details (footer), the privacy statement and the
-- accessibility statement (Markdown) with the statement's status in the
-- Dutch model (full, partial, first_measures, no_measures) and the date of
-- the last accessibility check, and the logo (an SVG or PNG, base64, with
-- a hash of its bytes for its address). version goes up with every change,
-- so each node (and each node's page cache) knows to reload its copy.

CREATE TABLE site_settings (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  version         BIGINT NOT NULL DEFAULT 1,
  site_name       TEXT NOT NULL DEFAULT 'openplan',
  org_name        TEXT NOT NULL DEFAULT '',
  contact_email   TEXT NOT NULL DEFAULT '',
  contact_phone   TEXT NOT NULL DEFAULT '',
  contact_address TEXT NOT NULL DEFAULT '',
  contact_url     TEXT NOT NULL DEFAULT '',
  privacy         TEXT NOT NULL DEFAULT '',
  accessibility   TEXT NOT NULL DEFAULT '',
  a11y_status     TEXT NOT NULL DEFAULT 'no_measures'
                  CHECK (a11y_status IN ('full', 'partial', 'first_measures', 'no_measures')),
  a11y_checked_on TEXT NOT NULL DEFAULT '',
  logo_type       TEXT NOT NULL DEFAULT '' CHECK (logo_type IN ('', 'image/png', 'image/svg+xml')),
  logo_data       TEXT NOT NULL DEFAULT '',
  logo_hash       TEXT NOT NULL DEFAULT '',
  updated_at      BIGINT NOT NULL DEFAULT 0,
  updated_by      INTEGER REFERENCES users(id) ON DELETE SET NULL
);
INSERT INTO site_settings (id) VALUES (1);
