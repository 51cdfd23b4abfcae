package dev.nines.tsdb.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes.
 *
 * Replay reads the newest checkpoint, then every later segment, frame by frame. A frame that is not
 * valid is classified (docs/formats/wal.md, "Damage"):
 *
 *  - torn tail: newest segment, checksum not valid, and no valid frame anywhere after it. This is
 *    what a crash in the middle of a write leaves. Truncate there, in every mode.
 *  - corruption: anything else. STRICT throws WalCorruptionException after delivering every record
 *    before the damage. MOVE_ASIDE copies the bad range to corrupt/ and rewrites the segment
 *    without it, then carries on after the range.
 *
 * The end of a bad range is the next valid frame. When the bad frame's checksum matched (unknown
 * type, undecodable payload) its own length is trusted; otherwise the rest of the segment is
 * scanned byte by byte for a frame with a known type, a length that fits and a matching CRC32C. A
 * random match needs a 2-in-256 type byte, a plausible length and a 1-in-2^32 checksum, so false
 * resynchronisation is negligible, and the scan only runs when there is damage.
 *
 * Records are decoded completely before the handler sees them, so a record whose payload turns out
 * to be malformed is never half delivered. Repairs are applied after a segment has been read to
 * its end, so the reader never reads a file it is rewriting.
 */

/** Replays a WAL directory into a {@link WalRecordHandler}, dealing with damage as it goes. */
public final class WalReader {
  private static final Logger LOG = LoggerFactory.getLogger(WalReader.class);

  private final Path dir;
  private final WalRecordHandler handler;
  private final RepairMode mode;
  private final SampleBatch batch = new SampleBatch(1024);

  private int checkpoint = -1;
  private int segmentsRead;
  private long seriesRecords;
  private long sampleRecords;
  private long samples;
  private long bytesRead;
  private int tailTruncations;
  private long bytesTruncated;
  private int corruptionsRepaired;
  private long bytesMovedAside;
  private final List<WalDamage> damages = new ArrayList<>();

  private WalReader(Path dir, WalRecordHandler handler, RepairMode mode) {
    this.dir = dir;
    this.handler = handler;
    this.mode = mode;
  }

  /**
   * Replays the WAL in {@code dir}: the newest checkpoint, then the segments after it, in order. A
   * torn tail of the newest segment is truncated; other damage is handled as {@code mode} says. A
   * missing directory replays as empty.
   *
   * @throws WalCorruptionException in {@link RepairMode#STRICT} mode, at the first corruption
   */
  public static ReplayResult replay(Path dir, WalRecordHandler handler, RepairMode mode)
      throws IOException {
    WalReader reader = new WalReader(dir, handler, mode);
    OptionalInt cp = Segments.latestCheckpoint(dir);
    List<Integer> segments = Segments.list(dir);
    int last = segments.isEmpty() ? -1 : segments.get(segments.size() - 1);
    int after = -1;
    if (cp.isPresent()) {
      after = cp.getAsInt();
      reader.readCheckpoint(after);
    }
    reader.readSegments(segments, after, Integer.MAX_VALUE, last, cp.isPresent());
    return reader.result();
  }

  /**
   * Replays the newest checkpoint at or below {@code upTo} and the segments after it up to {@code
   * upTo}, strictly, with no tail repair; for checkpointing. Returns the checkpoint read, or -1.
   */
  static int replayUpTo(Path dir, int upTo, WalRecordHandler handler) throws IOException {
    WalReader reader = new WalReader(dir, handler, RepairMode.STRICT);
    int after = -1;
    for (int n : Segments.checkpoints(dir)) {
      if (n <= upTo) {
        after = Math.max(after, n);
      }
    }
    if (after >= 0) {
      reader.readCheckpoint(after);
    }
    reader.readSegments(Segments.list(dir), after, upTo, -1, after >= 0);
    return after;
  }

  private void readCheckpoint(int number) throws IOException {
    checkpoint = number;
    Path cpDir = Segments.checkpointDir(dir, number);
    List<Integer> segments = Segments.list(cpDir);
    int expected = 0;
    for (int seq : segments) {
      if (seq != expected) {
        missing(seq, expected, cpDir);
      }
      readSegment(cpDir, seq, false);
      expected = seq + 1;
    }
  }

  private void readSegments(
      List<Integer> segments, int after, int upTo, int tailSegment, boolean contiguousFromAfter)
      throws IOException {
    int expected = contiguousFromAfter ? after + 1 : -1;
    for (int seq : segments) {
      if (seq <= after || seq > upTo) {
        continue;
      }
      if (expected >= 0 && seq != expected) {
        missing(seq, expected, dir);
      }
      readSegment(dir, seq, seq == tailSegment);
      expected = seq + 1;
    }
  }

  private void missing(int found, int expected, Path inDir) throws WalCorruptionException {
    String reason =
        "segments " + Segments.name(expected) + " to " + Segments.name(found - 1) + " are missing";
    boolean inCheckpoint = !inDir.equals(dir);
    if (mode == RepairMode.STRICT) {
      throw new WalCorruptionException(expected, 0, where(inDir) + reason);
    }
    LOG.error("WAL damage in {}: {}; replay continues with segment {}", inDir, reason, found);
    corruptionsRepaired++;
    damages.add(
        new WalDamage(expected, 0, 0, WalDamage.Kind.MISSING_SEGMENT, reason, inCheckpoint));
  }

  private String where(Path inDir) {
    return inDir.equals(dir) ? "" : "in " + inDir.getFileName() + ": ";
  }

