package dev.nines.tsdb.block;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/*
 * Design notes: how block files are mapped and unmapped.
 *
 * The goal is a read-only memory map that is released deterministically when the block closes, so
 * that retention can delete a block folder and the leak test can see /proc/self/maps go back to
 * where it was. A MappedByteBuffer cannot be unmapped by supported means: it goes away when the
 * garbage collector gets round to it, which can be never on a quiet heap.
 *
 * The Foreign Function & Memory API does this properly: FileChannel.map(mode, offset, size, arena)
 * returns a MemorySegment owned by the arena, and Arena.close() unmaps it at once. A shared arena
 * makes that safe across threads: a thread that touches the memory after close gets an
 * IllegalStateException, never a segfault. But the API is final only since JDK 22 (JEP 454); in
 * JDK 21 it is a preview API, and Nines compiles with --release 21, where javac refuses to
 * reference it without --enable-preview (which would tie the class files to exactly JDK 21).
 *
 * So the API is reached through method handles looked up once at class initialisation: Arena.
 * ofShared(), FileChannel.map(..., Arena) and MemorySegment.asByteBuffer(). The buffer view of the
 * segment keeps the arena's lifetime checks, and all hot-path reads are ordinary absolute ByteBuffer
 * reads that the JIT compiles as well as MappedByteBuffer reads; method handles are used only at
 * open and close. Arena is an AutoCloseable, so close needs no handle. When the lookup fails (JDK
 * 21 without preview), the fallback is a plain MappedByteBuffer that the garbage collector unmaps;
 * ARENA_MAPPING tells which one is in use.
 *
 * The file channel is closed right after mapping (a map outlives its channel), so an open block
 * holds no file descriptors at all, only mappings.
 *
 * A ByteBuffer addresses at most 2 GiB - 1 bytes; the formats keep every mapped file under that
 * (index files and chunk segments are limited to it, see docs/formats/block.md).
 */

/**
 * A read-only memory map of one whole file, unmapped on {@link #close()} where the JDK allows it.
 */
final class MappedFile implements Closeable {
  /** Whether maps are owned by a shared arena and unmapped on close (true on JDK 22 and later). */
  static final boolean ARENA_MAPPING;

  private static final MethodHandle OF_SHARED;
  private static final MethodHandle MAP;
  private static final MethodHandle AS_BYTE_BUFFER;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

  static {
    MethodHandle ofShared = null;
    MethodHandle map = null;
    MethodHandle asByteBuffer = null;
    try {
      Class<?> arena = Class.forName("java.lang.foreign.Arena");
      Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      ofShared = lookup.findStatic(arena, "ofShared", MethodType.methodType(arena));
      map =
          lookup.findVirtual(
              FileChannel.class,
              "map",
              MethodType.methodType(
                  segment, FileChannel.MapMode.class, long.class, long.class, arena));
      asByteBuffer =
          lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class));
      // Probe once: on JDK 21 the preview API may exist but refuse to run.
      AutoCloseable probe = (AutoCloseable) ofShared.invoke();
      probe.close();
    } catch (Throwable e) {
      ofShared = null;
    }
    OF_SHARED = ofShared;
    MAP = map;
    AS_BYTE_BUFFER = asByteBuffer;
    ARENA_MAPPING = ofShared != null;
  }

  private final ByteBuffer buffer;
  private final AutoCloseable arena;

  private MappedFile(ByteBuffer buffer, AutoCloseable arena) {
    this.buffer = buffer;
    this.arena = arena;
  }

  /**
   * Maps the whole file read-only.
   *
   * @throws IOException if the file cannot be opened or mapped, or is 2 GiB or larger
   */
  static MappedFile map(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException(file + " is " + size + " bytes; a block file must be under 2 GiB");
      }
      if (size == 0) {
        return new MappedFile(EMPTY, null);
      }
      if (!ARENA_MAPPING) {
        return new MappedFile(
            ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.BIG_ENDIAN), null);
      }
      AutoCloseable arena = newArena();
      try {
        Object segment = MAP.invoke(ch, FileChannel.MapMode.READ_ONLY, 0L, size, arena);
        ByteBuffer view = (ByteBuffer) AS_BYTE_BUFFER.invoke(segment);
        return new MappedFile(view.order(ByteOrder.BIG_ENDIAN), arena);
      } catch (IOException | RuntimeException | Error e) {
        closeQuietly(arena, e);
        throw e;
      } catch (Throwable e) {
        closeQuietly(arena, e);
        throw new IOException("cannot map " + file, e);
      }
    }
  }

  private static AutoCloseable newArena() throws IOException {
    try {
      return (AutoCloseable) OF_SHARED.invoke();
    } catch (Throwable e) {
      throw new IOException("cannot create a shared arena", e);
    }
  }

  private static void closeQuietly(AutoCloseable arena, Throwable primary) {
    try {
      arena.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }

  /**
   * The mapped bytes, big-endian. Shared by all readers: use absolute reads only, never position or
   * limit.
   */
  ByteBuffer buffer() {
    return buffer;
  }

  /** The file size in bytes. */
  int size() {
    return buffer.capacity();
  }

  /** Unmaps the file (with arena mapping); later reads through {@link #buffer()} throw. */
  @Override
  public void close() {
    if (arena != null) {
      try {
        arena.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot unmap: a thread is still reading the block", e);
      }
    }
  }
}
