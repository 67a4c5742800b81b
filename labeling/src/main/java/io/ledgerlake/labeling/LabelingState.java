package io.ledgerlake.labeling;

import io.ledgerlake.labeling.dedup.BoundedExactDuplicateIndex;
import io.ledgerlake.labeling.dedup.LshIndex;
import java.util.Objects;

/**
 * All mutable state of the labeling stage: what a Flink operator checkpoints (see {@link LabelingStateSerializer}).
 * Everything else in {@link LabelingPipeline} is immutable configuration.
 */
public final class LabelingState {
  private final BoundedExactDuplicateIndex exact;
  private final LshIndex near;

  public LabelingState(BoundedExactDuplicateIndex exact, LshIndex near) {
    this.exact = Objects.requireNonNull(exact, "exact");
    this.near = Objects.requireNonNull(near, "near");
  }

  public BoundedExactDuplicateIndex exact() {
    return exact;
  }

  public LshIndex near() {
    return near;
  }
}
