package io.ledgerlake.labeling.dedup;

import io.ledgerlake.labeling.StateFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Versioned binary format of a {@link BoundedExactDuplicateIndex} checkpoint.
 *
 * <pre>
 * VERSION_1: int magic 'LLEX', int version=1, int maxEntries,
 *            int n, n x (UTF textHash, UTF canonicalCid),      -- oldest first
 *            int m, m x (UTF cid, long occurrences)             -- oldest first
 * </pre>
 */
public final class ExactDuplicateIndexSerializer {
  static final int MAGIC = 0x4C4C4558; // "LLEX"
  public static final int VERSION_1 = 1;
  public static final int CURRENT_VERSION = VERSION_1;

  private ExactDuplicateIndexSerializer() {}

  public static byte[] serialize(BoundedExactDuplicateIndex index) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(CURRENT_VERSION);
      out.writeInt(index.maxEntries());
      out.writeInt(index.hashes().size());
      for (Map.Entry<String, String> e : index.hashes().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      out.writeInt(index.occurrences().size());
      for (Map.Entry<String, Long> e : index.occurrences().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  public static BoundedExactDuplicateIndex deserialize(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new StateFormatException(String.format(
            "not an exact-duplicate index checkpoint: magic 0x%08x, expected 0x%08x", magic, MAGIC));
      }
      int version = in.readInt();
      switch (version) {
        case VERSION_1: {
          BoundedExactDuplicateIndex index = new BoundedExactDuplicateIndex(in.readInt());
          int n = in.readInt();
          for (int i = 0; i < n; i++) {
            index.hashes().put(in.readUTF(), in.readUTF());
          }
          int m = in.readInt();
          for (int i = 0; i < m; i++) {
            index.occurrences().put(in.readUTF(), in.readLong());
          }
          if (in.read() != -1) {
            throw new StateFormatException("exact-duplicate checkpoint has trailing bytes");
          }
          return index;
        }
        default:
          throw new StateFormatException("unknown exact-duplicate checkpoint version " + version
              + " (this build reads up to " + CURRENT_VERSION + "): restore with a newer ledgerlake-labeling");
      }
    } catch (IOException e) {
      throw new StateFormatException("exact-duplicate checkpoint is truncated or corrupt: " + e.getMessage(), e);
    }
  }
}
