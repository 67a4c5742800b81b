package io.ledgerlake.labeling.dedup;

import io.ledgerlake.labeling.StateFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Versioned binary format of an {@link LshIndex} checkpoint.
 *
 * <pre>
 * VERSION_1: int magic 'LLSH', int version=1,
 *            int bands, int rows, double threshold, int capacity, int shingleSize, long hasherSeed,
 *            int count, count x (UTF cid, bands*rows x int signature)   -- entries oldest first
 * </pre>
 *
 * The band tables are not written: they are rebuilt on restore by re-inserting the entries in order, which keeps the
 * format independent of the in-memory hash-table layout.
 */
public final class LshIndexSerializer {
  static final int MAGIC = 0x4C4C5348; // "LLSH"
  public static final int VERSION_1 = 1;
  public static final int CURRENT_VERSION = VERSION_1;

  private LshIndexSerializer() {}

  public static byte[] serialize(LshIndex index) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + index.size() * (index.params().numHashes() * 4 + 64));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      LshParams p = index.params();
      out.writeInt(MAGIC);
      out.writeInt(CURRENT_VERSION);
      out.writeInt(p.bands());
      out.writeInt(p.rows());
      out.writeDouble(p.threshold());
      out.writeInt(p.capacity());
      out.writeInt(p.shingleSize());
      out.writeLong(p.hasherSeed());
      out.writeInt(index.size());
      IOException[] failure = new IOException[1];
      index.forEach(
          (cid, sig) -> {
            if (failure[0] != null) {
              return;
            }
            try {
              out.writeUTF(cid);
              for (int v : sig) {
                out.writeInt(v);
              }
            } catch (IOException e) {
              failure[0] = e;
            }
          });
      if (failure[0] != null) {
        throw failure[0];
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  public static LshIndex deserialize(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new StateFormatException(String.format(
            "not an LSH index checkpoint: magic 0x%08x, expected 0x%08x", magic, MAGIC));
      }
      int version = in.readInt();
      switch (version) {
        case VERSION_1:
          return readV1(in);
        default:
          throw new StateFormatException("unknown LSH index checkpoint version " + version
              + " (this build reads up to " + CURRENT_VERSION + "): restore with a newer ledgerlake-labeling");
      }
    } catch (IOException e) {
      throw new StateFormatException("LSH index checkpoint is truncated or corrupt: " + e.getMessage(), e);
    }
  }

  private static LshIndex readV1(DataInputStream in) throws IOException {
    LshParams p = new LshParams(in.readInt(), in.readInt(), in.readDouble(), in.readInt(), in.readInt(), in.readLong());
    int count = in.readInt();
    if (count < 0 || count > p.capacity()) {
      throw new StateFormatException("LSH index checkpoint has " + count + " entries for capacity " + p.capacity());
    }
    LshIndex index = new LshIndex(p);
    int[] sig = new int[p.numHashes()];
    for (int e = 0; e < count; e++) {
      String cid = in.readUTF();
      for (int k = 0; k < sig.length; k++) {
        sig[k] = in.readInt();
      }
      index.append(cid, sig);
    }
    if (in.read() != -1) {
      throw new StateFormatException("LSH index checkpoint has trailing bytes after " + count + " entries");
    }
    return index;
  }
}
