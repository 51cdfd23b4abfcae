/**
 * The Prometheus remote-write receiver, framework-neutral: {@link
 * dev.nines.ingest.remotewrite.RemoteWriteHandler} takes the pieces of a {@code POST /api/v1/write}
 * request (body, Content-Type, Content-Encoding, version header) and answers an {@link
 * dev.nines.ingest.remotewrite.IngestResponse} that the server module turns into HTTP.
 *
 * <p>Remote-write 1.0 ({@code prometheus.WriteRequest}) and 2.0 ({@code
 * io.prometheus.write.v2.Request}) are decoded with classes generated at build time from {@code
 * src/main/proto}. The pieces shared with the OTLP receiver live here too: limits ({@link
 * dev.nines.ingest.remotewrite.IngestLimits}), the samples/s token bucket, the self-metric counters
 * ({@link dev.nines.ingest.remotewrite.IngestStats}) and the refusal bookkeeping. Status codes and
 * partial-write behaviour are documented in {@code docs/formats/remote-write.md}. Everything in
 * this package is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.nines.ingest.remotewrite;

import org.jspecify.annotations.NullMarked;
