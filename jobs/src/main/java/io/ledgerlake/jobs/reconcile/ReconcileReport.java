package io.ledgerlake.jobs.reconcile;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** All items of one reconcile run. */
public record ReconcileReport(String runId, List<ReconcileItem> items) {
  public ReconcileReport {
    requireNonNull(runId, "runId");
    items = List.copyOf(items);
  }

  public List<ReconcileItem> discrepancies() {
    return items.stream().filter(i -> i.status().discrepancy()).toList();
  }

  public boolean clean() {
    return discrepancies().isEmpty();
  }

  /** Items per status, every status present (zero if none). */
  public Map<ReconcileStatus, Long> counts() {
    Map<ReconcileStatus, Long> out = new EnumMap<>(ReconcileStatus.class);
    for (ReconcileStatus s : ReconcileStatus.values()) {
      out.put(s, 0L);
    }
    items.forEach(i -> out.merge(i.status(), 1L, Long::sum));
    return out;
  }
}
