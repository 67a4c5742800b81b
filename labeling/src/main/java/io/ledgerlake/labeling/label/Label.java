package io.ledgerlake.labeling.label;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.Objects;

/**
 * One row of {@code label.labels}: what labeler {@code labelerId} (name@version) said about record {@code recordCid}
 * under {@code key}. {@code (recordCid, labelerId, key)} is the natural key: a labeler emits at most one label per key
 * per record, so a sink can upsert on it and a replay after a restart never adds duplicate rows.
 *
 * @param score the labeler's number for this key: a probability for classifiers, the measured value for heuristics
 *     (e.g. a ratio), an estimated Jaccard similarity for near duplicates. Always finite.
 */
public record Label(String recordCid, String labelerId, String key, String value, double score) {
  public Label {
    Objects.requireNonNull(recordCid, "recordCid");
    Objects.requireNonNull(labelerId, "labelerId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    InvalidLabelingInputException.check(
        Double.isFinite(score), "label score must be finite, got %s for %s/%s on %s", score, labelerId, key, recordCid);
  }
}
