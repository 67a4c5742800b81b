package io.ledgerlake.ingestion.record;

import static java.util.Objects.requireNonNull;

/** One rejected record with its position and a reason a contributor can act on. */
public record Rejection(RecordPosition position, RejectionCode code, String reason) {
  public Rejection {
    requireNonNull(position, "position");
    requireNonNull(code, "code");
    requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return position + ": " + code + ": " + reason;
  }
}
