package io.ledgerlake.labeling.annotation;

import java.time.Instant;
import java.util.Objects;

/**
 * A record handed to one annotator. Carries no other annotator's answer: annotators never see each other's work.
 */
public record AnnotationTask(String datasetId, String recordCid, String annotatorId, LabelSchema schema,
    Instant assignedAt) {
  public AnnotationTask {
    Objects.requireNonNull(datasetId, "datasetId");
    Objects.requireNonNull(recordCid, "recordCid");
    Objects.requireNonNull(annotatorId, "annotatorId");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(assignedAt, "assignedAt");
  }
}
