package io.ledgerlake.labeling.curation;

import java.io.Serial;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

/** Which exclusion reasons are enforced. */
public record CurationPolicy(Set<ExclusionReason> enforced) implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  public CurationPolicy {
    enforced = Set.copyOf(enforced);
  }

  /** Everything the issue names (harmful, duplicates, unredactable PII); low quality only labels. */
  public static CurationPolicy defaults() {
    return new CurationPolicy(EnumSet.of(ExclusionReason.HARMFUL, ExclusionReason.EXACT_DUPLICATE,
        ExclusionReason.NEAR_DUPLICATE, ExclusionReason.UNREDACTABLE_PII));
  }

  public CurationPolicy withLowQuality(boolean exclude) {
    EnumSet<ExclusionReason> set = EnumSet.copyOf(defaultsIfEmpty());
    if (exclude) {
      set.add(ExclusionReason.LOW_QUALITY);
    } else {
      set.remove(ExclusionReason.LOW_QUALITY);
    }
    return new CurationPolicy(set);
  }

  private Set<ExclusionReason> defaultsIfEmpty() {
    return enforced.isEmpty() ? EnumSet.noneOf(ExclusionReason.class) : enforced;
  }
}
