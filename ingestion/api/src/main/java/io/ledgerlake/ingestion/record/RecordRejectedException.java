package io.ledgerlake.ingestion.record;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;

/**
 * One record cannot be accepted (bad number, schema mismatch...). Thrown by value-level code that does not know
 * the record's position; the caller turns it into a {@link Rejection} and carries on with the next record.
 */
public final class RecordRejectedException extends IngestionException {
  private final RejectionCode rejectionCode;

  public RecordRejectedException(RejectionCode code, String message) {
    super(ErrorCategory.USER_ERROR, code.name(), message, null);
    this.rejectionCode = code;
  }

  public RejectionCode rejectionCode() {
    return rejectionCode;
  }

  public Rejection at(RecordPosition position) {
    return new Rejection(position, rejectionCode, getMessage());
  }
}
