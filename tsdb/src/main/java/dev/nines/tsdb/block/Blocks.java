package dev.nines.tsdb.block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Operations on a folder of blocks: listing complete blocks and removing crash leftovers. */
public final class Blocks {
  /** The suffix of folders and files being written; never read, deleted by cleanup. */
  public static final String TMP_SUFFIX = ".tmp";

  /** The name of a block's metadata file. */
  public static final String META_FILE = "meta.json";

  private Blocks() {}

  /**
   * Deletes what a crash left in {@code parent}: block folders still being written ({@code
   * <id>.tmp}) and unfinished tombstone files inside blocks ({@code <id>/tombstones.tmp}). Call it
   * before opening the blocks of a folder, while nothing writes into it.
   *
   * @return the number of leftovers deleted
   */
  public static int cleanupTemporary(Path parent) throws IOException {
    if (!Files.isDirectory(parent)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.endsWith(TMP_SUFFIX) && BlockIds.isValid(name.substring(0, name.length() - 4))) {
          deleteTree(p);
          deleted++;
        } else if (BlockIds.isValid(name) && Files.isDirectory(p)) {
          Path tmp = p.resolve(Tombstones.FILE + TMP_SUFFIX);
          if (Files.deleteIfExists(tmp)) {
            deleted++;
          }
        }
      }
    }
    if (deleted > 0) {
      fsyncDir(parent);
    }
    return deleted;
  }

  /**
   * The complete blocks in {@code parent}, oldest id first: folders named by a block id that hold a
   * {@code meta.json}. A folder without one is an incomplete block and is not listed.
   */
  public static List<Path> list(Path parent) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(parent)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
      for (Path p : entries) {
        if (BlockIds.isValid(p.getFileName().toString())
            && Files.isRegularFile(p.resolve(META_FILE))) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return out;
  }

  /** Writes a new file with {@code content} and fsyncs it. */
  static void writeFileSynced(Path file, byte[] content) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /** Forces a directory's entries (creations, renames, deletions) to disk. */
  static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Deletes a directory tree if it exists. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
          // gone already
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
