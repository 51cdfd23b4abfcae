package dev.nines.ingest.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Parses a real exposition: Debian's prometheus-node-exporter 1.5, captured once from {@code
 * /metrics} on this machine into {@code exposition/node-exporter-1.5.txt}.
 */
class NodeExporterTest {
  static byte[] capture() throws IOException {
    try (InputStream in =
        NodeExporterTest.class.getResourceAsStream("/exposition/node-exporter-1.5.txt")) {
      return Objects.requireNonNull(in).readAllBytes();
    }
  }

  @Test
  void parsesTheCapturedExposition() throws Exception {
    ExpositionParser p = ExpositionParser.prometheusText().reset(capture());
    int series = 0;
    int types = 0;
    int helps = 0;
    Set<Labels> seen = new HashSet<>();
    List<String> cpuModes = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      switch (e) {
        case SERIES -> {
          series++;
          assertThat(seen.add(p.labels())).as("unique series %s", p.labels()).isTrue();
          if (p.metricName().equals("node_cpu_seconds_total")
              && "0".equals(p.labels().get("cpu"))) {
            cpuModes.add(p.labels().get("mode"));
            assertThat(p.metricType()).isEqualTo(MetricType.COUNTER);
            assertThat(p.value()).isNotNegative();
          }
        }
        case TYPE -> types++;
        case HELP -> helps++;
        default -> {}
      }
    }
    assertThat(series).isEqualTo(505);
    assertThat(types).isEqualTo(282);
    assertThat(helps).isEqualTo(282);
    assertThat(cpuModes).contains("idle", "user", "system", "iowait");

    List<MetricMetadata> md = p.metadata();
    assertThat(md).hasSize(282);
    assertThat(md)
        .contains(
            new MetricMetadata(
                "go_gc_duration_seconds",
                MetricType.SUMMARY,
                "A summary of the pause duration of garbage collection cycles.",
                ""),
            new MetricMetadata(
                "node_exporter_build_info",
                MetricType.GAUGE,
                "A metric with a constant '1' value labeled by version, revision, branch,"
                    + " goversion from which node_exporter was built, and the goos and goarch for"
                    + " the build.",
                ""));
    assertThat(md.stream().filter(m -> m.type() == MetricType.COUNTER)).hasSize(60);
    assertThat(md.stream().filter(m -> m.type() == MetricType.UNKNOWN)).hasSize(47);
  }

  @Test
  void summarySamplesBelongToTheirFamily() throws Exception {
    ExpositionParser p = ExpositionParser.prometheusText().reset(capture());
    List<String> names = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES && p.familyName().equals("go_gc_duration_seconds")) {
        names.add(p.metricName() + (p.labelCount() > 0 ? "{" + p.labelValue(0) + "}" : ""));
      }
    }
    assertThat(names)
        .containsExactly(
            "go_gc_duration_seconds{0}",
            "go_gc_duration_seconds{0.25}",
            "go_gc_duration_seconds{0.5}",
            "go_gc_duration_seconds{0.75}",
            "go_gc_duration_seconds{1}",
            "go_gc_duration_seconds_sum",
            "go_gc_duration_seconds_count");
  }
}
