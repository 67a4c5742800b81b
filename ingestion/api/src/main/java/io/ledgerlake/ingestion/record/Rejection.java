package io.ledgerlake.ingestion.record;

import static java.util.Objects.requireNonNull;

/** One rejected record with its position and a reason a contributor can act on. */
public record Rejection(RecordPosition position, RejectionCode code, String reason) {
  public Rejection {
    requireNonNull(position, "position");
    requireNonNull(code, "code");
    requireNonNull(reason, "reason");
    // Reasons are stored per rejected record and shown to contributors: whatever built the message, its size
    // stays bounded here (a record-sized reason would multiply a hostile upload's footprint).
    if (reason.length() > MAX_REASON_CHARS) {
      reason = reason.substring(0, MAX_REASON_CHARS - 1) + "…";
    }
  }

  /** Longest reason kept; longer ones are cut with an ellipsis. */
  public static final int MAX_REASON_CHARS = 1000;

  @Override
  public String toString() {
    return position + ": " + code + ": " + reason;
  }
}
