package io.ledgerlake.labeling.curation;

import java.util.Objects;

/** One reason one record is excluded: the row {@code curation.exclusions} holds, queryable by reason and labeler. */
public record Exclusion(String recordCid, ExclusionReason reason, String labelerId, String detail) {
  public Exclusion {
    Objects.requireNonNull(recordCid, "recordCid");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(labelerId, "labelerId");
    Objects.requireNonNull(detail, "detail");
  }
}
