package io.ledgerlake.labeling.consensus;

import java.util.Map;
import java.util.Objects;

/**
 * A row of {@code label.consensus}: the agreed label of one item and how sure the method is.
 *
 * @param confidence majority vote: share of votes for {@code label}; Dawid-Skene: its posterior probability
 * @param distribution the full vote share or posterior per class
 */
public record ConsensusLabel(String itemId, String label, double confidence, Map<String, Double> distribution,
    String method) {
  public ConsensusLabel {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(label, "label");
    distribution = Map.copyOf(distribution);
    Objects.requireNonNull(method, "method");
  }
}
