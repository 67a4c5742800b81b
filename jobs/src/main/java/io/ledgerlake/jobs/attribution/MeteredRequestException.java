package io.ledgerlake.jobs.attribution;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;

/**
 * Why a request to a licence-gated, metered service (a RAG query, a model call) was not answered. Every reason is the
 * caller's to fix (a user error), and the HTTP APIs map each to the same status ({@link Reason#httpStatus}), so the
 * services answer alike. Nothing is metered for a refused request.
 */
public class MeteredRequestException extends LakehouseException {
  public enum Reason {
    /** Malformed or out-of-bounds input, a malformed request id: 400. */
    BAD_REQUEST(400),
    /** No such asset, or not one this service answers for: 404. */
    NOT_FOUND(404),
    /** The caller holds no licence that allows the request: 402, with the licences that would. */
    LICENCE_REQUIRED(402),
    /** A request id reused for another request or by another caller: 409. */
    ID_CONFLICT(409);

    private final int httpStatus;

    Reason(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Reason reason;

  public MeteredRequestException(Reason reason, String format, Object... args) {
    super(ErrorCategory.USER_ERROR, format, args);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
