package io.ledgerlake.labeling.label;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Runs several labelers on one record, in order, and concatenates their labels. */
public final class LabelerChain implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final List<Labeler> labelers;

  public LabelerChain(List<? extends Labeler> labelers) {
    this.labelers = List.copyOf(Objects.requireNonNull(labelers, "labelers"));
  }

  public List<Labeler> labelers() {
    return labelers;
  }

  public List<Label> label(String recordCid, String text) {
    List<Label> out = new ArrayList<>();
    for (Labeler labeler : labelers) {
      out.addAll(labeler.label(recordCid, text));
    }
    return out;
  }
}
