package io.ledgerlake.ingestion.status;

import java.util.Locale;

/** Lifecycle of a submission: received → ingesting → ingested | rejected | failed. */
public enum SubmissionState {
  /** Content durable and the event is on the submission log; not picked up yet. */
  RECEIVED,
  INGESTING,
  /** Committed to the lakehouse (possibly with per-record rejections). */
  INGESTED,
  /** The upload as a whole was unusable (truncated Parquet, unsafe archive...): nothing was committed. */
  REJECTED,
  /** An internal or external failure; an operator must look. */
  FAILED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
