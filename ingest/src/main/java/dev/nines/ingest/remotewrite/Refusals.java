package dev.nines.ingest.remotewrite;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one request did not write, and why: counts per {@link RefusalReason}, and the first few
 * offending series by name for the response message. Counts go to {@link IngestStats} as they are
 * recorded. One instance per request; not thread-safe.
 */
public final class Refusals {
  /** How many offending series or metrics a message names before it says "and N more". */
  public static final int MAX_NAMED = 10;

  private final IngestStats stats;
  private final EnumMap<RefusalReason, Long> counts = new EnumMap<>(RefusalReason.class);
  private final StringBuilder named = new StringBuilder();
  private int namedCount;
  private int unnamedCount;
  private long total;
  private Object lastWhat = "";
  private RefusalReason lastReason = RefusalReason.INVALID_DATA_POINT;

  /** Refusals of one request, counted into {@code stats}. */
  public Refusals(IngestStats stats) {
    this.stats = stats;
  }

  /**
   * Records {@code n} samples (or data points) refused for {@code reason}. {@code what} names the
   * series or metric; its {@code toString()} is only called when the message will show it. The same
   * series refused several times in a row for the same reason is named once.
   */
  public void refuse(RefusalReason reason, Object what, long n) {
    counts.merge(reason, n, Long::sum);
    total += n;
    stats.refused(reason, n);
    if (reason == lastReason && Objects.equals(what, lastWhat)) {
      return;
    }
    lastReason = reason;
    lastWhat = what;
    if (namedCount < MAX_NAMED) {
      if (namedCount > 0) {
        named.append("; ");
      }
      named.append(what).append(": ").append(reason.description());
      namedCount++;
    } else {
      unnamedCount++;
    }
  }

  /** Whether nothing was refused. */
  public boolean isEmpty() {
    return total == 0;
  }

  /** Samples (or data points) refused in all. */
  public long total() {
    return total;
  }

  /** Refused counts by reason, for tests and logs. */
  public Map<RefusalReason, Long> counts() {
    return new EnumMap<>(counts);
  }

  /**
   * The response message: {@code "<what> <written> written, <n> refused (reason: n, ...): <series>:
   * <why>; ... and N more"}.
   */
  public String message(String writtenWhat, long written) {
    StringBuilder out = new StringBuilder();
    out.append(written).append(' ').append(writtenWhat).append(" written, ");
    out.append(total).append(" refused (");
    boolean first = true;
    for (Map.Entry<RefusalReason, Long> e : counts.entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      out.append(e.getKey().label()).append(": ").append(e.getValue());
    }
    out.append("): ").append(named);
    if (unnamedCount > 0) {
      out.append("; and ").append(unnamedCount).append(" more");
    }
    return out.toString();
  }
}
