package io.ledgerlake.ingestion.record;

/** Why one record (or one archive entry) was rejected while the rest of the upload goes on. */
public enum RejectionCode {
  MALFORMED_JSON,
  NOT_AN_OBJECT,
  DUPLICATE_KEY,
  INVALID_UTF8,
  RECORD_TOO_LARGE,
  WRONG_COLUMN_COUNT,
  MALFORMED_CSV,
  NUMBER_NOT_REPRESENTABLE,
  /** Beyond {@link BoundedNumbers}: more digits or a larger exponent than any stored type holds. */
  NUMBER_OUT_OF_RANGE,
  SCHEMA_MISMATCH,
  UNSUPPORTED_ENTRY,
  /** The record made the processing code fail unexpectedly; the rest of the upload goes on (a bug to report). */
  PROCESSING_ERROR
}
