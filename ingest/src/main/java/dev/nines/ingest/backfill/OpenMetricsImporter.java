package dev.nines.ingest.backfill;

import dev.nines.common.Labels;
import dev.nines.ingest.exposition.Entry;
import dev.nines.ingest.exposition.ExpositionParseException;
import dev.nines.ingest.exposition.ExpositionParser;
import dev.nines.tsdb.block.BlockMeta;
import dev.nines.tsdb.block.BlockWriter;
import dev.nines.tsdb.block.ChunkData;
import dev.nines.tsdb.block.SeriesChunks;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/*
 * Design notes.
 *
 * The same input as `promtool tsdb create-blocks-from openmetrics`: an OpenMetrics text file whose
 * samples all carry timestamps, ending in `# EOF`.
 *
 * Two passes, so that bad input leaves nothing behind: the whole file is parsed and validated
 * first, collecting each series' samples in primitive arrays; only then are blocks written. Blocks
 * are aligned to the block range (2 h by default, as the head cuts them) and written into a staging
 * folder inside the destination; when every block is complete they are renamed into place one by
 * one (each rename is atomic, and each block is whole on its own). A failure before that point
 * deletes the staging folder.
 *
 * The file is read into memory whole and samples are held until written: an import needs roughly
 * the file's size plus 16 bytes per sample of heap. Streaming by block range is the next step when
 * files outgrow that.
 */

/** Writes the samples of an OpenMetrics file with timestamps into tsdb blocks. */
public final class OpenMetricsImporter {
  /** Notified as the import goes: bytes parsed so far of the total, and samples written. */
  @FunctionalInterface
  public interface Progress {
    void update(long bytesRead, long totalBytes, long samplesWritten);

    /** Progress that goes nowhere. */
    Progress NONE = (read, total, written) -> {};
  }

  /** What an import wrote. */
  public record Result(long series, long samples, List<BlockMeta> blocks) {}

  private static final int SAMPLES_PER_CHUNK = 120;
  private static final int PROGRESS_EVERY = 1 << 16;

  private OpenMetricsImporter() {}

  /**
   * Imports {@code file} into blocks under {@code blocksDir}.
   *
   * @param blockRange the time range of each block, in milliseconds
   * @throws ImportException for malformed input or a sample without timestamp, naming the line;
   *     nothing is written then
   */
  public static Result importFile(Path file, Path blocksDir, long blockRange, Progress progress)
      throws IOException, ImportException {
    if (blockRange <= 0) {
      throw new IllegalArgumentException("block range must be positive, got " + blockRange);
    }
    byte[] body = Files.readAllBytes(file);
    Map<Labels, SampleBuffer> series = parse(file, body, progress);

    Files.createDirectories(blocksDir);
    Path staging = Files.createTempDirectory(blocksDir, ".import-");
    List<BlockMeta> written = new ArrayList<>();
    long samples = 0;
    try {
      TreeMap<Long, List<SeriesChunks>> byBlock = new TreeMap<>();
      for (Map.Entry<Labels, SampleBuffer> e : series.entrySet()) {
        SampleBuffer b = e.getValue().sortedDeduplicated();
        samples += b.size;
        int i = 0;
        while (i < b.size) {
          long window = Math.floorDiv(b.times[i], blockRange);
          int start = i;
          while (i < b.size && Math.floorDiv(b.times[i], blockRange) == window) {
            i++;
          }
          List<ChunkData> chunks = ChunkData.encode(b.times, b.values, start, i, SAMPLES_PER_CHUNK);
          byBlock
              .computeIfAbsent(window, w -> new ArrayList<>())
              .add(new SeriesChunks(e.getKey(), chunks));
        }
      }
      long done = 0;
      for (Map.Entry<Long, List<SeriesChunks>> block : byBlock.entrySet()) {
        long min = block.getKey() * blockRange;
        BlockMeta meta =
            BlockWriter.write(
                staging,
                block.getValue(),
                BlockWriter.Options.defaults().withTimeRange(min, min + blockRange));
        written.add(meta);
        done += meta.stats().numSamples();
        progress.update(body.length, body.length, done);
      }
      for (BlockMeta meta : written) {
        move(staging.resolve(meta.ulid()), blocksDir.resolve(meta.ulid()));
      }
    } finally {
      deleteRecursively(staging);
    }
    return new Result(series.size(), samples, List.copyOf(written));
  }

  private static Map<Labels, SampleBuffer> parse(Path file, byte[] body, Progress progress)
      throws ImportException {
    ExpositionParser parser = ExpositionParser.openMetrics().reset(body);
    Map<Labels, SampleBuffer> series = new HashMap<>();
    long count = 0;
    try {
      Entry entry;
      while ((entry = parser.next()) != Entry.EOF) {
        if (entry != Entry.SERIES) {
          continue;
        }
        if (!parser.hasTimestamp()) {
          throw new ImportException(
              file + ":" + parser.lineNumber() + ": sample has no timestamp; an import needs one",
              parser.lineNumber(),
              null);
        }
        series
            .computeIfAbsent(parser.labels(), l -> new SampleBuffer())
            .add(parser.timestampMillis(), parser.value());
        if (++count % PROGRESS_EVERY == 0) {
          progress.update(parser.seriesEnd(), body.length, 0);
        }
      }
    } catch (ExpositionParseException e) {
      throw new ImportException(file + ": " + e.getMessage(), e.line(), e);
    }
    progress.update(body.length, body.length, 0);
    return series;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot move block " + from + " into place atomically", e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One series' samples as parsed, in file order. */
  private static final class SampleBuffer {
    long[] times = new long[16];
    double[] values = new double[16];
    int size;

    void add(long t, double v) {
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      times[size] = t;
      values[size] = v;
      size++;
    }

    /** Sorted by time; of samples with equal timestamps the last in the file wins. */
    SampleBuffer sortedDeduplicated() {
      boolean sorted = true;
      for (int i = 1; i < size && sorted; i++) {
        sorted = times[i] > times[i - 1];
      }
      if (sorted) {
        return this;
      }
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingLong((Integer i) -> times[i]));
      SampleBuffer out = new SampleBuffer();
      for (int k = 0; k < size; k++) {
        int i = order[k];
        if (out.size > 0 && out.times[out.size - 1] == times[i]) {
          out.values[out.size - 1] = values[i];
        } else {
          out.add(times[i], values[i]);
        }
      }
      return out;
    }
  }
}
