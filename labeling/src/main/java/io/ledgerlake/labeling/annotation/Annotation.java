package io.ledgerlake.labeling.annotation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A stored annotation: the canonicalised request plus when it was accepted and its review status. */
public record Annotation(String annotationId, String datasetId, String recordCid, String annotatorId,
    List<String> values, long timeSpentMillis, Instant submittedAt, Status status) {
  public enum Status {
    SUBMITTED,
    ACCEPTED,
    REJECTED
  }

  public Annotation {
    Objects.requireNonNull(annotationId, "annotationId");
    Objects.requireNonNull(datasetId, "datasetId");
    Objects.requireNonNull(recordCid, "recordCid");
    Objects.requireNonNull(annotatorId, "annotatorId");
    values = List.copyOf(values);
    Objects.requireNonNull(submittedAt, "submittedAt");
    Objects.requireNonNull(status, "status");
  }

  Annotation withStatus(Status s) {
    return new Annotation(annotationId, datasetId, recordCid, annotatorId, values, timeSpentMillis, submittedAt, s);
  }

  boolean samePayload(AnnotationRequest r, List<String> canonicalValues) {
    return annotationId.equals(r.annotationId()) && datasetId.equals(r.datasetId())
        && recordCid.equals(r.recordCid()) && annotatorId.equals(r.annotatorId())
        && values.equals(canonicalValues) && timeSpentMillis == r.timeSpentMillis();
  }
}
