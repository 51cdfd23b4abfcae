package dev.nines.bench.peer;

import dev.nines.common.Labels;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.xerial.snappy.Snappy;

/**
 * The helper of {@code scripts/bench/tsdb-vs-prometheus.sh}: generates the data of the peer
 * comparison ({@link PeerData}) and either pushes it by remote-write 1.0 or writes it as
 * OpenMetrics text.
 *
 * <pre>
 * java -cp benchmarks.jar dev.nines.bench.peer.PeerBench push --url URL --instances N --rounds R
 *     [--first-instance I] [--senders 4] [--batch 1000] [--pid PID] [--clk-tck 100]
 * java -cp benchmarks.jar dev.nines.bench.peer.PeerBench openmetrics --out PREFIX --instances N
 *     --rounds R [--first-round 0] [--rounds-per-file R] [--first-instance I]
 * </pre>
 *
 * <p>{@code push} sends, scrape round after scrape round, every series' sample of the round in
 * requests of {@code batch} series (snappy-compressed protobuf, as Prometheus's remote-write 1.0
 * sends them). Sender {@code k} of {@code senders} owns requests {@code k, k + senders, ...}, so a
 * series always goes through the same sender, in time order (Prometheus shards by series too); no
 * sender runs more than {@value #MAX_LAG} rounds ahead of the slowest. With {@code --pid} it reads
 * the receiving process's CPU time ({@code /proc/PID/stat} utime + stime) before and after. It
 * prints one line of {@code key=value} pairs: samples, seconds, server_cpu_seconds,
 * client_cpu_seconds, errors, retries, first_error.
 *
 * <p>{@code openmetrics} writes files {@code PREFIX-000.om}, {@code PREFIX-001.om}, ... of {@code
 * rounds-per-file} scrapes each (series after series inside a file, as {@code promtool tsdb
 * create-blocks-from openmetrics} and {@code nines import openmetrics} read them), and prints their
 * names.
 */
public final class PeerBench {
  private static final int MAX_LAG = 4;
  private static final int MAX_ATTEMPTS = 5;

  private PeerBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
      return;
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    switch (args[0]) {
      case "push" -> push(opts);
      case "openmetrics" -> openMetrics(opts);
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println(
        "usage: PeerBench push --url URL --instances N --rounds R [--first-instance I]"
            + " [--senders 4] [--batch 1000] [--pid PID] [--clk-tck 100]\n"
            + "       PeerBench openmetrics --out PREFIX --instances N --rounds R"
            + " [--first-round 0] [--rounds-per-file R] [--first-instance I]");
    System.exit(2);
  }

  private static int intOpt(Map<String, String> opts, String name, int dflt) {
    String v = opts.get(name);
    return v == null ? dflt : Integer.parseInt(v);
  }

  private static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  // ---------------------------------------------------------------- remote-write

