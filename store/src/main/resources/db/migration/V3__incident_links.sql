-- Nines state store, schema version 3: alert occurrences linked to incidents, and the
-- INCIDENT event in the alert history. Same SQL rules as V1 (see docs/store.md).

-- Which incident an alert occurrence led to. One row per occurrence (fingerprint and the
-- occurrence's startsAt): linking again replaces the incident. The link outlives the alert
-- (an incident is often declared, or a notification tied to it, after the alert resolved)
-- and is deleted with the alert history, after notify.history_retention. incident is an id
-- or a URL, as given; alertname is kept so the link can be read without the alert.
CREATE TABLE alert_incident_links (
  fingerprint        BIGINT NOT NULL,
  alert_starts_at_ms BIGINT NOT NULL,
  alertname          TEXT   NOT NULL,
  incident           TEXT   NOT NULL,
  linked_at_ms       BIGINT NOT NULL,
  linked_by          TEXT   NOT NULL,
  PRIMARY KEY (fingerprint, alert_starts_at_ms)
);

CREATE INDEX alert_incident_links_linked_at ON alert_incident_links (linked_at_ms);
CREATE INDEX alert_incident_links_incident ON alert_incident_links (incident);

-- alert_history.event gains INCIDENT. Neither database can change a CHECK in place in SQL the
-- other accepts (SQLite has no ALTER TABLE ... DROP CONSTRAINT), so the table is rebuilt.
-- The old table is renamed first: on PostgreSQL that takes its exclusive lock at the start of
-- this migration's transaction, so a replica of the previous release that appends history
-- meanwhile waits and then writes into the new table, instead of writing a row the copy below
-- would miss. Index names are schema-wide on PostgreSQL, so the old indexes go before the new
-- ones are created.
ALTER TABLE alert_history RENAME TO alert_history_v2;
DROP INDEX alert_history_at;
DROP INDEX alert_history_fingerprint;

CREATE TABLE alert_history (
  id           VARCHAR(64) NOT NULL PRIMARY KEY,
  at_ms        BIGINT      NOT NULL,
  fingerprint  BIGINT      NOT NULL,
  alertname    TEXT        NOT NULL,
  labels       TEXT        NOT NULL,
  event        VARCHAR(16) NOT NULL
    CHECK (event IN ('FIRING', 'RESOLVED', 'SILENCED', 'UNSILENCED', 'INHIBITED',
                     'UNINHIBITED', 'ACKED', 'UNACKED', 'NOTIFIED', 'INCIDENT')),
  source       VARCHAR(16) NOT NULL,
  group_key    TEXT,
  detail       TEXT        NOT NULL
);

INSERT INTO alert_history (id, at_ms, fingerprint, alertname, labels, event, source, group_key,
                           detail)
  SELECT id, at_ms, fingerprint, alertname, labels, event, source, group_key, detail
  FROM alert_history_v2;

DROP TABLE alert_history_v2;

CREATE INDEX alert_history_at ON alert_history (at_ms);
CREATE INDEX alert_history_fingerprint ON alert_history (fingerprint, at_ms);
