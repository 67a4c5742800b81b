package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.LabelingResult;
import io.ledgerlake.labeling.LabelingState;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.label.Labeler;
import io.ledgerlake.labeling.pii.PiiLabeler;
import java.util.ArrayList;
import java.util.List;

/**
 * Labels the rows one {@code ingest.records} snapshot appended: sorted by {@link IngestedRow#ORDER}, each through the
 * {@link LabelingPipeline} with the shared {@link LabelingState}, into the rows of {@code label.labels}
 * ({@link LabelRows#labelsOf}). The one place both the batch stage and the Flink job turn records into label rows, so
 * the two write identical rows for the same input and state.
 */
public final class SnapshotLabeler {
  /** Receives the label rows of one record. */
  @FunctionalInterface
  public interface RowSink {
    void accept(String datasetId, Label label);
  }

  private final LabelingPipeline pipeline;
  private final String piiLabelerId;

  public SnapshotLabeler(LabelingPipeline pipeline) {
    this.pipeline = requireNonNull(pipeline, "pipeline");
    this.piiLabelerId = pipeline.labelers().stream().filter(l -> l.name().equals(PiiLabeler.NAME))
        .map(Labeler::id).findFirst().orElse(PiiLabeler.NAME);
  }

  public LabelingPipeline pipeline() {
    return pipeline;
  }

  /** Labels {@code rows} (one snapshot's, in any order) and returns how many records were labeled. */
  public int label(List<IngestedRow> rows, LabelingState state, RowSink out) {
    List<IngestedRow> sorted = new ArrayList<>(rows);
    sorted.sort(IngestedRow.ORDER);
    for (IngestedRow r : sorted) {
      LabelingResult result = pipeline.process(r.recordCid(), RecordText.of(r.recordJson()), state);
      for (Label l : LabelRows.labelsOf(result, piiLabelerId, pipeline.curator().policy())) {
        out.accept(r.datasetId(), l);
      }
    }
    return sorted.size();
  }
}
