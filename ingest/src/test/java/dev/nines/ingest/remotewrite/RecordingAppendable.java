package dev.nines.ingest.remotewrite;

import dev.nines.common.Labels;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Appender;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A test {@link Appendable} that records committed samples, can refuse samples with a chosen {@link
 * AppendException.Reason}, and can fail on commit like a broken disk.
 */
public final class RecordingAppendable implements Appendable {
  /** One committed sample. */
  public record Appended(Labels labels, long t, double v) {}

  private final List<Appended> committed = new ArrayList<>();
  private Function<Labels, AppendException.Reason> refuse = l -> null;
  private boolean failCommit;
  private int rollbacks;

  /** Refuses every sample whose labels make {@code rule} answer a reason (null = accept). */
  public RecordingAppendable refusing(Function<Labels, AppendException.Reason> rule) {
    this.refuse = rule;
    return this;
  }

  /** Makes every commit throw, as a storage failure would. */
  public RecordingAppendable failingCommit() {
    this.failCommit = true;
    return this;
  }

  /** Samples committed so far, in append order. */
  public synchronized List<Appended> committed() {
    return List.copyOf(committed);
  }

  /** The committed samples of one metric name. */
  public synchronized List<Appended> named(String metric) {
    return committed.stream().filter(a -> metric.equals(a.labels().metricName())).toList();
  }

  /** Forgets every committed sample but {@code keep}. */
  public synchronized void retainOnly(List<Appended> keep) {
    committed.retainAll(keep);
  }

  /** How many batches were rolled back. */
  public synchronized int rollbacks() {
    return rollbacks;
  }

  @Override
  public Appender appender() {
    return new Appender() {
      private final List<Appended> batch = new ArrayList<>();

      @Override
      public long append(long ref, Labels labels, long timestamp, double value)
          throws AppendException {
        AppendException.Reason reason = refuse.apply(labels);
        if (reason != null) {
          throw new AppendException(reason, reason + " for " + labels);
        }
        batch.add(new Appended(labels, timestamp, value));
        return labels.hash64() | 1;
      }

      @Override
      public void commit() {
        if (failCommit) {
          throw new IllegalStateException("disk full");
        }
        synchronized (RecordingAppendable.this) {
          committed.addAll(batch);
        }
        batch.clear();
      }

      @Override
      public void rollback() {
        batch.clear();
        synchronized (RecordingAppendable.this) {
          rollbacks++;
        }
      }
    };
  }
}
