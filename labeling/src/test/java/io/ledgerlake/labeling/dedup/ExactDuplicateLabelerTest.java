package io.ledgerlake.labeling.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.labeling.StateFormatException;
import io.ledgerlake.labeling.label.Label;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExactDuplicateLabelerTest {
  private final ExactDuplicateLabeler labeler = new ExactDuplicateLabeler(1000);

  private static Map<String, String> values(List<Label> labels) {
    return labels.stream().collect(Collectors.toMap(Label::key, Label::value));
  }

  @Test
  void normalizedTextDuplicatesPointToTheFirstRecord() {
    ExactDuplicateIndex index = labeler.newIndex();
    Map<String, String> first = values(labeler.label("cidA", "Hello   World\n", index));
    Map<String, String> second = values(labeler.label("cidB", "hello world", index));
    Map<String, String> other = values(labeler.label("cidC", "hello world!", index));
    assertThat(first).containsEntry("exact.text", "canonical").containsEntry("exact.cid", "first")
        .doesNotContainKey("exact.text.canonical_cid");
    assertThat(second).containsEntry("exact.text", "duplicate").containsEntry("exact.text.canonical_cid", "cidA");
    assertThat(second.get("exact.text.hash")).isEqualTo(first.get("exact.text.hash"));
    assertThat(other).containsEntry("exact.text", "canonical");
  }

  @Test
  void repeatedCidIsCountedButStaysCanonical() {
    ExactDuplicateIndex index = labeler.newIndex();
    labeler.label("cidA", "same bytes", index);
    List<Label> again = labeler.label("cidA", "same bytes", index);
    assertThat(values(again)).containsEntry("exact.cid", "repeat").containsEntry("exact.text", "canonical");
    assertThat(again.get(0).score()).isEqualTo(2.0);
  }

  @Test
  void boundedIndexEvictsOldestFirst() {
    BoundedExactDuplicateIndex index = new BoundedExactDuplicateIndex(2);
    labeler.label("a", "text one", index);
    labeler.label("b", "text two", index);
    labeler.label("c", "text three", index); // evicts "text one"
    assertThat(index.size()).isEqualTo(2);
    assertThat(values(labeler.label("d", "TEXT ONE", index))).containsEntry("exact.text", "canonical");
    assertThat(values(labeler.label("e", "text three", index))).containsEntry("exact.text.canonical_cid", "c");
  }

  @Test
  void serializerRoundTripPreservesStateAndOrder() {
    BoundedExactDuplicateIndex index = new BoundedExactDuplicateIndex(3);
    for (int i = 0; i < 5; i++) {
      labeler.label("cid" + i, "text " + i, index);
    }
    byte[] bytes = ExactDuplicateIndexSerializer.serialize(index);
    BoundedExactDuplicateIndex copy = ExactDuplicateIndexSerializer.deserialize(bytes);
    assertThat(ExactDuplicateIndexSerializer.serialize(copy)).isEqualTo(bytes);
    assertThat(copy.maxEntries()).isEqualTo(3);
    // same future behaviour: next insert evicts "text 2" in both
    labeler.label("x", "text 9", index);
    labeler.label("x", "text 9", copy);
    assertThat(values(labeler.label("y", "text 2", copy))).isEqualTo(values(labeler.label("y", "text 2", index)));
    assertThat(values(labeler.label("z", "text 4", copy))).containsEntry("exact.text.canonical_cid", "cid4");
  }

  @Test
  void unknownVersionAndGarbageAreRejected() {
    byte[] bytes = ExactDuplicateIndexSerializer.serialize(new BoundedExactDuplicateIndex(3));
    bytes[7] = 99;
    assertThatThrownBy(() -> ExactDuplicateIndexSerializer.deserialize(bytes))
        .isInstanceOf(StateFormatException.class).hasMessageContaining("version 99");
    assertThatThrownBy(() -> ExactDuplicateIndexSerializer.deserialize(new byte[] {1, 2, 3, 4, 5}))
        .isInstanceOf(StateFormatException.class).hasMessageContaining("magic");
  }
}
