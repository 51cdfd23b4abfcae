-- Nines state store, schema version 2: the notify pipeline's alerts, acknowledgements
-- and alert history. Same SQL rules as V1 (see docs/store.md): types both SQLite and
-- PostgreSQL accept, ids from Java, timestamps as BIGINT epoch milliseconds.

-- The alerts the notify pipeline holds, so that a restart loses no resolve. One row per
-- alert fingerprint (the 64 bits read as signed); labels and annotations are JSON
-- objects of strings; timeout_end is 1 when ends_at_ms came from resolve_timeout.
CREATE TABLE notify_alerts (
  fingerprint   BIGINT      NOT NULL PRIMARY KEY,
  labels        TEXT        NOT NULL,
  annotations   TEXT        NOT NULL,
  starts_at_ms  BIGINT      NOT NULL,
  ends_at_ms    BIGINT      NOT NULL,
  generator_url TEXT        NOT NULL,
  updated_at_ms BIGINT      NOT NULL,
  timeout_end   INTEGER     NOT NULL CHECK (timeout_end IN (0, 1)),
  source        VARCHAR(16) NOT NULL
);

-- Acknowledgements: one per alert fingerprint, valid for the occurrence that started at
-- alert_starts_at_ms. group_key is set when the ack came from a group ack.
CREATE TABLE alert_acks (
  fingerprint        BIGINT NOT NULL PRIMARY KEY,
  alert_starts_at_ms BIGINT NOT NULL,
  acked_at_ms        BIGINT NOT NULL,
  acked_by           TEXT   NOT NULL,
  comment            TEXT   NOT NULL,
  group_key          TEXT
);

-- Every state change of every alert, kept for the configured retention.
CREATE TABLE alert_history (
  id           VARCHAR(64) NOT NULL PRIMARY KEY,
  at_ms        BIGINT      NOT NULL,
  fingerprint  BIGINT      NOT NULL,
  alertname    TEXT        NOT NULL,
  labels       TEXT        NOT NULL,
  event        VARCHAR(16) NOT NULL
    CHECK (event IN ('FIRING', 'RESOLVED', 'SILENCED', 'UNSILENCED', 'INHIBITED',
                     'UNINHIBITED', 'ACKED', 'UNACKED', 'NOTIFIED')),
  source       VARCHAR(16) NOT NULL,
  group_key    TEXT,
  detail       TEXT        NOT NULL
);

CREATE INDEX alert_history_at ON alert_history (at_ms);
CREATE INDEX alert_history_fingerprint ON alert_history (fingerprint, at_ms);
