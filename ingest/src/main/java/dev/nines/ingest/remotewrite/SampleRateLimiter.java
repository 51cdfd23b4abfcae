package dev.nines.ingest.remotewrite;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The samples/s limit of a push receiver: a token bucket (Bucket4j) holding {@code burstSamples}
 * tokens, refilled greedily at {@code samplesPerSecond}. A request takes one token per sample, all
 * or nothing; a request larger than the whole bucket takes a full bucket, so that it is slowed down
 * rather than refused forever. Thread-safe.
 */
public final class SampleRateLimiter {
  private final Bucket bucket;
  private final long capacity;

  private SampleRateLimiter(Bucket bucket, long capacity) {
    this.bucket = bucket;
    this.capacity = capacity;
  }

  /** The limiter for these limits, or null when they set no rate. */
  public static @Nullable SampleRateLimiter of(IngestLimits limits) {
    if (limits.samplesPerSecond() <= 0) {
      return null;
    }
    Bucket bucket =
        Bucket.builder()
            .addLimit(
                l ->
                    l.capacity(limits.burstSamples())
                        .refillGreedy(limits.samplesPerSecond(), Duration.ofSeconds(1)))
            .build();
    return new SampleRateLimiter(bucket, limits.burstSamples());
  }

  /**
   * Takes tokens for {@code samples} samples.
   *
   * @return 0 when taken; otherwise the whole seconds to wait before trying again (at least 1), for
   *     the Retry-After header
   */
  public long tryAcquire(long samples) {
    long n = Math.min(Math.max(samples, 1), capacity);
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(n);
    if (probe.isConsumed()) {
      return 0;
    }
    long nanos = probe.getNanosToWaitForRefill();
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }
}
