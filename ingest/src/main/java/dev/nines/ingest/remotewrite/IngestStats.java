package dev.nines.ingest.remotewrite;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one push receiver (one instance for remote-write, one for OTLP), for the server to
 * export as self metrics. All counters only grow; they are {@link LongAdder}s so that concurrent
 * requests do not contend.
 */
public final class IngestStats {
  private final LongAdder bytesReceived = new LongAdder();
  private final LongAdder seriesReceived = new LongAdder();
  private final LongAdder samplesReceived = new LongAdder();
  private final LongAdder samplesWritten = new LongAdder();
  private final LongAdder histogramsReceived = new LongAdder();
  private final LongAdder exemplarsReceived = new LongAdder();
  private final LongAdder exemplarsDropped = new LongAdder();
  private final LongAdder metadataReceived = new LongAdder();
  private final LongAdder samplesRateLimited = new LongAdder();
  private final LongAdder metadataSinkErrors = new LongAdder();
  private final EnumMap<RefusalReason, LongAdder> refused = new EnumMap<>(RefusalReason.class);
  private final ConcurrentHashMap<Integer, LongAdder> requests = new ConcurrentHashMap<>();

  /** Fresh counters at zero. */
  public IngestStats() {
    for (RefusalReason r : RefusalReason.values()) {
      refused.put(r, new LongAdder());
    }
  }

  /** Counts a request answered with {@code status}. */
  public void request(int status) {
    requests.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  /** Counts request body bytes as received. */
  public void bytes(long n) {
    bytesReceived.add(n);
  }

  /** Counts series decoded. */
  public void series(long n) {
    seriesReceived.add(n);
  }

  /** Counts samples decoded. */
  public void samples(long n) {
    samplesReceived.add(n);
  }

  /** Counts samples written and committed. */
  public void written(long n) {
    samplesWritten.add(n);
  }

  /** Counts native histogram samples decoded. */
  public void histograms(long n) {
    histogramsReceived.add(n);
  }

  /** Counts exemplars received and dropped. */
  public void exemplars(long received, long dropped) {
    exemplarsReceived.add(received);
    exemplarsDropped.add(dropped);
  }

  /** Counts metadata entries received. */
  public void metadata(long n) {
    metadataReceived.add(n);
  }

  /** Counts a metadata entry that the {@link MetadataSink} threw on. */
  public void metadataSinkError() {
    metadataSinkErrors.increment();
  }

  /** Metadata entries the {@link MetadataSink} threw on (lost). */
  public long metadataSinkErrors() {
    return metadataSinkErrors.sum();
  }

  /** Counts samples in requests answered 429. */
  public void rateLimited(long n) {
    samplesRateLimited.add(n);
  }

  /** Counts samples refused for {@code reason}. */
  public void refused(RefusalReason reason, long samples) {
    refused.get(reason).add(samples);
  }

  /** Request bodies received, in bytes as sent (compressed). */
  public long bytesReceived() {
    return bytesReceived.sum();
  }

  /** Series (remote-write time series, OTLP data points' series) decoded. */
  public long seriesReceived() {
    return seriesReceived.sum();
  }

  /** Float samples decoded from accepted requests (OTLP: Prometheus samples after translation). */
  public long samplesReceived() {
    return samplesReceived.sum();
  }

  /** Samples written to storage and committed. */
  public long samplesWritten() {
    return samplesWritten.sum();
  }

  /** Native histogram samples received (all refused for now). */
  public long histogramsReceived() {
    return histogramsReceived.sum();
  }

  /** Exemplars received. */
  public long exemplarsReceived() {
    return exemplarsReceived.sum();
  }

  /** Exemplars dropped because storage keeps none yet. */
  public long exemplarsDropped() {
    return exemplarsDropped.sum();
  }

  /** Metadata entries received (remote-write 1.0 metadata, 2.0 per-series metadata). */
  public long metadataReceived() {
    return metadataReceived.sum();
  }

  /** Samples in requests answered 429. */
  public long samplesRateLimited() {
    return samplesRateLimited.sum();
  }

  /** Samples (or data points, or histograms) refused for one reason. */
  public long refused(RefusalReason reason) {
    return refused.get(reason).sum();
  }

  /** Refused counts by reason, every reason present. */
  public Map<RefusalReason, Long> refusedByReason() {
    EnumMap<RefusalReason, Long> out = new EnumMap<>(RefusalReason.class);
    refused.forEach((r, a) -> out.put(r, a.sum()));
    return out;
  }

  /** Requests answered with one status code. */
  public long requests(int status) {
    LongAdder a = requests.get(status);
    return a == null ? 0 : a.sum();
  }

  /** Requests by status code, sorted by code. */
  public Map<Integer, Long> requestsByStatus() {
    TreeMap<Integer, Long> out = new TreeMap<>();
    requests.forEach((s, a) -> out.put(s, a.sum()));
    return out;
  }
}
