package io.ledgerlake.jobs.attribution;

import io.ledgerlake.jobs.reconcile.ReconcileItem;
import io.ledgerlake.jobs.reconcile.ReconcileStatus;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.provenance.merkle.UsagePayoutTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reconcile of usage payouts (issue 15, item 5): for every epoch with a payout root on chain, recomputes the shares
 * of each of its settlements with {@link UsageShares} from the attribution.usage snapshot the settlement run pinned
 * (recorded in its ops.job_runs row and in attribution.settlements.usage_snapshot), and once more from the current
 * table, rebuilds the epoch's {@link UsagePayoutTree} from each and compares the roots with the chain's:
 * SHARES_MISMATCH if either differs (the second catches usage rows changed after settlement). Each settlement's
 * metered calls must equal the metered rows (rank-1, licence kind api) of its licensee, asset and epoch in both:
 * CALLS_MISMATCH otherwise.
 */
public final class UsagePayoutCheck {
  public static final String CHECK_PAYOUT = "usage_payout";
  public static final String CHECK_CALLS = "usage_calls";

  private UsagePayoutCheck() {}

  /** One final settlement, as the check needs it. */
  private record Settled(String id, String epoch, long usageSnapshot, long meteredCalls, long settledCalls,
      BigInteger netWei, Duration epochLength) {}

  /** Items for every payout root on chain ({@code onChainRoots}: epoch key, Unix seconds → 0x root). */
  public static List<ReconcileItem> check(Lakehouse lakehouse, Map<Long, String> onChainRoots) {
    List<ReconcileItem> items = new ArrayList<>();
    Map<Long, Payouts.Row> byKey = new TreeMap<>();
    for (Payouts.Row r : Payouts.latest(lakehouse).values()) {
      if (r.status().equals(Payouts.FINAL)) {
        byKey.put(r.epochStart(), r);
      }
    }
    for (var e : byKey.entrySet()) {
      if (!onChainRoots.containsKey(e.getKey())) {
        items.add(new ReconcileItem(CHECK_PAYOUT, e.getValue().epoch(), null, null, null,
            ReconcileStatus.MISSING_ON_CHAIN, e.getValue().root(), null, "attribution.payouts has a final root for"
                + " this epoch that the indexed chain does not (run 'ledgerlake index --once' first)"));
      }
    }
    if (onChainRoots.isEmpty()) {
      return items;
    }
    Map<String, Settled> settled = settled(lakehouse);
    Table usageTable = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
    usageTable.refresh();
    long current = usageTable.currentSnapshot() == null ? -1 : usageTable.currentSnapshot().snapshotId();
    Map<String, MeteredUsage> cache = new HashMap<>();
    for (var root : onChainRoots.entrySet()) {
      Payouts.Row payout = byKey.get(root.getKey());
      if (payout == null) {
        items.add(new ReconcileItem(CHECK_PAYOUT, Long.toString(root.getKey()), null, null, null,
            ReconcileStatus.MISSING_IN_LAKEHOUSE, null, root.getValue(), "a usage payout root is on chain for epoch"
                + " key " + root.getKey() + " but attribution.payouts has no final row for it"));
        continue;
      }
      Map<String, BigInteger> atSettlement = new TreeMap<>();
      Map<String, BigInteger> now = new TreeMap<>();
      List<String> problems = new ArrayList<>();
      for (String id : payout.settlementIds()) {
        Settled s = settled.get(id);
        if (s == null) {
          problems.add(id + " has no final attribution.settlements row");
          continue;
        }
        MeteredUsage pinned = cache.computeIfAbsent(s.usageSnapshot() + "/" + s.epochLength(),
            k -> MeteredUsage.read(lakehouse, MeteredUsage.CallsTable.USAGE, s.usageSnapshot(), s.epochLength()));
        MeteredUsage latest = cache.computeIfAbsent(current + "/" + s.epochLength(),
            k -> MeteredUsage.read(lakehouse, MeteredUsage.CallsTable.USAGE, current, s.epochLength()));
        addShares(atSettlement, pinned, s);
        addShares(now, latest, s);
        long rowsPinned = calls(pinned, id);
        long rowsNow = calls(latest, id);
        boolean ok = rowsPinned == s.meteredCalls() && rowsNow == s.meteredCalls();
        items.add(new ReconcileItem(CHECK_CALLS, id, id.split("/")[1], null, null,
            ok ? ReconcileStatus.MATCH : ReconcileStatus.CALLS_MISMATCH, Long.toString(s.meteredCalls()),
            rowsPinned + " at snapshot " + s.usageSnapshot() + ", " + rowsNow + " now",
            ok ? s.meteredCalls() + " metered call(s), " + s.settledCalls() + " settled"
                : "the settlement metered " + s.meteredCalls() + " call(s); attribution.usage has " + rowsPinned
                    + " in the settled snapshot and " + rowsNow + " now"));
      }
      String expectedPinned = rootOf(root.getKey(), atSettlement);
      String expectedNow = rootOf(root.getKey(), now);
      String detail;
      boolean ok = problems.isEmpty() && root.getValue().equalsIgnoreCase(expectedPinned)
          && root.getValue().equalsIgnoreCase(expectedNow);
      if (ok) {
        detail = payout.settlementIds().size() + " settlement(s), " + payout.leaves() + " leaves, " + payout.totalWei()
            + " wei";
      } else if (!problems.isEmpty()) {
        detail = String.join("; ", problems);
      } else if (!root.getValue().equalsIgnoreCase(expectedPinned)) {
        detail = "the root on chain differs from the shares recomputed from the usage snapshots the settlements"
            + " recorded: the payout does not pay what usage-rank-v1 gives";
      } else {
        detail = "attribution.usage was changed after settlement: the shares recomputed from the current rows give"
            + " root " + expectedNow + ", not the root on chain (which matches the settled snapshot)";
      }
      items.add(new ReconcileItem(CHECK_PAYOUT, payout.epoch(), null, null, null,
          ok ? ReconcileStatus.MATCH : ReconcileStatus.SHARES_MISMATCH, expectedPinned, root.getValue(), detail));
    }
    return items;
  }

