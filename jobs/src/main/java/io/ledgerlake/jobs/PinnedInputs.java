package io.ledgerlake.jobs;

import java.util.List;
import java.util.Optional;

/** The pinned inputs of one run, in the order the job declared them. Immutable. */
public record PinnedInputs(List<PinnedInput> all) {
  public PinnedInputs {
    all = List.copyOf(all);
  }

  public static PinnedInputs of(PinnedInput... inputs) {
    return new PinnedInputs(List.of(inputs));
  }

  public static PinnedInputs none() {
    return new PinnedInputs(List.of());
  }

  /** The snapshot pinned for {@code table} (the first, if it was declared twice). */
  public Optional<PinnedInput> table(String table) {
    return all.stream().filter(i -> table.equals(i.table())).findFirst();
  }

  /** The snapshot id pinned for {@code table}; fails if the job did not declare it (a bug in the job). */
  public long snapshotOf(String table) {
    return table(table).orElseThrow(() -> new IllegalStateException(table + " is not a pinned input of this run"))
        .snapshotId();
  }
}
