package io.ledgerlake.labeling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.labeling.curation.ExclusionReason;
import io.ledgerlake.labeling.curation.Exclusion;
import io.ledgerlake.labeling.label.Label;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelingPipelineTest {
  private final LabelingPipeline pipeline = new LabelingPipeline(LabelingOptions.fromMap(
      Map.of(LabelingOptions.LSH_CAPACITY, "1000", LabelingOptions.EXACT_MAX_ENTRIES, "1000")));

  static final String BASE = "Our cooperative collects rainfall data from forty stations across the highlands and"
      + " publishes daily summaries for farmers, schools and local planners. Volunteers check each gauge every"
      + " morning, record the readings in a shared notebook and send a photo of the page to the coordinator.";

  static List<String[]> records() {
    List<String[]> r = new ArrayList<>();
    r.add(new String[] {"r1", BASE});
    r.add(new String[] {"r2", BASE.toUpperCase()}); // exact duplicate after normalization
    // near duplicate: 5 of ~48 shingles new (true Jaccard about 0.9)
    r.add(new String[] {"r3", BASE + " Thanks to all of them."});
    r.add(new String[] {"r4", "Reach the coordinator at maria@example.org. " + "The stations are maintained by the"
        + " district office, which also repairs broken gauges and trains new volunteers every spring."});
    r.add(new String[] {"r5", "I'm going to kill you if you publish that report, and I know where you live."});
    r.add(new String[] {"r6", "wallet words legal winner thank year wave sausage worth useful legal, the rest is"
        + " somewhere else and I do not remember where I wrote them down last winter."});
    return r;
  }

  @Test
  void endToEndDecisionsAndRedactedCopy() {
    LabelingState state = pipeline.newState();
    List<LabelingResult> results = new ArrayList<>();
    for (String[] r : records()) {
      results.add(pipeline.process(r[0], r[1], state));
    }
    assertThat(results.get(0).decision().included()).isTrue();
    assertThat(reasons(results.get(1))).contains(ExclusionReason.EXACT_DUPLICATE);
    assertThat(reasons(results.get(2))).containsExactly(ExclusionReason.NEAR_DUPLICATE);
    assertThat(results.get(3).decision().included()).isTrue();
    assertThat(results.get(3).redaction().redactedText()).startsWith("Reach the coordinator at [EMAIL].");
    assertThat(reasons(results.get(4))).containsExactly(ExclusionReason.HARMFUL);
    assertThat(reasons(results.get(5))).containsExactly(ExclusionReason.UNREDACTABLE_PII);
    // every labeler spoke about every record, and the label natural key is unique per record
    for (LabelingResult r : results) {
      Set<String> labelers = new HashSet<>();
      Set<String> keys = new HashSet<>();
      for (Label l : r.labels()) {
        labelers.add(l.labelerId().substring(0, l.labelerId().indexOf('@')));
        assertThat(keys.add(l.labelerId() + "/" + l.key())).as("duplicate label key %s", l.key()).isTrue();
      }
      assertThat(labelers).containsExactlyInAnyOrder("lang", "quality", "pii", "harm", "exact_dup", "near_dup");
    }
  }

  /**
   * A restart from a checkpoint taken after record k: restoring the state and replaying records k+1.. yields exactly
   * the labels an uninterrupted run produced, so an upserting sink keyed on (cid, labeler, key) gets no duplicates.
   */
  @Test
  void restartFromCheckpointReproducesTheSameLabels() {
    List<String[]> recs = records();
    LabelingState uninterrupted = pipeline.newState();
    List<List<Label>> expected = new ArrayList<>();
    for (String[] r : recs) {
      expected.add(pipeline.process(r[0], r[1], uninterrupted).labels());
    }
    for (int k = 0; k <= recs.size(); k++) {
      LabelingState live = pipeline.newState();
      for (int i = 0; i < k; i++) {
        pipeline.process(recs.get(i)[0], recs.get(i)[1], live);
      }
      byte[] checkpoint = LabelingStateSerializer.serialize(live);
      // the job keeps running past the checkpoint, then fails; records after k are lost and replayed
      for (int i = k; i < recs.size(); i++) {
        pipeline.process(recs.get(i)[0], recs.get(i)[1], live);
      }
      LabelingState restored = LabelingStateSerializer.deserialize(checkpoint);
      for (int i = k; i < recs.size(); i++) {
        assertThat(pipeline.process(recs.get(i)[0], recs.get(i)[1], restored).labels())
            .as("record %s after restore from checkpoint %s", i, k).isEqualTo(expected.get(i));
      }
    }
  }

  @Test
  void stateEnvelopeRejectsUnknownVersion() {
    byte[] bytes = LabelingStateSerializer.serialize(pipeline.newState());
    assertThat(LabelingStateSerializer.serialize(LabelingStateSerializer.deserialize(bytes))).isEqualTo(bytes);
    bytes[7] = 5;
    assertThatThrownBy(() -> LabelingStateSerializer.deserialize(bytes))
        .isInstanceOf(StateFormatException.class).hasMessageContaining("version 5");
  }

  @Test
  void pipelineIsJavaSerializableForEngineOperators() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(pipeline);
    }
    LabelingPipeline copy;
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (LabelingPipeline) in.readObject();
    }
    LabelingState s1 = pipeline.newState();
    LabelingState s2 = copy.newState();
    for (String[] r : records()) {
      assertThat(copy.process(r[0], r[1], s2).labels()).isEqualTo(pipeline.process(r[0], r[1], s1).labels());
    }
  }

  private static List<ExclusionReason> reasons(LabelingResult r) {
    return r.decision().exclusions().stream().map(Exclusion::reason).toList();
  }
}