  private void readSegment(Path segDir, int seq, boolean tailAllowed) throws IOException {
    Path file = segDir.resolve(Segments.name(seq));
    boolean inCheckpoint = !segDir.equals(dir);
    List<long[]> bad = new ArrayList<>();
    long truncateAt = -1;
    String tornReason = "";
    long size;
    try (SegmentReader sr = new SegmentReader(file)) {
      size = sr.size();
      segmentsRead++;
      long pos = 0;
      while (true) {
        SegmentReader.Status status = sr.readFrame(pos);
        if (status == SegmentReader.Status.END) {
          break;
        }
        String problem;
        long next;
        boolean trustedBounds;
        if (status == SegmentReader.Status.VALID) {
          String malformed = deliver(sr);
          if (malformed == null) {
            pos += Segments.FRAME_HEADER_BYTES + sr.length();
            bytesRead += Segments.FRAME_HEADER_BYTES + sr.length();
            continue;
          }
          problem = malformed;
          trustedBounds = true;
        } else {
          problem = sr.problem();
          trustedBounds = sr.checksumValid();
        }
        if (trustedBounds) {
          next = pos + Segments.FRAME_HEADER_BYTES + sr.length();
        } else {
          next = sr.findNextValid(pos + 1);
          if (next < 0 && tailAllowed) {
            truncateAt = pos;
            tornReason = problem;
            break;
          }
        }
        long end = next < 0 ? size : next;
        if (mode == RepairMode.STRICT) {
          throw new WalCorruptionException(seq, pos, where(segDir) + problem);
        }
        LOG.error(
            "WAL corruption in {} at byte {}: {}; moving bytes {} to {} aside",
            file,
            pos,
            problem,
            pos,
            end);
        bad.add(new long[] {pos, end});
        damages.add(
            new WalDamage(seq, pos, end - pos, WalDamage.Kind.CORRUPTION, problem, inCheckpoint));
        corruptionsRepaired++;
        bytesMovedAside += end - pos;
        pos = end;
      }
    }
    if (truncateAt >= 0) {
      truncate(file, truncateAt, size, seq, tornReason);
    }
    if (!bad.isEmpty()) {
      moveAside(segDir, seq, bad, truncateAt >= 0 ? truncateAt : size);
    }
  }

  /** Decodes and hands over the current frame; returns why it is malformed, or null. */
  private String deliver(SegmentReader sr) {
    try {
      if (sr.type() == Segments.TYPE_SERIES) {
        List<SeriesRecord> series = RecordCodec.decodeSeries(sr.payload(), sr.length());
        for (SeriesRecord s : series) {
          handler.series(s);
        }
        seriesRecords += series.size();
      } else {
        RecordCodec.decodeSamples(sr.payload(), sr.length(), batch);
        handler.samples(batch);
        sampleRecords++;
        samples += batch.size();
      }
      return null;
    } catch (RecordCodec.MalformedRecordException e) {
      return "undecodable record of type " + sr.type() + ": " + e.getMessage();
    }
  }

  private void truncate(Path file, long at, long size, int seq, String reason) throws IOException {
    LOG.warn(
        "WAL segment {} has a torn tail at byte {} ({}); truncating {} bytes",
        file,
        at,
        reason,
        size - at);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(at);
      ch.force(true);
    }
    tailTruncations++;
    bytesTruncated += size - at;
    damages.add(new WalDamage(seq, at, size - at, WalDamage.Kind.TORN_TAIL, reason, false));
  }

  private void moveAside(Path segDir, int seq, List<long[]> bad, long size) throws IOException {
    Path file = segDir.resolve(Segments.name(seq));
    Path corruptDir = dir.resolve(Segments.CORRUPT_DIR);
    Files.createDirectories(corruptDir);
    String base =
        (segDir.equals(dir) ? "" : segDir.getFileName().toString() + "-") + Segments.name(seq);
    Path rewritten = segDir.resolve(Segments.name(seq) + ".repair" + Segments.TMP_SUFFIX);
    try (FileChannel src = FileChannel.open(file, StandardOpenOption.READ)) {
      for (long[] range : bad) {
        Path target = corruptDir.resolve(base + "@" + range[0]);
        Path tmp = corruptDir.resolve(target.getFileName() + Segments.TMP_SUFFIX);
        copyRange(src, range[0], range[1], tmp);
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      Segments.fsyncDir(corruptDir);
      Segments.fsyncDir(dir);
      try (FileChannel out =
          FileChannel.open(
              rewritten,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        long from = 0;
        for (long[] range : bad) {
          transfer(src, from, range[0], out);
          from = range[1];
        }
        transfer(src, from, size, out);
        out.force(true);
      }
    }
    Files.move(
        rewritten, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Segments.fsyncDir(segDir);
  }

  private static void copyRange(FileChannel src, long from, long to, Path target)
      throws IOException {
    try (FileChannel out =
        FileChannel.open(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      transfer(src, from, to, out);
      out.force(true);
    }
  }

  private static void transfer(FileChannel src, long from, long to, FileChannel out)
      throws IOException {
    long pos = from;
    while (pos < to) {
      long n = src.transferTo(pos, to - pos, out);
      if (n <= 0) {
        throw new IOException("could not copy bytes " + pos + " to " + to + " of a WAL segment");
      }
      pos += n;
    }
  }

  private ReplayResult result() {
    return new ReplayResult(
        checkpoint,
        segmentsRead,
        seriesRecords,
        sampleRecords,
        samples,
        bytesRead,
        tailTruncations,
        bytesTruncated,
        corruptionsRepaired,
        bytesMovedAside,
        damages);
  }
}
