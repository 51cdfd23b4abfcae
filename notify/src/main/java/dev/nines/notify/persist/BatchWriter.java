package dev.nines.notify.persist;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-behind queue with group commit: one thread drains what was submitted and hands it to the
 * sink as one batch (one transaction). A caller that needs durability waits on the future that
 * {@link #submit} returns; it completes when the batch holding the item has committed.
 *
 * <p>A failed batch is logged, counted and retried (after a pause) with what was submitted
 * meanwhile, so a database outage delays writes rather than losing them while the process runs.
 * {@link #close()} writes what is queued once more, then stops.
 *
 * <p>{@link #submitAll} queues a list as one item with one future, so that a caller handing over
 * ten thousand values (one rule evaluation) pays for one queue node and one future, not ten
 * thousand; the values of one item always commit together.
 */
public final class BatchWriter<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
  private static final int MAX_BATCH = 5_000;

  private record Item<T>(List<T> values, CompletableFuture<Void> done) {}

  private final String name;
  private final Consumer<List<T>> sink;
  private final LinkedBlockingQueue<Item<T>> queue = new LinkedBlockingQueue<>();
  private final AtomicLong failures = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;

  /** Starts the writer thread; {@code sink} writes one batch in one transaction. */
  public BatchWriter(String name, Consumer<List<T>> sink) {
    this.name = name;
    this.sink = sink;
    this.thread = Thread.ofPlatform().name("notify-writer-" + name).daemon().start(this::run);
  }

  /** Queues {@code value}; the future completes when it is committed. */
  public CompletableFuture<Void> submit(T value) {
    return enqueue(List.of(value));
  }

  /** Queues every value as one item; the future completes when all are committed. */
  public CompletableFuture<Void> submitAll(List<T> values) {
    if (values.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return enqueue(List.copyOf(values));
  }

  private CompletableFuture<Void> enqueue(List<T> values) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new IllegalStateException(name + " writer is closed"));
      return done;
    }
    queue.add(new Item<>(values, done));
    return done;
  }

  /** How many batches failed to write. */
  public long failures() {
    return failures.get();
  }

  private void run() {
    List<Item<T>> batch = new ArrayList<>();
    while (true) {
      try {
        if (batch.isEmpty()) {
          Item<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (closing && queue.isEmpty()) {
              return;
            }
            continue;
          }
          batch.add(first);
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
        if (write(batch)) {
          batch.clear();
        } else if (closing) {
          fail(batch);
          batch.clear();
          return;
        } else {
          Thread.sleep(1000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(batch);
        return;
      }
    }
  }

  private boolean write(List<Item<T>> batch) {
    List<T> values = new ArrayList<>(batch.size());
    for (Item<T> item : batch) {
      values.addAll(item.values());
    }
    try {
      sink.accept(values);
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      log.atError()
          .addKeyValue("writer", name)
          .addKeyValue("items", values.size())
          .addKeyValue("err", e.getMessage())
          .log("notify state write failed; will retry");
      return false;
    }
    for (Item<T> item : batch) {
      item.done().complete(null);
    }
    return true;
  }

  private void fail(List<Item<T>> batch) {
    for (Item<T> item : batch) {
      item.done().completeExceptionally(new IllegalStateException(name + " write failed"));
    }
  }

  /** Writes what is queued, then stops the thread. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Item<T>> left = new ArrayList<>();
    queue.drainTo(left);
    fail(left);
  }
}
