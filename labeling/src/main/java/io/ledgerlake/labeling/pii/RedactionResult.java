package io.ledgerlake.labeling.pii;

import java.util.List;
import java.util.Objects;

/**
 * A redacted copy of one record: what training and RAG read. The original stays private.
 *
 * @param redactedText the text with every match replaced by its typed placeholder
 * @param unredactable reasons the redacted copy still cannot be trusted; empty when it can
 */
public record RedactionResult(String redactedText, List<PiiMatch> matches, List<UnredactableReason> unredactable) {
  public RedactionResult {
    Objects.requireNonNull(redactedText, "redactedText");
    matches = List.copyOf(matches);
    unredactable = List.copyOf(unredactable);
  }

  public boolean isUnredactable() {
    return !unredactable.isEmpty();
  }
}
