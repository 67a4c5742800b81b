package io.ledgerlake.labeling.consensus;

import java.util.Objects;

/** One worker's (annotator's) class label for one item (record). */
public record Vote(String itemId, String workerId, String label) {
  public Vote {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(label, "label");
  }
}
