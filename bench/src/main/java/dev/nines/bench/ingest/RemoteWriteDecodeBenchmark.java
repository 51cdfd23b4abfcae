package dev.nines.bench.ingest;

import dev.nines.common.Labels;
import dev.nines.ingest.remotewrite.IngestLimits;
import dev.nines.ingest.remotewrite.IngestResponse;
import dev.nines.ingest.remotewrite.IngestStats;
import dev.nines.ingest.remotewrite.MetadataSink;
import dev.nines.ingest.remotewrite.RemoteWriteHandler;
import dev.nines.ingest.remotewrite.prompb.Label;
import dev.nines.ingest.remotewrite.prompb.Sample;
import dev.nines.ingest.remotewrite.prompb.TimeSeries;
import dev.nines.ingest.remotewrite.prompb.WriteRequest;
import dev.nines.tsdb.storage.Appender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xerial.snappy.Snappy;

/**
 * Remote-write 1.0 decode and handle throughput, in samples per second on one thread: a request of
 * 1,000 series with one sample each (what a Prometheus shard sends with default queue settings,
 * labels shaped like node exporter's: name, job, instance and three more), snappy block-compressed,
 * through {@link RemoteWriteHandler#handle} into an appender that does nothing. So the figure is
 * the receiver's own cost (snappy, protobuf, validation, label sets), not storage's and not HTTP's.
 *
 * <p>{@code @OperationsPerInvocation(1000)} makes JMH's ops/s read directly as samples/s.
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar
 * bench/target/benchmarks.jar RemoteWriteDecodeBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RemoteWriteDecodeBenchmark {
  private static final int SERIES = 1000;

  private byte[] body;
  private RemoteWriteHandler handler;

  /** An appender that accepts everything and keeps nothing. */
  private static final Appender NO_OP =
      new Appender() {
        @Override
        public long append(long ref, Labels labels, long timestamp, double value) {
          return 1;
        }

        @Override
        public void commit() {}

        @Override
        public void rollback() {}
      };

  @Setup
  public void setup() {
    WriteRequest.Builder req = WriteRequest.newBuilder();
    long t = 1_700_000_000_000L;
    for (int i = 0; i < SERIES; i++) {
      req.addTimeseries(
          TimeSeries.newBuilder()
              .addLabels(label("__name__", "node_network_receive_bytes_total"))
              .addLabels(label("device", "eth" + (i % 16)))
              .addLabels(label("instance", "host-" + (i / 16) + ".example.com:9100"))
              .addLabels(label("job", "node"))
              .addLabels(label("mode", i % 2 == 0 ? "user" : "system"))
              .addLabels(label("series", Integer.toString(i)))
              .addSamples(Sample.newBuilder().setValue(i * 1.5).setTimestamp(t)));
    }
    try {
      body = Snappy.compress(req.build().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    handler =
        new RemoteWriteHandler(
            () -> NO_OP, IngestLimits.DEFAULT, new IngestStats(), MetadataSink.NONE);
    IngestResponse r = handler.handle(body, "application/x-protobuf", "snappy", "0.1.0");
    if (r.status() != 204) {
      throw new IllegalStateException("benchmark request refused: " + r);
    }
  }

  private static Label label(String name, String value) {
    return Label.newBuilder().setName(name).setValue(value).build();
  }

  /** One request of 1,000 samples; the score is samples/s. */
  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int handle() {
    return handler.handle(body, "application/x-protobuf", "snappy", "0.1.0").status();
  }
}
