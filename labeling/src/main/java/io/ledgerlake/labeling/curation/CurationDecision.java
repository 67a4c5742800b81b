package io.ledgerlake.labeling.curation;

import java.util.List;
import java.util.Objects;

/** Whether a record is in the curated view, and every reason it is not. */
public record CurationDecision(String recordCid, List<Exclusion> exclusions) {
  public CurationDecision {
    Objects.requireNonNull(recordCid, "recordCid");
    exclusions = List.copyOf(exclusions);
  }

  public boolean included() {
    return exclusions.isEmpty();
  }
}
