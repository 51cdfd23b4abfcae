package dev.nines.store;

/** The database a {@link Store} runs on; chosen by the JDBC URL. */
public enum Dialect {
  /** SQLite, embedded in the process: the default, one file in the data folder. */
  SQLITE,
  /** PostgreSQL, for production and for several replicas sharing state. */
  POSTGRESQL
}
