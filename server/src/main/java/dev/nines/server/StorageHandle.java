package dev.nines.server;

import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;

/**
 * The time-series storage as the HTTP routes see it. Routes are registered when the listener
 * starts, before the WAL has been replayed; this handle lets them be built then and reach the tsdb
 * once it is open. Until then {@code /api/*} answers 503 (see {@code StatusRoutes}), so the handle
 * is never used early; if it were, it fails loudly rather than writing nowhere.
 */
final class StorageHandle implements Appendable, Queryable {
  private volatile Tsdb tsdb;

  void set(Tsdb tsdb) {
    this.tsdb = tsdb;
  }

  /** The open tsdb; fails loudly before it is open. */
  Tsdb tsdb() {
    Tsdb t = tsdb;
    if (t == null) {
      throw new IllegalStateException("time-series storage is not open yet");
    }
    return t;
  }

  @Override
  public Appender appender() {
    return tsdb().appender();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return tsdb().querier(mint, maxt);
  }
}
