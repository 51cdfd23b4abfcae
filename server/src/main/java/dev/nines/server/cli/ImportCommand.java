package dev.nines.server.cli;

import dev.nines.common.PromDuration;
import dev.nines.ingest.backfill.ImportException;
import dev.nines.ingest.backfill.OpenMetricsImporter;
import dev.nines.server.DataDirLock;
import dev.nines.server.NinesServer;
import dev.nines.tsdb.Tsdb;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nines import}: backfill from files into the data folder's time-series storage. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Backfill samples from files into the time-series storage.",
    subcommands = {ImportCommand.OpenMetrics.class})
final class ImportCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code nines import openmetrics FILE}: the same input as {@code promtool tsdb
   * create-blocks-from openmetrics}. Exit status 0 when imported, 1 on bad input (nothing written),
   * 2 on a bad command line.
   */
  @Command(
      name = "openmetrics",
      mixinStandardHelpOptions = true,
      description = {
        "Import an OpenMetrics text file whose samples carry timestamps (ending in # EOF) as"
            + " blocks into DIR/tsdb/blocks.",
        "The server must not be running on the same data folder. A malformed line stops the"
            + " import with its line number, and nothing is written."
      })
  static final class OpenMetrics implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The OpenMetrics file.")
    Path file;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        defaultValue = "./data",
        description = "Data folder (default: ./data).")
    Path dataDir;

    @Option(
        names = "--block-range",
        paramLabel = "DURATION",
        defaultValue = "2h",
        description = "Time range of each block written (default: 2h, as the head cuts them).")
    String blockRange;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      long range;
      try {
        range = PromDuration.parse(blockRange).toMillis();
      } catch (IllegalArgumentException e) {
        err.println("nines: --block-range: " + e.getMessage());
        return 2;
      }
      if (!Files.isRegularFile(file)) {
        err.println("nines: " + file + ": no such file");
        return 1;
      }
      try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
        ProgressBar bar = new ProgressBar(err);
        OpenMetricsImporter.Result result =
            OpenMetricsImporter.importFile(
                file, dataDir.resolve(NinesServer.TSDB_DIR).resolve(Tsdb.BLOCKS_DIR), range, bar);
        bar.finish();
        spec.commandLine()
            .getOut()
            .printf(
                Locale.ROOT,
                "imported %,d samples of %,d series into %d blocks%n",
                result.samples(),
                result.series(),
                result.blocks().size());
        return 0;
      } catch (ImportException e) {
        err.println();
        err.println("nines: import stopped, nothing written: " + e.getMessage());
        return 1;
      } catch (IOException e) {
        err.println();
        err.println("nines: import failed: " + e.getMessage());
        return 1;
      }
    }
  }

  /**
   * A one-line progress bar on standard error: bytes read and samples written. Redrawn in place on
   * a terminal; elsewhere printed every 10%.
   */
  static final class ProgressBar implements OpenMetricsImporter.Progress {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean terminal = System.console() != null;
    private int lastTenth = -1;

    ProgressBar(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void update(long bytesRead, long totalBytes, long samplesWritten) {
      double done = totalBytes == 0 ? 1 : (double) bytesRead / totalBytes;
      int tenth = (int) (done * 10);
      if (!terminal && tenth == lastTenth && samplesWritten == 0) {
        return;
      }
      lastTenth = tenth;
      int filled = (int) Math.round(done * WIDTH);
      String line =
          String.format(
              Locale.ROOT,
              "[%s%s] %3.0f%% %,.1f/%,.1f MB read, %,d samples written",
              "=".repeat(filled),
              " ".repeat(WIDTH - filled),
              done * 100,
              bytesRead / 1e6,
              totalBytes / 1e6,
              samplesWritten);
      out.print(terminal ? "\r" + line : line + "\n");
      out.flush();
    }

    void finish() {
      if (terminal) {
        out.println();
      }
    }
  }
}
