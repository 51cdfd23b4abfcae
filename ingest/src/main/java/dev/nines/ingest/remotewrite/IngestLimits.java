package dev.nines.ingest.remotewrite;

/**
 * Limits of a push receiver (remote-write or OTLP), validated once and then read-only.
 *
 * @param maxBodyBytes the largest request body accepted as sent on the wire (compressed); larger
 *     requests get 413. The server should also stop reading past this many bytes.
 * @param maxDecompressedBytes the largest body accepted after decompression; larger gets 413. This
 *     is checked before any buffer is allocated (a snappy block states its decompressed length).
 * @param samplesPerSecond the sustained samples/s rate over which requests get 429; 0 turns the
 *     limit off
 * @param burstSamples how many samples may arrive at once above the sustained rate (the token
 *     bucket's capacity); ignored when the rate limit is off
 */
public record IngestLimits(
    long maxBodyBytes, long maxDecompressedBytes, long samplesPerSecond, long burstSamples) {

  /** 32 MiB on the wire, 128 MiB decompressed, no rate limit. */
  public static final IngestLimits DEFAULT =
      new IngestLimits(32L << 20, 128L << 20, 0, 0).validate();

  /**
   * Checks the values and returns this.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public IngestLimits validate() {
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("maxBodyBytes must be > 0, got " + maxBodyBytes);
    }
    if (maxDecompressedBytes <= 0 || maxDecompressedBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxDecompressedBytes must be in (0, 2 GiB), got " + maxDecompressedBytes);
    }
    if (samplesPerSecond < 0) {
      throw new IllegalArgumentException("samplesPerSecond must be >= 0, got " + samplesPerSecond);
    }
    if (samplesPerSecond > 0 && burstSamples <= 0) {
      throw new IllegalArgumentException(
          "burstSamples must be > 0 when samplesPerSecond is set, got " + burstSamples);
    }
    return this;
  }

  /** These limits with a samples/s rate limit; the burst defaults to one second's worth. */
  public IngestLimits withRate(long samplesPerSecond, long burstSamples) {
    return new IngestLimits(maxBodyBytes, maxDecompressedBytes, samplesPerSecond, burstSamples)
        .validate();
  }

  /** These limits with other body size limits. */
  public IngestLimits withBodyLimits(long maxBodyBytes, long maxDecompressedBytes) {
    return new IngestLimits(maxBodyBytes, maxDecompressedBytes, samplesPerSecond, burstSamples)
        .validate();
  }
}
