package io.ledgerlake.labeling.weights;

/** The ways a participant contributes to a dataset. */
public enum Role {
  PROVIDER,
  ANNOTATOR,
  REVIEWER
}