  private static void addShares(Map<String, BigInteger> owed, MeteredUsage usage, Settled s) {
    MeteredUsage.Metered m = usage.metered().get(s.id());
    if (m == null) {
      return;
    }
    int paid = (int) Math.min(s.settledCalls(), m.calls().size());
    for (UsageShares.Share sh : UsageShares.split(s.netWei(), usage.retrievals(m.calls().subList(0, paid)))) {
      owed.merge(sh.contributor(), sh.amountWei(), BigInteger::add);
    }
  }

  private static long calls(MeteredUsage usage, String id) {
    MeteredUsage.Metered m = usage.metered().get(id);
    return m == null ? 0 : m.calls().size();
  }

  private static String rootOf(long epochKey, Map<String, BigInteger> owed) {
    try {
      return UsagePayoutTree.build(epochKey, owed).rootHex();
    } catch (IllegalArgumentException e) {
      return "(no shares: " + e.getMessage() + ")";
    }
  }

  private static Map<String, Settled> settled(Lakehouse lakehouse) {
    Table table = lakehouse.table(TableModel.ATTRIBUTION_SETTLEMENTS);
    table.refresh();
    Map<String, Settled> out = new HashMap<>();
    if (table.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        String status = (String) r.getField("status");
        if (!status.equals(Settlements.SETTLED) && !status.equals(Settlements.PARTIAL)) {
          continue;
        }
        Duration length = Duration.between(((OffsetDateTime) r.getField("epoch_start")).toInstant(),
            ((OffsetDateTime) r.getField("epoch_end")).toInstant());
        out.put((String) r.getField("settlement_id"), new Settled((String) r.getField("settlement_id"),
            (String) r.getField("epoch"), (Long) r.getField("usage_snapshot"), (Long) r.getField("metered_calls"),
            (Long) r.getField("settled_calls"), ((BigDecimal) r.getField("net_wei")).toBigIntegerExact(), length));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
