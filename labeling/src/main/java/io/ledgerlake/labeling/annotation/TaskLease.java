package io.ledgerlake.labeling.annotation;

import java.time.Instant;
import java.util.Objects;

/** A reservation of one record for one annotator until {@code expiresAt}. */
public record TaskLease(String recordCid, String annotatorId, Instant issuedAt, Instant expiresAt) {
  public TaskLease {
    Objects.requireNonNull(recordCid, "recordCid");
    Objects.requireNonNull(annotatorId, "annotatorId");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean activeAt(Instant now) {
    return now.isBefore(expiresAt);
  }
}
