package dev.nines.tsdb.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/** File names, frame constants and directory operations shared by the WAL classes. */
final class Segments {
  static final int FRAME_HEADER_BYTES = 9;
  static final byte TYPE_SERIES = 1;
  static final byte TYPE_SAMPLES = 2;
  static final String CHECKPOINT_PREFIX = "checkpoint.";
  static final String TMP_SUFFIX = ".tmp";
  static final String CORRUPT_DIR = "corrupt";
  static final int MAX_SEQUENCE = 99_999_999;

  private Segments() {}

  static String name(int sequence) {
    return String.format("%08d", sequence);
  }

  static boolean isKnownType(byte type) {
    return type == TYPE_SERIES || type == TYPE_SAMPLES;
  }

  /** Parses an 8-digit segment name, or returns -1. */
  static int parseSequence(String name) {
    if (name.length() != 8) {
      return -1;
    }
    for (int i = 0; i < 8; i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(name);
  }

  /** The sequence numbers of the segment files in {@code dir}, ascending. */
  static List<Integer> list(Path dir) throws IOException {
    List<Integer> result = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return result;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        int seq = parseSequence(p.getFileName().toString());
        if (seq >= 0 && Files.isRegularFile(p)) {
          result.add(seq);
        }
      }
    }
    result.sort(Comparator.naturalOrder());
    return result;
  }

  /** The number of the newest complete checkpoint in {@code dir}. */
  static OptionalInt latestCheckpoint(Path dir) throws IOException {
    int best = -1;
    for (int n : checkpoints(dir)) {
      best = Math.max(best, n);
    }
    return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }

  /** The numbers of the complete checkpoints in {@code dir}. */
  static List<Integer> checkpoints(Path dir) throws IOException {
    List<Integer> result = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return result;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, CHECKPOINT_PREFIX + "*")) {
      for (Path p : entries) {
        String name = p.getFileName().toString().substring(CHECKPOINT_PREFIX.length());
        int seq = parseSequence(name);
        if (seq >= 0 && Files.isDirectory(p)) {
          result.add(seq);
        }
      }
    }
    return result;
  }

  static Path checkpointDir(Path dir, int sequence) {
    return dir.resolve(CHECKPOINT_PREFIX + name(sequence));
  }

  /** Forces a directory's entries (creations, renames, deletions) to disk. */
  static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Deletes a directory tree. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
