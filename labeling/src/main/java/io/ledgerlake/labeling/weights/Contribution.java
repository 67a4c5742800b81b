package io.ledgerlake.labeling.weights;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.Objects;

/**
 * One participant's contribution in one role. Weight = {@code count x quality}: accepted records for a provider (quality
 * 1), non-rejected annotations x accuracy for an annotator, reviews x agreement for a reviewer.
 */
public record Contribution(String participantId, Role role, long count, double quality) {
  public Contribution {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(role, "role");
    InvalidLabelingInputException.check(count >= 0, "contribution count must be >= 0, got %s for %s", count,
        participantId);
    InvalidLabelingInputException.check(quality >= 0 && quality <= 1,
        "contribution quality must be in [0, 1], got %s for %s", quality, participantId);
  }

  public static Contribution provider(String id, long acceptedRecords) {
    return new Contribution(id, Role.PROVIDER, acceptedRecords, 1.0);
  }

  public double weight() {
    return count * quality;
  }
}
