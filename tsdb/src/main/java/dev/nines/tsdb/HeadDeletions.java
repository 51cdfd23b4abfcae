package dev.nines.tsdb;

import dev.nines.common.LabelMatcher;
import dev.nines.tsdb.block.BlockCorruptionException;
import dev.nines.tsdb.block.Blocks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/*
 * Design notes. The WAL holds samples but no deletions, so a deletion applied to the head would be
 * undone by a replay. The deletions that still reach into the head are therefore kept in
 * <dir>/head-deletions (format in docs/tsdb.md), replaced atomically (temporary file, fsync,
 * rename, directory fsync) before the head is changed, and applied again after every replay.
 * Entries whose range ends below the head's floor are pruned after a cut: blocks hold that range,
 * with the deletion already applied (the cut reads the head after the deletion).
 */

/** The deletions applied to the head that a WAL replay must apply again. */
final class HeadDeletions {
  static final String FILE = "head-deletions";
  private static final int MAGIC = 0x4E484444; // "NHDD"
  private static final int VERSION = 1;

  /** One deletion: the samples in {@code [mint, maxt]} of the series matching every matcher. */
  record Entry(long mint, long maxt, List<LabelMatcher> matchers) {
    Entry {
      matchers = List.copyOf(matchers);
    }
  }

  private final Path file;
  private final List<Entry> entries;

  private HeadDeletions(Path file, List<Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  /** Reads {@code dir/head-deletions}; a missing file means none. */
  static HeadDeletions load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new HeadDeletions(file, new ArrayList<>());
    }
    if (bytes.length < 4) {
      throw corrupt(file, 0, "file of " + bytes.length + " bytes is too short");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    if ((int) crc.getValue() != stored) {
      throw corrupt(file, bytes.length - 4, "checksum mismatch");
    }
    List<Entry> entries = new ArrayList<>();
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4))) {
      if (in.readInt() != MAGIC || in.readUnsignedByte() != VERSION) {
        throw corrupt(file, 0, "bad magic or version");
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        long mint = in.readLong();
        long maxt = in.readLong();
        int k = in.readUnsignedShort();
        List<LabelMatcher> matchers = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
          LabelMatcher.Type type = LabelMatcher.Type.values()[in.readUnsignedByte()];
          matchers.add(LabelMatcher.of(type, in.readUTF(), in.readUTF()));
        }
        entries.add(new Entry(mint, maxt, matchers));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof BlockCorruptionException c) {
        throw c;
      }
      throw corrupt(file, 0, "does not decode: " + e);
    }
    return new HeadDeletions(file, entries);
  }

  private static BlockCorruptionException corrupt(Path file, long offset, String why) {
    return new BlockCorruptionException("head", file.getFileName().toString(), offset, why);
  }

  /** The entries, oldest first. */
  List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** Records one more deletion durably. */
  void add(Entry e) throws IOException {
    List<Entry> next = new ArrayList<>(entries);
    next.add(e);
    write(next);
    entries.add(e);
  }

  /** Forgets the deletions that end below {@code floor}; blocks hold that range. */
  void pruneBelow(long floor) throws IOException {
    List<Entry> next = new ArrayList<>();
    for (Entry e : entries) {
      if (e.maxt() >= floor) {
        next.add(e);
      }
    }
    if (next.size() != entries.size()) {
      write(next);
      entries.clear();
      entries.addAll(next);
    }
  }

  private void write(List<Entry> list) throws IOException {
    Path dir = file.getParent();
    if (list.isEmpty()) {
      if (Files.deleteIfExists(file)) {
        Blocks.fsyncDir(dir);
      }
      return;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      out.writeInt(list.size());
      for (Entry e : list) {
        out.writeLong(e.mint());
        out.writeLong(e.maxt());
        out.writeShort(e.matchers().size());
        for (LabelMatcher m : e.matchers()) {
          out.writeByte(m.type().ordinal());
          out.writeUTF(m.name());
          out.writeUTF(m.value());
        }
      }
    }
    byte[] body = bytes.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteBuffer all = ByteBuffer.allocate(body.length + 4);
    all.put(body).putInt((int) crc.getValue()).flip();
    Path tmp = dir.resolve(FILE + Blocks.TMP_SUFFIX);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (all.hasRemaining()) {
        ch.write(all);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Blocks.fsyncDir(dir);
  }
}
