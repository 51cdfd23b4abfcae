package dev.nines.tsdb.wal;

import static dev.nines.tsdb.wal.WalFixtures.copyTree;
import static dev.nines.tsdb.wal.WalFixtures.flipByte;
import static dev.nines.tsdb.wal.WalFixtures.frameOffsets;
import static dev.nines.tsdb.wal.WalFixtures.small;
import static dev.nines.tsdb.wal.WalFixtures.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nines.tsdb.wal.WalFixtures.Event;
import dev.nines.tsdb.wal.WalFixtures.Recorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Torn tails, flipped bytes and lost segments. Every frame of the workload holds exactly one event,
 * so "the events of frames a..b" is a sublist of the clean replay.
 */
class WalDamageTest {
  @TempDir static Path shared;
  static Path pristine;
  static List<Event> all;
  static List<Integer> segments;

  /** For each segment, the index in {@link #all} of its first frame's event. */
  static List<Integer> firstEvent;

  @TempDir Path tmp;
  Path dir;

  @BeforeAll
  static void writeWal() throws IOException {
    pristine = shared.resolve("pristine");
    try (WalWriter w = WalWriter.open(pristine, small(FsyncPolicy.NONE))) {
      WalFixtures.writeWorkload(w, 42, 40, 80);
    }
    Recorder rec = new Recorder();
    WalReader.replay(pristine, rec, RepairMode.STRICT);
    all = rec.events;
    segments = Segments.list(pristine);
    assertThat(segments).hasSizeGreaterThanOrEqualTo(4);
    firstEvent = new ArrayList<>();
    int index = 0;
    for (int seq : segments) {
      firstEvent.add(index);
      index += frameOffsets(segFile(pristine, seq)).size();
    }
    assertThat(index).isEqualTo(all.size());
  }

  @BeforeEach
  void copyWal() throws IOException {
    dir = fresh("work");
  }

  Path fresh(String name) throws IOException {
    Path d = tmp.resolve(name);
    Segments.deleteTree(d);
    copyTree(pristine, d);
    return d;
  }

  static Path segFile(Path d, int seq) {
    return d.resolve(Segments.name(seq));
  }

  static int lastSeq() {
    return segments.getLast();
  }

  List<Event> without(int eventIndex) {
    List<Event> out = new ArrayList<>(all);
    out.remove(eventIndex);
    return out;
  }

  @Test
  void tornTailAtEveryByteOfTheLastRecordKeepsEverythingBefore() throws IOException {
    Path last = segFile(pristine, lastSeq());
    long start = frameOffsets(last).getLast();
    long size = Files.size(last);
    for (long cut = start; cut < size; cut++) {
      Path d = fresh("cut");
      truncate(segFile(d, lastSeq()), cut);
      Recorder rec = new Recorder();
      ReplayResult result = WalReader.replay(d, rec, RepairMode.STRICT);
      assertThat(rec.events).as("cut at %d", cut).isEqualTo(all.subList(0, all.size() - 1));
      if (cut == start) {
        assertThat(result.damages()).isEmpty();
      } else {
        assertThat(result.tailTruncations()).isEqualTo(1);
        assertThat(result.bytesTruncated()).isEqualTo(cut - start);
        assertThat(result.damages().getFirst().kind()).isEqualTo(WalDamage.Kind.TORN_TAIL);
        assertThat(result.damages().getFirst().offset()).isEqualTo(start);
      }
      assertThat(Files.size(segFile(d, lastSeq()))).isEqualTo(start);
      // The repaired WAL replays cleanly and the same.
      Recorder again = new Recorder();
      assertThat(WalReader.replay(d, again, RepairMode.STRICT).damages()).isEmpty();
      assertThat(again.events).isEqualTo(rec.events);
    }
  }

