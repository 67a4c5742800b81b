package io.ledgerlake.jobs.attribution;

import io.ledgerlake.jobs.reconcile.ReconcileItem;
import io.ledgerlake.jobs.reconcile.ReconcileStatus;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
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
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reconcile of settled model calls (issue 15, item 5, for models): each final settlement of model calls metered as
 * many calls as attribution.model_calls holds for its licensee, model asset and epoch, both in the snapshot the
 * settle run counted and now (CALLS_MISMATCH otherwise: rows added or changed after settlement); and its
 * {@code model-receipts-v1} shares add up to what the transaction credited — the net to the model's version, each
 * royalty to its ancestor version (SHARES_MISMATCH otherwise). Shares not written yet (the credited versions'
 * receipts not indexed) are reported as missing, with what to run.
 */
public final class ModelCallsCheck {
  public static final String CHECK = "model_calls";

  private ModelCallsCheck() {}

  public static List<ReconcileItem> check(Lakehouse lakehouse) {
    List<ReconcileItem> items = new ArrayList<>();
    Table settlements = lakehouse.table(TableModel.ATTRIBUTION_SETTLEMENTS);
    settlements.refresh();
    if (settlements.currentSnapshot() == null) {
      return items;
    }
    List<Record> settled = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(settlements).where(Expressions.and(
        Expressions.equal("calls_table", TableModel.ATTRIBUTION_MODEL_CALLS.qualifiedName()),
        Expressions.in("status", Settlements.SETTLED, Settlements.PARTIAL))).build()) {
      rows.forEach(r -> settled.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (settled.isEmpty()) {
      return items;
    }
    Map<String, BigInteger[]> shares = shares(lakehouse); // settlement → {direct, royalty}
    Table calls = lakehouse.table(TableModel.ATTRIBUTION_MODEL_CALLS);
    calls.refresh();
    long current = calls.currentSnapshot() == null ? -1 : calls.currentSnapshot().snapshotId();
    Map<String, MeteredUsage> cache = new HashMap<>();
    for (Record s : settled) {
      String id = (String) s.getField("settlement_id");
      String asset = (String) s.getField("asset_id");
      long snapshot = (Long) s.getField("usage_snapshot");
      long metered = (Long) s.getField("metered_calls");
      Duration length = Duration.between(((OffsetDateTime) s.getField("epoch_start")).toInstant(),
          ((OffsetDateTime) s.getField("epoch_end")).toInstant());
      long pinned = calls(cache.computeIfAbsent(snapshot + "/" + length, k -> MeteredUsage.read(lakehouse,
          MeteredUsage.CallsTable.MODEL_CALLS, snapshot, length)), id);
      long now = calls(cache.computeIfAbsent(current + "/" + length, k -> MeteredUsage.read(lakehouse,
          MeteredUsage.CallsTable.MODEL_CALLS, current, length)), id);
      BigInteger net = ((BigDecimal) s.getField("net_wei")).toBigInteger();
      BigInteger royalty = ((BigDecimal) s.getField("royalty_wei")).toBigInteger();
      BigInteger[] split = shares.get(id);
      List<String> problems = new ArrayList<>();
      ReconcileStatus status = ReconcileStatus.MATCH;
      if (pinned != metered || now != metered) {
        status = ReconcileStatus.CALLS_MISMATCH;
        problems.add("the settlement metered " + metered + " call(s); attribution.model_calls has " + pinned
            + " in the settled snapshot " + snapshot + " and " + now + " now");
      }
      if (split == null) {
        if (status == ReconcileStatus.MATCH) {
          status = ReconcileStatus.MISSING_IN_LAKEHOUSE;
        }
        problems.add("no model-receipts-v1 shares yet: index the chain ('ledgerlake index --once'), then"
            + " 'ledgerlake attribution settle' writes them");
      } else if (!split[0].equals(net) || !split[1].equals(royalty)) {
        if (status == ReconcileStatus.MATCH) {
          status = ReconcileStatus.SHARES_MISMATCH;
        }
        problems.add("shares give " + split[0] + " wei to the model's version and " + split[1] + " wei of royalty;"
            + " the transaction credited " + net + " and " + royalty);
      }
      items.add(new ReconcileItem(CHECK, id, asset, (String) s.getField("version_id"), null, status,
          metered + " call(s), " + net.add(royalty) + " wei", now + " call(s) now",
          problems.isEmpty() ? metered + " call(s) metered and settled; " + net + " wei to the model's version, "
              + royalty + " wei of royalty, shared to the wei" : String.join("; ", problems)));
    }
    return items;
  }

  private static long calls(MeteredUsage usage, String id) {
    MeteredUsage.Metered m = usage.metered().get(id);
    return m == null ? 0 : m.calls().size();
  }

  private static Map<String, BigInteger[]> shares(Lakehouse lakehouse) {
    Map<String, BigInteger[]> out = new HashMap<>();
    Table table = lakehouse.table(TableModel.ATTRIBUTION_REVENUE_SHARES);
    table.refresh();
    if (table.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table)
        .where(Expressions.equal("basis", ModelShares.BASIS))
        .select("settlement_id", "reason", "amount_wei").build()) {
      for (Record r : rows) {
        BigInteger[] sums = out.computeIfAbsent((String) r.getField("settlement_id"),
            k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
        int i = ModelShares.DIRECT.equals(r.getField("reason")) ? 0 : 1;
        sums[i] = sums[i].add(((BigDecimal) r.getField("amount_wei")).toBigInteger());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
