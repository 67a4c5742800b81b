package io.ledgerlake.labeling;

import io.ledgerlake.labeling.curation.CurationDecision;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.pii.RedactionResult;
import java.util.List;
import java.util.Objects;

/** Everything the labeling stage produces for one record: label rows, the redacted copy, the curation decision. */
public record LabelingResult(String recordCid, List<Label> labels, RedactionResult redaction, CurationDecision decision) {
  public LabelingResult {
    Objects.requireNonNull(recordCid, "recordCid");
    labels = List.copyOf(labels);
    Objects.requireNonNull(redaction, "redaction");
    Objects.requireNonNull(decision, "decision");
  }
}