  @Test
  void zerosAfterPowerLossAreATornTail() throws IOException {
    Path last = segFile(dir, lastSeq());
    long size = Files.size(last);
    Files.write(last, new byte[3000], StandardOpenOption.APPEND);
    Recorder rec = new Recorder();
    ReplayResult result = WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.events).isEqualTo(all);
    assertThat(result.tailTruncations()).isEqualTo(1);
    assertThat(result.bytesTruncated()).isEqualTo(3000);
    assertThat(Files.size(last)).isEqualTo(size);
  }

  @Test
  void garbageLengthInTheLastRecordIsATornTail() throws IOException {
    Path last = segFile(dir, lastSeq());
    long start = frameOffsets(last).getLast();
    for (int i = 1; i <= 4; i++) {
      flipByte(last, start + i, 0xff);
    }
    Recorder rec = new Recorder();
    ReplayResult result = WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.events).isEqualTo(all.subList(0, all.size() - 1));
    assertThat(result.damages())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("length"));
  }

  static IntStream seeds() {
    return IntStream.range(0, 40);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomFlipInTheLastRecordIsATornTail(int seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    Path last = segFile(dir, lastSeq());
    long start = frameOffsets(last).getLast();
    long size = Files.size(last);
    flipByte(last, start + r.nextLong(size - start), 1 + r.nextInt(255));
    Recorder rec = new Recorder();
    ReplayResult result = WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.events).isEqualTo(all.subList(0, all.size() - 1));
    assertThat(result.tailTruncations()).isEqualTo(1);
    assertThat(Files.size(last)).isEqualTo(start);
  }

  static IntStream fewerSeeds() {
    return IntStream.range(0, 20);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("fewerSeeds")
  void randomFlipBeforeGoodRecordsInTheLastSegmentIsCorruption(int seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    List<Long> offsets = frameOffsets(segFile(pristine, lastSeq()));
    assertThat(offsets).hasSizeGreaterThan(1);
    int frame = r.nextInt(offsets.size() - 1);
    long start = offsets.get(frame);
    long end = offsets.get(frame + 1);
    flipByte(segFile(dir, lastSeq()), start + r.nextLong(end - start), 1 + r.nextInt(255));
    int badEvent = firstEvent.getLast() + frame;

    Recorder strict = new Recorder();
    WalCorruptionException e =
        catchThrowableOfType(
            WalCorruptionException.class, () -> WalReader.replay(dir, strict, RepairMode.STRICT));
    assertThat(e.segment()).isEqualTo(lastSeq());
    assertThat(e.offset()).isEqualTo(start);
    assertThat(strict.events).isEqualTo(all.subList(0, badEvent));
    assertThat(Files.size(segFile(dir, lastSeq())))
        .as("strict mode changes nothing")
        .isEqualTo(Files.size(segFile(pristine, lastSeq())));

    Recorder repaired = new Recorder();
    ReplayResult result = WalReader.replay(dir, repaired, RepairMode.MOVE_ASIDE);
    assertThat(repaired.events).isEqualTo(without(badEvent));
    assertThat(result.corruptionsRepaired()).isEqualTo(1);
    assertThat(result.bytesMovedAside()).isEqualTo(end - start);
    Path aside = dir.resolve("corrupt").resolve(Segments.name(lastSeq()) + "@" + start);
    assertThat(aside).hasSize(end - start);

    Recorder again = new Recorder();
    assertThat(WalReader.replay(dir, again, RepairMode.STRICT).damages()).isEmpty();
    assertThat(again.events).isEqualTo(without(badEvent));
  }

  @Test
  void corruptionInAMiddleSegmentIsReportedWithSegmentAndOffset() throws IOException {
    int seq = segments.get(1);
    List<Long> offsets = frameOffsets(segFile(pristine, seq));
    long start = offsets.get(1);
    flipByte(segFile(dir, seq), start + Segments.FRAME_HEADER_BYTES + 2, 0x10);
    int badEvent = firstEvent.get(1) + 1;

    Recorder strict = new Recorder();
    assertThatThrownBy(() -> WalReader.replay(dir, strict, RepairMode.STRICT))
        .isInstanceOfSatisfying(
            WalCorruptionException.class,
            e -> {
              assertThat(e.segment()).isEqualTo(seq);
              assertThat(e.offset()).isEqualTo(start);
              assertThat(e.reason()).contains("checksum");
              assertThat(e.getMessage()).contains(Segments.name(seq)).contains("" + start);
            });
    assertThat(strict.events)
        .as("good records before the damage")
        .isEqualTo(all.subList(0, badEvent));

    Recorder repaired = new Recorder();
    ReplayResult result = WalReader.replay(dir, repaired, RepairMode.MOVE_ASIDE);
    assertThat(repaired.events)
        .as("good records after the damage too")
        .isEqualTo(without(badEvent));
    assertThat(result.damages())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.segment()).isEqualTo(seq);
              assertThat(d.offset()).isEqualTo(start);
              assertThat(d.kind()).isEqualTo(WalDamage.Kind.CORRUPTION);
            });
    assertThat(segments).allSatisfy(s -> assertThat(segFile(dir, s)).exists());
  }

  @Test
  void truncatedMiddleSegmentIsCorruptionNotATail() throws IOException {
    int seq = segments.get(1);
    Path file = segFile(dir, seq);
    long start = frameOffsets(file).getLast();
    truncate(file, Files.size(file) - 3);
    int badEvent = firstEvent.get(2) - 1;

    WalCorruptionException e =
        catchThrowableOfType(
            WalCorruptionException.class,
            () -> WalReader.replay(dir, new Recorder(), RepairMode.STRICT));
    assertThat(e.segment()).isEqualTo(seq);
    assertThat(e.offset()).isEqualTo(start);

    Recorder repaired = new Recorder();
    WalReader.replay(dir, repaired, RepairMode.MOVE_ASIDE);
    assertThat(repaired.events).isEqualTo(without(badEvent));
  }

  @Test
  void missingSegmentIsReported() throws IOException {
    int seq = segments.get(2);
    Files.delete(segFile(dir, seq));
    WalCorruptionException e =
        catchThrowableOfType(
            WalCorruptionException.class,
            () -> WalReader.replay(dir, new Recorder(), RepairMode.STRICT));
    assertThat(e.segment()).isEqualTo(seq);
    assertThat(e.offset()).isZero();

    Recorder repaired = new Recorder();
    ReplayResult result = WalReader.replay(dir, repaired, RepairMode.MOVE_ASIDE);
    List<Event> expected = new ArrayList<>(all.subList(0, firstEvent.get(2)));
    expected.addAll(all.subList(firstEvent.get(3), all.size()));
    assertThat(repaired.events).isEqualTo(expected);
    assertThat(result.damages().getFirst().kind()).isEqualTo(WalDamage.Kind.MISSING_SEGMENT);
  }

  @Test
  void validFrameOfUnknownTypeAtTheEndIsCorruptionNotATail() throws IOException {
    byte[] payload = {1, 2, 3};
    byte[] frame = new byte[Segments.FRAME_HEADER_BYTES + payload.length];
    frame[0] = 9;
    frame[4] = (byte) payload.length;
    System.arraycopy(payload, 0, frame, Segments.FRAME_HEADER_BYTES, payload.length);
    CRC32C crc = new CRC32C();
    crc.update(frame, 0, 5);
    crc.update(payload);
    int c = (int) crc.getValue();
    frame[5] = (byte) (c >>> 24);
    frame[6] = (byte) (c >>> 16);
    frame[7] = (byte) (c >>> 8);
    frame[8] = (byte) c;
    Path last = segFile(dir, lastSeq());
    long size = Files.size(last);
    Files.write(last, frame, StandardOpenOption.APPEND);
    WalCorruptionException e =
        catchThrowableOfType(
            WalCorruptionException.class,
            () -> WalReader.replay(dir, new Recorder(), RepairMode.STRICT));
    assertThat(e.offset()).isEqualTo(size);
    assertThat(e.reason()).contains("unknown record type 9");
  }

  @Test
  void temporaryFilesAreIgnored() throws IOException {
    Files.write(dir.resolve("00000003.repair.tmp"), new byte[] {1, 2, 3});
    Files.createDirectories(dir.resolve("checkpoint.00000001.tmp"));
    Files.write(dir.resolve("checkpoint.00000001.tmp").resolve("00000000"), new byte[] {9});
    Recorder rec = new Recorder();
    assertThat(WalReader.replay(dir, rec, RepairMode.STRICT).checkpoint()).isEqualTo(-1);
    assertThat(rec.events).isEqualTo(all);
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.count()).isEqualTo(segments.size() + 2);
    }
  }
}
