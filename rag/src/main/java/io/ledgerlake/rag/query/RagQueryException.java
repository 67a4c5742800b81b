package io.ledgerlake.rag.query;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;

/**
 * Why a licence-gated RAG query was not answered. Every reason is the caller's to fix (a user error); the HTTP API maps
 * each to its status ({@link Reason#httpStatus}). Nothing is recorded for a refused query.
 */
public final class RagQueryException extends LakehouseException {
  public enum Reason {
    /** Empty or too long question, k out of range, malformed query id: 400. */
    BAD_REQUEST(400),
    /** No such asset, or an asset without a published index (of the asked version): 404. */
    NOT_FOUND(404),
    /** The caller holds no licence that allows retrieval: 402, with the licences that would. */
    LICENCE_REQUIRED(402),
    /** A query id reused for another question: 409. */
    QUERY_ID_CONFLICT(409);

    private final int httpStatus;

    Reason(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Reason reason;

  public RagQueryException(Reason reason, String format, Object... args) {
    super(ErrorCategory.USER_ERROR, format, args);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