  private static void push(Map<String, String> opts) throws Exception {
    URI url = URI.create(required(opts, "url"));
    int firstInstance = intOpt(opts, "first-instance", 0);
    int instances = Integer.parseInt(required(opts, "instances"));
    int rounds = Integer.parseInt(required(opts, "rounds"));
    int senders = intOpt(opts, "senders", 4);
    int batch = intOpt(opts, "batch", 1000);
    long pid = Long.parseLong(opts.getOrDefault("pid", "0"));
    int clkTck = intOpt(opts, "clk-tck", 100);

    PeerData data = new PeerData(firstInstance, instances);
    int n = data.size();
    int requests = (n + batch - 1) / batch;
    byte[][] labelBytes = new byte[n][];
    AtomicIntegerArray progress = new AtomicIntegerArray(senders);
    AtomicLong errors = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    AtomicLong samples = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>("");

    // Encode every series' labels up front (each sender its own), so the timed part only adds
    // samples, compresses and sends.
    List<Thread> prep = new ArrayList<>();
    for (int k = 0; k < senders; k++) {
      int sender = k;
      prep.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int j = sender; j < requests; j += senders) {
                      for (int i = j * batch; i < Math.min(n, (j + 1) * batch); i++) {
                        labelBytes[i] = encodeLabels(data.labels(i));
                      }
                    }
                  }));
    }
    for (Thread t : prep) {
      t.join();
    }

    long cpu0 = pid > 0 ? processTicks(pid) : 0;
    long client0 = clientCpuNanos();
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int k = 0; k < senders; k++) {
      int sender = k;
      threads.add(
          Thread.ofPlatform()
              .name("sender-" + k)
              .start(
                  () -> {
                    HttpClient client =
                        HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10))
                            .build();
                    Buffer buf = new Buffer();
                    for (int r = 0; r < rounds; r++) {
                      waitForLaggards(progress, r);
                      for (int j = sender; j < requests; j += senders) {
                        int from = j * batch;
                        int to = Math.min(n, (j + 1) * batch);
                        buf.reset();
                        for (int i = from; i < to; i++) {
                          writeSeries(buf, labelBytes[i], data.next(i), data.timestamp(i, r));
                        }
                        byte[] body;
                        try {
                          body = Snappy.compress(buf.copy());
                        } catch (IOException e) {
                          throw new UncheckedIOException(e);
                        }
                        if (send(client, url, body, retries, firstError)) {
                          samples.addAndGet(to - from);
                        } else {
                          errors.incrementAndGet();
                        }
                      }
                      progress.set(sender, r + 1);
                    }
                    client.close();
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double serverCpu = pid > 0 ? (processTicks(pid) - cpu0) / (double) clkTck : 0;
    double clientCpu = (clientCpuNanos() - client0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "samples=%d seconds=%.3f server_cpu_seconds=%.2f client_cpu_seconds=%.2f errors=%d"
            + " retries=%d first_error=%s%n",
        samples.get(),
        seconds,
        serverCpu,
        clientCpu,
        errors.get(),
        retries.get(),
        firstError.get().replaceAll("\\s+", "_"));
  }

  private static void waitForLaggards(AtomicIntegerArray progress, int round) {
    while (true) {
      int min = Integer.MAX_VALUE;
      for (int k = 0; k < progress.length(); k++) {
        min = Math.min(min, progress.get(k));
      }
      if (round - min <= MAX_LAG) {
        return;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Sends one request; retries 5xx and 429 like Prometheus does. True when accepted. */
  private static boolean send(
      HttpClient client,
      URI url,
      byte[] body,
      AtomicLong retries,
      AtomicReference<String> firstError) {
    HttpRequest req =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .header("User-Agent", "nines-peer-bench")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    String error = "";
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
        int status = resp.statusCode();
        if (status / 100 == 2) {
          return true;
        }
        error = status + ":" + abbreviate(resp.body());
        if (status != 429 && status / 100 != 5) {
          break;
        }
      } catch (IOException e) {
        error = "io:" + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
        break;
      }
      retries.incrementAndGet();
      try {
        Thread.sleep(100L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    firstError.compareAndSet("", error);
    return false;
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 200 ? t.substring(0, 200) : t;
  }

  /** utime + stime of a process, in clock ticks. */
  static long processTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After "pid (comm) ", field 3 (state) is f[0]; utime is field 14, stime field 15.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long clientCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /** The Label messages of a TimeSeries (field 1), encoded once per series. */
  static byte[] encodeLabels(Labels labels) {
    Buffer b = new Buffer();
    for (int k = 0; k < labels.size(); k++) {
      byte[] name = labels.name(k).getBytes(StandardCharsets.UTF_8);
      byte[] value = labels.value(k).getBytes(StandardCharsets.UTF_8);
      int len = 1 + varintSize(name.length) + name.length + 1 + varintSize(value.length);
      len += value.length;
      b.put(0x0A);
      b.varint(len);
      b.put(0x0A);
      b.varint(name.length);
      b.put(name);
      b.put(0x12);
      b.varint(value.length);
      b.put(value);
    }
    return b.copy();
  }

  /** WriteRequest.timeseries (field 1): the labels and one Sample (field 2). */
  static void writeSeries(Buffer b, byte[] labels, double value, long timestamp) {
    int sampleLen = 1 + 8 + 1 + varintSize(timestamp);
    int seriesLen = labels.length + 1 + varintSize(sampleLen) + sampleLen;
    b.put(0x0A);
    b.varint(seriesLen);
    b.put(labels);
    b.put(0x12);
    b.varint(sampleLen);
    b.put(0x09);
    b.fixed64(Double.doubleToRawLongBits(value));
    b.put(0x10);
    b.varint(timestamp);
  }

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** A growable byte buffer with the protobuf primitives this needs. */
  static final class Buffer {
    private byte[] buf = new byte[1 << 16];
    private int len;

    void reset() {
      len = 0;
    }

    private void ensure(int more) {
      if (len + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
      }
    }

    void put(int b) {
      ensure(1);
      buf[len++] = (byte) b;
    }

    void put(byte[] bytes) {
      ensure(bytes.length);
      System.arraycopy(bytes, 0, buf, len, bytes.length);
      len += bytes.length;
    }

    void varint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[len++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
    }

    void fixed64(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buf[len++] = (byte) (v >>> (8 * i));
      }
    }

    byte[] copy() {
      return Arrays.copyOf(buf, len);
    }
  }

  // ---------------------------------------------------------------- OpenMetrics

  private static void openMetrics(Map<String, String> opts) throws IOException {
    String prefix = required(opts, "out");
    int firstInstance = intOpt(opts, "first-instance", 0);
    int instances = Integer.parseInt(required(opts, "instances"));
    int rounds = Integer.parseInt(required(opts, "rounds"));
    int perFile = intOpt(opts, "rounds-per-file", rounds);
    PeerData data = new PeerData(firstInstance, instances);
    int n = data.size();
    byte[][] prefixes = new byte[n][];
    for (int i = 0; i < n; i++) {
      prefixes[i] = seriesText(data.labels(i)).getBytes(StandardCharsets.UTF_8);
    }
    // OpenMetrics wants each metric family in one group: series ordered by metric name, then as
    // generated (instance after instance). The values do not depend on the order.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.comparing(
                (Integer i) -> PeerData.SPECS.get(i % PeerData.SERIES_PER_INSTANCE).name())
            .thenComparingInt(i -> i));
    int files = (rounds + perFile - 1) / perFile;
    for (int f = 0; f < files; f++) {
      Path file = Path.of(String.format(Locale.ROOT, "%s-%03d.om", prefix, f));
      int from = f * perFile;
      int to = Math.min(rounds, from + perFile);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
        StringBuilder line = new StringBuilder(64);
        for (int i : order) {
          for (int r = from; r < to; r++) {
            out.write(prefixes[i]);
            line.setLength(0);
            line.append(data.next(i)).append(' ');
            long t = data.timestamp(i, r);
            long ms = t % 1000;
            line.append(t / 1000).append('.');
            line.append(ms < 100 ? (ms < 10 ? "00" : "0") : "").append(ms).append('\n');
            for (int c = 0; c < line.length(); c++) {
              out.write(line.charAt(c));
            }
          }
        }
        out.write("# EOF\n".getBytes(StandardCharsets.UTF_8));
      }
      System.out.println(file);
    }
  }

  /** {@code name{a="x",b="y"} } for a series (label values here need no escaping). */
  private static String seriesText(Labels l) {
    StringBuilder s = new StringBuilder(l.metricName()).append('{');
    boolean first = true;
    for (int k = 0; k < l.size(); k++) {
      if (l.name(k).equals(Labels.METRIC_NAME)) {
        continue;
      }
      s.append(first ? "" : ",").append(l.name(k)).append("=\"").append(l.value(k)).append('"');
      first = false;
    }
    return s.append("} ").toString();
  }
}
