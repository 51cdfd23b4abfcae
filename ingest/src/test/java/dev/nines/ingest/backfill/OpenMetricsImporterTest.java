package dev.nines.ingest.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.block.Block;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenMetricsImporterTest {
  private static final long TWO_HOURS = 2 * 3600_000L;

  /** 3 series, one sample a minute for 5 hours starting at 01:00 UTC: three 2 h blocks. */
  private static String fiveHours() {
    StringBuilder out = new StringBuilder();
    out.append("# TYPE http_requests counter\n");
    for (String code : List.of("200", "500")) {
      for (int m = 0; m < 300; m++) {
        long t = 3600 + m * 60L;
        out.append("http_requests_total{code=\"")
            .append(code)
            .append("\"} ")
            .append(m * (code.equals("200") ? 10 : 1))
            .append(' ')
            .append(t)
            .append('\n');
      }
    }
    out.append("# TYPE temp gauge\n");
    for (int m = 0; m < 300; m++) {
      out.append("temp ")
          .append(20 + (m % 7) * 0.25)
          .append(' ')
          .append(3600 + m * 60L)
          .append('\n');
    }
    return out.append("# EOF\n").toString();
  }

  @Test
  void writesAlignedBlocksThatReadBackEverySample(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("in.om");
    Files.writeString(file, fiveHours());
    List<long[]> progress = new ArrayList<>();
    OpenMetricsImporter.Result result =
        OpenMetricsImporter.importFile(
            file,
            dir.resolve("tsdb"),
            TWO_HOURS,
            (read, total, written) -> progress.add(new long[] {read, total, written}));

    assertThat(result.series()).isEqualTo(3);
    assertThat(result.samples()).isEqualTo(900);
    assertThat(result.blocks()).hasSize(3);
    assertThat(result.blocks())
        .allSatisfy(
            m -> {
              assertThat(m.minTime() % TWO_HOURS).isZero();
              assertThat(m.maxTime() - m.minTime()).isEqualTo(TWO_HOURS);
            });
    assertThat(progress.getLast()[2]).isEqualTo(900);
    assertThat(progress.getLast()[0]).isEqualTo(Files.size(file));

    Map<Labels, List<double[]>> read = new HashMap<>();
    try (Stream<Path> blocks = Files.list(dir.resolve("tsdb"))) {
      for (Path p : blocks.toList()) {
        try (Block block = Block.open(p);
            Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
          SeriesSet set =
              q.select(
                  true,
                  SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
                  List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "__name__", ".+")));
          SampleIterator it = null;
          while (set.next()) {
            it = set.at().iterator(it);
            List<double[]> samples =
                read.computeIfAbsent(set.at().labels(), l -> new ArrayList<>());
            while (it.next() != SampleIterator.NONE) {
              samples.add(new double[] {it.timestamp(), it.value()});
            }
          }
        }
      }
    }
    List<double[]> errors = read.get(Labels.of("__name__", "http_requests_total", "code", "500"));
    assertThat(errors).hasSize(300);
    errors.sort((a, b) -> Double.compare(a[0], b[0]));
    assertThat(errors.getFirst()).containsExactly(3600_000, 0);
    assertThat(errors.getLast()).containsExactly((3600 + 299 * 60) * 1000.0, 299);
    assertThat(read.get(Labels.of("__name__", "temp"))).hasSize(300);
    try (Stream<Path> left = Files.list(dir.resolve("tsdb"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no staging folder is left")
          .noneMatch(n -> n.startsWith(".import-"));
    }
  }

  @Test
  void aMalformedLineStopsTheImportWithItsNumberAndWritesNothing(@TempDir Path dir)
      throws Exception {
    String good = fiveHours();
    String bad = good.replace("temp 20.5 3720\n", "temp 20.5 3720\ntemp{oops 1 3780\n");
    assertThat(bad).isNotEqualTo(good);
    Path file = dir.resolve("bad.om");
    Files.writeString(file, bad);
    int expectedLine = (int) bad.lines().takeWhile(l -> !l.startsWith("temp{oops")).count() + 1;

    assertThatThrownBy(
            () ->
                OpenMetricsImporter.importFile(
                    file, dir.resolve("tsdb"), TWO_HOURS, OpenMetricsImporter.Progress.NONE))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("line " + expectedLine)
        .satisfies(e -> assertThat(((ImportException) e).line()).isEqualTo(expectedLine));
    assertThat(dir.resolve("tsdb")).doesNotExist();
  }

  @Test
  void aSampleWithoutTimestampIsRefusedByLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nots.om");
    Files.writeString(file, "# TYPE x gauge\nx 1 100\nx 2\n# EOF\n");
    assertThatThrownBy(
            () ->
                OpenMetricsImporter.importFile(
                    file, dir.resolve("tsdb"), TWO_HOURS, OpenMetricsImporter.Progress.NONE))
        .hasMessage(file + ":3: sample has no timestamp; an import needs one");
    assertThat(dir.resolve("tsdb")).doesNotExist();
  }

  @Test
  void missingEofIsAnErrorAsInPromtool(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("noeof.om");
    Files.writeString(file, "# TYPE x gauge\nx 1 100\n");
    assertThatThrownBy(
            () ->
                OpenMetricsImporter.importFile(
                    file, dir.resolve("tsdb"), TWO_HOURS, OpenMetricsImporter.Progress.NONE))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("EOF");
  }
}
