package dev.nines.tsdb.block;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** The memory-mapped chunk segment files of an open block. */
final class BlockChunks implements Closeable {
  private final String blockId;
  private final List<MappedFile> files;
  private final ByteBuffer[] buffers;

  private BlockChunks(String blockId, List<MappedFile> files) {
    this.blockId = blockId;
    this.files = files;
    this.buffers = new ByteBuffer[files.size()];
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = files.get(i).buffer();
    }
  }

  /**
   * Maps the segments in {@code dir} and checks their headers and footers (which catches
   * truncation). On failure nothing stays mapped.
   */
  static BlockChunks open(String blockId, Path dir) throws IOException {
    List<Integer> numbers = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path p : entries) {
          int n = ChunkFiles.parse(p.getFileName().toString());
          if (n > 0) {
            numbers.add(n);
          }
        }
      }
    }
    numbers.sort(null);
    List<MappedFile> files = new ArrayList<>(numbers.size());
    try {
      for (int i = 0; i < numbers.size(); i++) {
        if (numbers.get(i) != i + 1) {
          throw new BlockCorruptionException(blockId, file(i + 1), 0, "segment file missing");
        }
        files.add(MappedFile.map(dir.resolve(ChunkFiles.name(i + 1))));
      }
      BlockChunks chunks = new BlockChunks(blockId, files);
      for (int i = 0; i < files.size(); i++) {
        chunks.checkFrame(i + 1);
      }
      return chunks;
    } catch (IOException | RuntimeException e) {
      for (MappedFile f : files) {
        try {
          f.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private void checkFrame(int segment) {
    ByteBuffer b = buffers[segment - 1];
    int size = b.capacity();
    if (size < ChunkFiles.HEADER_BYTES + ChunkFiles.FOOTER_BYTES) {
      throw corrupt(segment, 0, "segment of " + size + " bytes is too short");
    }
    if (b.getInt(0) != ChunkFiles.MAGIC || b.get(4) != ChunkFiles.VERSION) {
      throw corrupt(segment, 0, "bad magic number or unsupported version");
    }
    int footer = size - ChunkFiles.FOOTER_BYTES;
    CRC32C crc = new CRC32C();
    crc.update(b.slice(footer, 12));
    if ((int) crc.getValue() != b.getInt(footer + 12) || b.getLong(footer) != footer) {
      throw corrupt(segment, footer, "footer does not match (truncated or damaged segment)");
    }
  }

  /**
   * Walks every chunk of every segment and checks its checksum and the chunk count in the footer.
   */
  void verify() {
    CRC32C crc = new CRC32C();
    for (int s = 1; s <= buffers.length; s++) {
      ByteBuffer b = buffers[s - 1];
      int end = b.capacity() - ChunkFiles.FOOTER_BYTES;
      Decoder d = new Decoder(blockId, file(s), b).reset(ChunkFiles.HEADER_BYTES, end);
      int count = 0;
      while (d.hasRemaining()) {
        int start = d.position();
        int len = d.uvarintInt();
        d.skip(len);
        crc.reset();
        crc.update(b.slice(start, d.position() - start));
        if ((int) crc.getValue() != d.u32()) {
          throw corrupt(s, start, "chunk checksum does not match");
        }
        count++;
      }
      if (count != b.getInt(end + 8)) {
        throw corrupt(s, end, "footer counts " + b.getInt(end + 8) + " chunks, found " + count);
      }
    }
  }

  /** The mapped bytes of segment {@code number}. */
  ByteBuffer segment(int number, int offset) {
    if (number < 1 || number > buffers.length) {
      throw corrupt(number, offset, "chunk reference to a missing segment");
    }
    return buffers[number - 1];
  }

  /** The total size of the segment files in bytes. */
  long sizeBytes() {
    long n = 0;
    for (ByteBuffer b : buffers) {
      n += b.capacity();
    }
    return n;
  }

  static String file(int segment) {
    return ChunkFiles.DIR + "/" + ChunkFiles.name(segment);
  }

  BlockCorruptionException corrupt(int segment, long offset, String reason) {
    return new BlockCorruptionException(blockId, file(segment), offset, reason);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (MappedFile f : files) {
      try {
        f.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
