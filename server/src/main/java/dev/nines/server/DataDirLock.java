package dev.nines.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive lock on a data folder, so that two Nines processes never write the same files.
 *
 * <p>The lock is an operating-system lock on the file {@code lock}, which holds the owner's process
 * id. The kernel drops the lock when the process dies, even by {@code kill -9}, so a crash never
 * leaves a folder that cannot be opened. A clean shutdown also deletes the file; finding it at
 * start therefore means the previous run did not shut down cleanly, which is logged.
 */
public final class DataDirLock implements AutoCloseable {
  /** The name of the lock file inside the data folder. */
  public static final String FILE_NAME = "lock";

  private static final Logger log = LoggerFactory.getLogger(DataDirLock.class);

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final boolean previousRunUnclean;

  private DataDirLock(Path file, FileChannel channel, FileLock lock, boolean unclean) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.previousRunUnclean = unclean;
  }

  /**
   * Creates the folder if needed and takes its lock.
   *
   * @throws IOException naming the folder when it cannot be created or another process holds it
   */
  public static DataDirLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    boolean existed = Files.exists(file);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String owner = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
      channel.close();
      throw new IOException(
          "data folder "
              + dataDir.toAbsolutePath()
              + " is in use by another Nines process"
              + (owner.isEmpty() ? "" : " (pid " + owner + ")"));
    }
    channel.truncate(0);
    channel.write(
        StandardCharsets.UTF_8.encode(Long.toString(ProcessHandle.current().pid()) + "\n"), 0);
    channel.force(true);
    if (existed) {
      log.atWarn()
          .addKeyValue("dir", dataDir)
          .log("previous run did not shut down cleanly; its lock file was still there");
    }
    return new DataDirLock(file, channel, lock, existed);
  }

  /** Whether the lock file was left behind by a process that did not shut down cleanly. */
  public boolean previousRunUnclean() {
    return previousRunUnclean;
  }

  /** Deletes the lock file and releases the lock: the mark of a clean shutdown. */
  @Override
  public void close() throws IOException {
    if (!channel.isOpen()) {
      return;
    }
    try {
      Files.deleteIfExists(file);
      lock.release();
    } finally {
      channel.close();
    }
  }
}
