package dev.nines.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.LabelMatcher;
import dev.nines.server.NinesServer;
import dev.nines.server.config.NinesConfig;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code nines import openmetrics}: backfilled samples are served by the next server start. */
class ImportCommandTest {

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = NinesCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void importedSamplesAreReadByTheServer(@TempDir Path dir) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    StringBuilder om = new StringBuilder("# TYPE backfilled gauge\n");
    for (int i = 0; i < 240; i++) {
      om.append("backfilled{src=\"import\"} ")
          .append(i)
          .append(' ')
          .append(now - 7200 + i * 30L)
          .append('\n');
    }
    om.append("# EOF\n");
    Path file = dir.resolve("in.om");
    Files.writeString(file, om);
    Path data = dir.resolve("data");

    Run r = run("import", "openmetrics", file.toString(), "--data", data.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("imported 240 samples of 1 series into");
    assertThat(r.err()).contains("100%");

    NinesConfig config =
        NinesConfig.defaults().withFlags("127.0.0.1:0", data, null, null).validate();
    try (NinesServer server = NinesServer.start(config, () -> config);
        Querier q = server.tsdb().querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set =
          q.select(
              false,
              SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
              List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "backfilled")));
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      int n = 0;
      double last = -1;
      while (it.next() != SampleIterator.NONE) {
        n++;
        last = it.value();
      }
      assertThat(n).isEqualTo(240);
      assertThat(last).isEqualTo(239);
    }
  }

  @Test
  void aMalformedFileExitsOneWithTheLineAndWritesNothing(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.om");
    Files.writeString(file, "# TYPE x gauge\nx 1 100\nx{a=\"b\" 2 160\n# EOF\n");
    Path data = dir.resolve("data");
    Run r = run("import", "openmetrics", file.toString(), "--data", data.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("nothing written", "line 3");
    assertThat(data.resolve("tsdb")).doesNotExist();
    assertThat(data.resolve("lock")).doesNotExist();
  }

  @Test
  void refusesWhileAServerHoldsTheDataFolder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("in.om");
    Files.writeString(file, "# TYPE x gauge\nx 1 100\n# EOF\n");
    Path data = dir.resolve("data");
    NinesConfig config =
        NinesConfig.defaults().withFlags("127.0.0.1:0", data, null, null).validate();
    try (NinesServer server = NinesServer.start(config, () -> config)) {
      Run r = run("import", "openmetrics", file.toString(), "--data", data.toString());
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err()).contains("in use by another Nines process");
    }
  }
}
