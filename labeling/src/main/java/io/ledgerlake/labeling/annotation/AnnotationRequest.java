package io.ledgerlake.labeling.annotation;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.List;
import java.util.Objects;

/**
 * The body of {@code POST /v1/annotations}. {@code annotationId} is chosen by the client (e.g. a UUID) so a retried
 * request is recognised and not counted twice.
 */
public record AnnotationRequest(String annotationId, String datasetId, String recordCid, String annotatorId,
    List<String> values, long timeSpentMillis) {
  public AnnotationRequest {
    Objects.requireNonNull(annotationId, "annotationId");
    Objects.requireNonNull(datasetId, "datasetId");
    Objects.requireNonNull(recordCid, "recordCid");
    Objects.requireNonNull(annotatorId, "annotatorId");
    values = List.copyOf(values);
    InvalidLabelingInputException.check(!annotationId.isBlank(), "annotationId must not be blank");
    InvalidLabelingInputException.check(timeSpentMillis >= 0, "timeSpentMillis must be >= 0, got %s",
        timeSpentMillis);
  }
}
