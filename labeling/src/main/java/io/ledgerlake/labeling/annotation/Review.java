package io.ledgerlake.labeling.annotation;

import java.util.Objects;

/**
 * The body of {@code POST /v1/reviews}: a reviewer's decision on one annotation. {@code reviewId} makes replays
 * idempotent.
 */
public record Review(String reviewId, String annotationId, String reviewerId, Decision decision, String comment) {
  public enum Decision {
    /** The answer is right: it becomes reviewed gold for the record. */
    ACCEPT,
    /** The answer is wrong: it leaves consensus and the record gets a slot for another annotator. */
    REJECT,
    /** The answer stands but the record needs one more opinion: its overlap target grows by one. */
    REQUEUE
  }

  public Review {
    Objects.requireNonNull(reviewId, "reviewId");
    Objects.requireNonNull(annotationId, "annotationId");
    Objects.requireNonNull(reviewerId, "reviewerId");
    Objects.requireNonNull(decision, "decision");
    comment = comment == null ? "" : comment;
  }
}
