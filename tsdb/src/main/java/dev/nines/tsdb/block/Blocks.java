package dev.nines.tsdb.block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Operations on a folder of blocks: listing complete blocks and removing crash leftovers. */
public final class Blocks {
  /** The suffix of folders and files being written; never read, deleted by cleanup. */
  public static final String TMP_SUFFIX = ".tmp";

  /**
   * The suffix a block folder is renamed to before it is removed: never read, removed by cleanup.
   */
  public static final String DELETED_SUFFIX = ".deleted";

  /** The name of a block's metadata file. */
  public static final String META_FILE = "meta.json";

  private Blocks() {}

  /**
   * Deletes what a crash left in {@code parent}: block folders still being written ({@code
   * <id>.tmp}) or being removed ({@code <id>.deleted}) and unfinished tombstone files inside blocks
   * ({@code <id>/tombstones.tmp}). Call it before opening the blocks of a folder, while nothing
   * writes into it.
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
        } else if (name.endsWith(DELETED_SUFFIX)
            && BlockIds.isValid(name.substring(0, name.length() - DELETED_SUFFIX.length()))) {
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

  /**
   * Removes a closed block's folder so that a crash never leaves a half-removed block visible: the
   * folder is renamed to {@code <id>.deleted} (atomic, parent fsynced), then removed recursively.
   */
  public static void delete(Path blockDir) throws IOException {
    Path parent = blockDir.getParent();
    Path doomed = parent.resolve(blockDir.getFileName() + DELETED_SUFFIX);
    Files.move(blockDir, doomed, StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(parent);
    deleteTree(doomed);
    fsyncDir(parent);
  }

  /**
   * Copies a block folder into {@code destParent} with hard links (blocks never change, and a
   * tombstones update replaces its file by rename, so the links keep the content they saw); files
   * and folders are fsynced. Both folders must be on one file system.
   */
  public static void link(Path blockDir, Path destParent) throws IOException {
    Path dest = destParent.resolve(blockDir.getFileName());
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(blockDir)) {
      for (Path p : walk.toList()) {
        Path target = dest.resolve(blockDir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
          dirs.add(target);
        } else if (!p.getFileName().toString().endsWith(TMP_SUFFIX)) {
          Files.createLink(target, p);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    for (Path d : dirs.reversed()) {
      fsyncDir(d);
    }
  }

  /** The bytes of the regular files under {@code root} (0 when it does not exist). */
  public static long sizeOf(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    long total = 0;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        try {
          if (Files.isRegularFile(p)) {
            total += Files.size(p);
          }
        } catch (NoSuchFileException e) {
          // removed meanwhile (a checkpoint deleting a segment)
        }
      }
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return total;
      }
      throw e.getCause();
    }
    return total;
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
  public static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Deletes a directory tree if it exists. */
  public static void deleteTree(Path root) throws IOException {
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
