package io.ledgerlake.labeling;

import io.ledgerlake.labeling.dedup.ExactDuplicateIndexSerializer;
import io.ledgerlake.labeling.dedup.LshIndexSerializer;
import java.nio.ByteBuffer;

/**
 * Versioned envelope around the state serializers: {@code int magic 'LLST', int version=1, int n, n bytes exact-dup
 * state, int m, m bytes LSH state}. Each part carries its own version too.
 */
public final class LabelingStateSerializer {
  static final int MAGIC = 0x4C4C5354; // "LLST"
  public static final int VERSION_1 = 1;
  public static final int CURRENT_VERSION = VERSION_1;

  private LabelingStateSerializer() {}

  public static byte[] serialize(LabelingState state) {
    byte[] exact = ExactDuplicateIndexSerializer.serialize(state.exact());
    byte[] near = LshIndexSerializer.serialize(state.near());
    return ByteBuffer.allocate(16 + exact.length + near.length)
        .putInt(MAGIC).putInt(CURRENT_VERSION)
        .putInt(exact.length).put(exact)
        .putInt(near.length).put(near)
        .array();
  }

  public static LabelingState deserialize(byte[] data) {
    try {
      ByteBuffer in = ByteBuffer.wrap(data);
      int magic = in.getInt();
      if (magic != MAGIC) {
        throw new StateFormatException(String.format("not a labeling state checkpoint: magic 0x%08x", magic));
      }
      int version = in.getInt();
      if (version != VERSION_1) {
        throw new StateFormatException("unknown labeling state version " + version + " (this build reads up to "
            + CURRENT_VERSION + "): restore with a newer ledgerlake-labeling");
      }
      byte[] exact = new byte[in.getInt()];
      in.get(exact);
      byte[] near = new byte[in.getInt()];
      in.get(near);
      if (in.hasRemaining()) {
        throw new StateFormatException("labeling state checkpoint has trailing bytes");
      }
      return new LabelingState(
          ExactDuplicateIndexSerializer.deserialize(exact), LshIndexSerializer.deserialize(near));
    } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
      throw new StateFormatException("labeling state checkpoint is truncated or corrupt", e);
    }
  }
}
