package dev.nines.notify.nflog;

import dev.nines.notify.persist.BatchWriter;
import dev.nines.store.NotificationLogEntry;
import dev.nines.store.NotificationLogKey;
import dev.nines.store.NotificationLogRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The notification log: per group, receiver and integration, what was last sent. Read from memory
 * (loaded from the store at start); every {@link #record} is committed to the store before it
 * returns, several concurrent records sharing one transaction.
 */
public final class NotificationLog implements AutoCloseable {
  private final NotificationLogRepository repository;
  private final Map<NotificationLogKey, NotificationLogEntry> entries = new ConcurrentHashMap<>();
  private final BatchWriter<NotificationLogEntry> writer;

  /** Loads the stored entries. */
  public NotificationLog(NotificationLogRepository repository) {
    this.repository = repository;
    for (NotificationLogEntry e : repository.list()) {
      entries.put(e.key(), e);
    }
    this.writer = new BatchWriter<>("nflog", repository::upsertAll);
  }

  /** The last entry for this key, or null. */
  public @Nullable NotificationLogEntry get(NotificationLogKey key) {
    return entries.get(key);
  }

  /**
   * Records a notification and waits until it is committed.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void record(NotificationLogEntry entry) throws InterruptedException {
    entries.put(entry.key(), entry);
    try {
      writer.submit(entry).get();
    } catch (ExecutionException e) {
      // Kept in memory; the writer has logged the failure. The next notification writes again.
    }
  }

  /** Every entry held. */
  public List<NotificationLogEntry> list() {
    return List.copyOf(entries.values());
  }

  /** Deletes entries expired at {@code now}, in memory and in the store. */
  public int collect(Instant now) {
    entries.values().removeIf(e -> !e.expiresAt().isAfter(now));
    return repository.deleteExpired(now);
  }

  /** Failed batch writes so far. */
  public long writeFailures() {
    return writer.failures();
  }

  @Override
  public void close() {
    writer.close();
  }
}
