package io.ledgerlake.labeling.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.labeling.stage.IngestedRow;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the labeling operator checkpoints: the cursor (the last {@code ingest.records} snapshot whose rows were all
 * labeled and emitted, and its sequence number), the serialized {@link io.ledgerlake.labeling.LabelingState} after it,
 * and the rows of later snapshots received but not labeled yet because their snapshot is incomplete. Serialized by
 * {@link LabelingOperatorStateSerializer}.
 *
 * @param cursorSnapshot null before anything was labeled
 * @param cursorSequence sequence number of {@code cursorSnapshot}; 0 when it is null
 * @param labelingState {@code LabelingStateSerializer} bytes
 * @param pending rows by snapshot sequence number
 */
record LabelingOperatorState(Long cursorSnapshot, long cursorSequence, byte[] labelingState,
    Map<Long, List<IngestedRow>> pending) {
  LabelingOperatorState {
    requireNonNull(labelingState, "labelingState");
    TreeMap<Long, List<IngestedRow>> copy = new TreeMap<>();
    requireNonNull(pending, "pending").forEach((k, v) -> copy.put(k, List.copyOf(v)));
    pending = java.util.Collections.unmodifiableNavigableMap(copy);
  }
}
