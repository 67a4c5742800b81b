package io.ledgerlake.training.serve;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;

/**
 * Why a model call was not answered. Every reason is the caller's to fix (a user error); the HTTP API maps each to its
 * status ({@link Reason#httpStatus}). Nothing is recorded for a refused call.
 */
public final class ModelCallException extends LakehouseException {
  public enum Reason {
    /** No inputs, too many or too long, a malformed call id: 400. */
    BAD_REQUEST(400),
    /** No such published model asset: 404. */
    NOT_FOUND(404),
    /** The caller holds no licence on the model: 402, with the kinds that would do. */
    LICENCE_REQUIRED(402),
    /** A call id reused for other inputs or by another caller: 409. */
    CALL_ID_CONFLICT(409);

    private final int httpStatus;

    Reason(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Reason reason;

  public ModelCallException(Reason reason, String format, Object... args) {
    super(ErrorCategory.USER_ERROR, format, args);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
