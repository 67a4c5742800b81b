package io.ledgerlake.labeling.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.LabelingState;
import io.ledgerlake.labeling.LabelingStateSerializer;
import io.ledgerlake.labeling.StateFormatException;
import io.ledgerlake.labeling.stage.IngestedRow;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelingOperatorStateSerializerTest {
  static final String TEXT = "The committee met on Tuesday to review the budget for the new library wing and agreed"
      + " to publish the minutes next week so that every resident can read the decisions.";

  @Test
  void roundTripsToIdenticalBytesAndBehaviour() {
    LabelingPipeline pipeline = new LabelingPipeline(LabelingOptions.defaults());
    LabelingState state = pipeline.newState();
    pipeline.process("c1", TEXT, state);
    LabelingOperatorState original = new LabelingOperatorState(42L, 7L, LabelingStateSerializer.serialize(state),
        Map.of(9L, List.of(new IngestedRow("ds1", "c2", "{\"text\":\"ünïcode " + "x".repeat(70_000) + "\"}")),
            8L, List.of(new IngestedRow("ds2", "c3", "{}"), new IngestedRow("ds2", "c4", "[]"))));

    byte[] bytes = LabelingOperatorStateSerializer.serialize(original);
    LabelingOperatorState back = LabelingOperatorStateSerializer.deserialize(bytes);

    assertThat(LabelingOperatorStateSerializer.serialize(back)).isEqualTo(bytes);
    assertThat(back.cursorSnapshot()).isEqualTo(42L);
    assertThat(back.cursorSequence()).isEqualTo(7L);
    assertThat(back.pending()).isEqualTo(original.pending());
    assertThat(back.pending().keySet()).containsExactly(8L, 9L);
    // The restored duplicate index still knows c1.
    LabelingState restored = LabelingStateSerializer.deserialize(back.labelingState());
    assertThat(pipeline.process("c5", TEXT, restored).labels())
        .anySatisfy(l -> assertThat(l.key() + "=" + l.value()).isEqualTo("exact.text=duplicate"));
  }

  @Test
  void noCursorRoundTrips() {
    LabelingOperatorState empty = new LabelingOperatorState(null, 0, new byte[] {1, 2}, Map.of());
    LabelingOperatorState back =
        LabelingOperatorStateSerializer.deserialize(LabelingOperatorStateSerializer.serialize(empty));
    assertThat(back.cursorSnapshot()).isNull();
    assertThat(back.labelingState()).containsExactly(1, 2);
  }

  @Test
  void rejectsUnknownVersionsForeignBytesAndTruncation() {
    byte[] bytes = LabelingOperatorStateSerializer.serialize(new LabelingOperatorState(1L, 1, new byte[0], Map.of()));
    byte[] future = bytes.clone();
    ByteBuffer.wrap(future).putInt(4, 2);
    assertThatThrownBy(() -> LabelingOperatorStateSerializer.deserialize(future))
        .isInstanceOf(StateFormatException.class).hasMessageContaining("version 2");
    assertThatThrownBy(() -> LabelingOperatorStateSerializer.deserialize(new byte[] {0, 0, 0, 1, 0, 0, 0, 1}))
        .isInstanceOf(StateFormatException.class).hasMessageContaining("magic");
    assertThatThrownBy(() -> LabelingOperatorStateSerializer.deserialize(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(StateFormatException.class).hasMessageContaining("truncated");
  }
}
