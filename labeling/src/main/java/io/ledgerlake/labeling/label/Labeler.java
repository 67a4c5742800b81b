package io.ledgerlake.labeling.label;

import java.io.Serializable;
import java.util.List;

/**
 * A named, versioned auto-labeler: a per-record function from text to labels.
 *
 * <p>Contract for engine wrappers (the Flink operator): implementations are {@link Serializable} and hold no
 * non-serializable resources except in transient fields they rebuild lazily. Stateless labelers return the same labels
 * for the same input. Stateful labelers (duplicates) keep all their state in an explicit state object the operator can
 * snapshot and restore with its versioned serializer; restoring it and replaying the same records yields the same labels.
 * The version changes whenever the labels a labeler emits for the same input could change (model, thresholds, lexicon).
 */
public interface Labeler extends Serializable {
  String name();

  String version();

  /** {@code name@version}, the value stored in {@code label.labels.labeler}. */
  default String id() {
    return name() + "@" + version();
  }

  List<Label> label(String recordCid, String text);
}
