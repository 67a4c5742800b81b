package io.ledgerlake.labeling.flink;

import io.ledgerlake.labeling.StateFormatException;
import io.ledgerlake.labeling.stage.IngestedRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Versioned format of {@link LabelingOperatorState}: {@code int magic 'LLFO', int version=1, bool hasCursor,
 * [long cursorSnapshot], long cursorSequence, int n, n bytes labeling state, int snapshots, per snapshot: long
 * sequence, int rows, per row: dataset id, record CID, record JSON (each int length + UTF-8 bytes)}. The labeling
 * state inside carries its own version ({@code LabelingStateSerializer}).
 */
final class LabelingOperatorStateSerializer {
  static final int MAGIC = 0x4C4C464F; // "LLFO"
  static final int VERSION_1 = 1;
  static final int CURRENT_VERSION = VERSION_1;

  private LabelingOperatorStateSerializer() {}

  static byte[] serialize(LabelingOperatorState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(state.labelingState().length + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(CURRENT_VERSION);
      out.writeBoolean(state.cursorSnapshot() != null);
      if (state.cursorSnapshot() != null) {
        out.writeLong(state.cursorSnapshot());
      }
      out.writeLong(state.cursorSequence());
      out.writeInt(state.labelingState().length);
      out.write(state.labelingState());
      out.writeInt(state.pending().size());
      for (Map.Entry<Long, List<IngestedRow>> e : state.pending().entrySet()) {
        out.writeLong(e.getKey());
        out.writeInt(e.getValue().size());
        for (IngestedRow r : e.getValue()) {
          writeString(out, r.datasetId());
          writeString(out, r.recordCid());
          writeString(out, r.recordJson());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory stream
    }
    return bytes.toByteArray();
  }

  static LabelingOperatorState deserialize(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new StateFormatException(String.format("not a labeling operator checkpoint: magic 0x%08x", magic));
      }
      int version = in.readInt();
      if (version != VERSION_1) {
        throw new StateFormatException("unknown labeling operator state version " + version + " (this build reads up "
            + "to " + CURRENT_VERSION + "): restore with a newer ledgerlake-labeling-flink");
      }
      Long cursor = in.readBoolean() ? in.readLong() : null;
      long sequence = in.readLong();
      byte[] labelingState = new byte[in.readInt()];
      in.readFully(labelingState);
      int snapshots = in.readInt();
      Map<Long, List<IngestedRow>> pending = new TreeMap<>();
      for (int i = 0; i < snapshots; i++) {
        long seq = in.readLong();
        int n = in.readInt();
        List<IngestedRow> rows = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
          rows.add(new IngestedRow(readString(in), readString(in), readString(in)));
        }
        pending.put(seq, rows);
      }
      if (in.available() > 0) {
        throw new StateFormatException("labeling operator checkpoint has trailing bytes");
      }
      return new LabelingOperatorState(cursor, sequence, labelingState, pending);
    } catch (EOFException | NegativeArraySizeException e) {
      throw new StateFormatException("labeling operator checkpoint is truncated or corrupt", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
