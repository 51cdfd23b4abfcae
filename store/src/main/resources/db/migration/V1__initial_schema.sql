-- Nines state store, schema version 1: silences, notification log, alert state.
--
-- One migration set runs on both SQLite and PostgreSQL, so this file keeps to the
-- SQL both accept: BIGINT, INTEGER, TEXT, VARCHAR(n), CHECK, composite primary keys,
-- REFERENCES ... ON DELETE CASCADE. Ids are generated in Java (UUID strings) and every
-- timestamp is a BIGINT of epoch milliseconds (UTC). See docs/store.md.

-- Alertmanager silences. Matchers live in their own table (one row per matcher).
CREATE TABLE silences (
  id            VARCHAR(64) NOT NULL PRIMARY KEY,
  starts_at_ms  BIGINT      NOT NULL,
  ends_at_ms    BIGINT      NOT NULL,
  created_by    TEXT        NOT NULL,
  comment       TEXT        NOT NULL,
  updated_at_ms BIGINT      NOT NULL,
  CHECK (ends_at_ms >= starts_at_ms)
);

CREATE INDEX silences_ends_at ON silences (ends_at_ms);

CREATE TABLE silence_matchers (
  silence_id  VARCHAR(64) NOT NULL REFERENCES silences (id) ON DELETE CASCADE,
  ordinal     INTEGER     NOT NULL,
  label_name  TEXT        NOT NULL,
  label_value TEXT        NOT NULL,
  match_type  VARCHAR(16) NOT NULL
    CHECK (match_type IN ('EQUAL', 'NOT_EQUAL', 'REGEX', 'NOT_REGEX')),
  PRIMARY KEY (silence_id, ordinal)
);

-- Alertmanager's notification log: what was last sent for one aggregation group to
-- one integration of one receiver. Fingerprint sets are comma-separated unsigned
-- decimals in ascending order ('' for none).
CREATE TABLE notification_log (
  group_key         TEXT    NOT NULL,
  receiver          TEXT    NOT NULL,
  integration       TEXT    NOT NULL,
  integration_index INTEGER NOT NULL,
  timestamp_ms      BIGINT  NOT NULL,
  firing_alerts     TEXT    NOT NULL,
  resolved_alerts   TEXT    NOT NULL,
  expires_at_ms     BIGINT  NOT NULL,
  PRIMARY KEY (group_key, receiver, integration, integration_index)
);

CREATE INDEX notification_log_expires_at ON notification_log (expires_at_ms);

-- Pending and firing alerts of alerting rules, per rule group and alert fingerprint,
-- so that a restart keeps each alert's activeAt (the "for" clock). last_value is the
-- sample value as Java's Double.toString writes it (NaN and Infinity survive);
-- labels and annotations are JSON objects of strings.
CREATE TABLE alert_state (
  rule_group    TEXT        NOT NULL,
  fingerprint   BIGINT      NOT NULL,
  state         VARCHAR(16) NOT NULL CHECK (state IN ('PENDING', 'FIRING')),
  active_at_ms  BIGINT      NOT NULL,
  fired_at_ms   BIGINT,
  last_value    TEXT        NOT NULL,
  labels        TEXT        NOT NULL,
  annotations   TEXT        NOT NULL,
  updated_at_ms BIGINT      NOT NULL,
  PRIMARY KEY (rule_group, fingerprint)
);
