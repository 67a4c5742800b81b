package io.ledgerlake.ingestion.dataset;

/** Who may read a dataset's metadata and submissions. */
public enum Visibility {
  PUBLIC,
  PRIVATE
}
