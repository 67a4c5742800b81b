package io.ledgerlake.jobs.attribution;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.provenance.chain.PendingTransaction;
import io.ledgerlake.provenance.merkle.UsagePayoutTree;
import io.ledgerlake.provenance.model.TxInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * attribution.payouts, the on-chain usage payout of each epoch (docs/decisions/attribution-merkle-payout.md): which
 * settlements' usage shares an epoch's root pays, its state ({@code committing} → {@code final}, or {@code failed}),
 * and the tree anyone can rebuild from attribution.revenue_shares. Append only; {@link #latest} derives an epoch's
 * state from statuses and transaction hashes, not from clocks.
 */
public final class Payouts {
  public static final String COMMITTING = "committing";
  public static final String FINAL = "final";
  public static final String FAILED = "failed";

  /** The latest state of an epoch's payout. */
  public record Row(String epoch, long epochStart, int leafVersion, String root, BigInteger totalWei, int leaves,
      List<String> settlementIds, String txHash, String txFrom, long txNonce, String signedTx, long blockNumber,
      String runId, String status, OffsetDateTime recordedAt) {
    public Row {
      requireNonNull(epoch, "epoch");
      requireNonNull(root, "root");
      settlementIds = List.copyOf(settlementIds);
    }
  }

  private final Lakehouse lakehouse;
  private final String runId;
  private final RunClock clock;

  Payouts(Lakehouse lakehouse, String runId, Clock clock) {
    this.lakehouse = lakehouse;
    this.runId = runId;
    this.clock = new RunClock(clock);
  }

  /**
   * The state of every epoch's payout in the current table: a final row wins; else a {@code committing} row whose
   * transaction no {@code failed} row closed is open; else the latest failed row (committed anew by the next run).
   */
  public static Map<String, Row> latest(Lakehouse lakehouse) {
    Table table = lakehouse.table(TableModel.ATTRIBUTION_PAYOUTS);
    table.refresh();
    Map<String, List<Row>> byEpoch = new HashMap<>();
    if (table.currentSnapshot() != null) {
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
        for (Record r : rows) {
          String ids = (String) r.getField("settlement_ids");
          Row row = new Row((String) r.getField("epoch"),
              ((OffsetDateTime) r.getField("epoch_start")).toEpochSecond(), (Integer) r.getField("leaf_version"),
              (String) r.getField("root"), ((BigDecimal) r.getField("total_wei")).toBigIntegerExact(),
              (Integer) r.getField("leaves"), ids.isEmpty() ? List.of() : Arrays.asList(ids.split(",")),
              (String) r.getField("tx_hash"), (String) r.getField("tx_from"), orZero((Long) r.getField("tx_nonce")),
              (String) r.getField("signed_tx"), r.getField("block_number") == null ? -1
                  : (Long) r.getField("block_number"), (String) r.getField("run_id"), (String) r.getField("status"),
              (OffsetDateTime) r.getField("recorded_at"));
          byEpoch.computeIfAbsent(row.epoch(), k -> new ArrayList<>()).add(row);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, Row> out = new TreeMap<>();
    for (var e : byEpoch.entrySet()) {
      List<Row> rows = e.getValue();
      Set<String> closed = new HashSet<>();
      rows.stream().filter(r -> r.status().equals(FAILED) && r.txHash() != null).forEach(r -> closed.add(r.txHash()));
      var byTime = java.util.Comparator.comparing(Row::recordedAt);
      Row state = rows.stream().filter(r -> r.status().equals(FINAL)).findFirst()
          .or(() -> rows.stream().filter(r -> r.status().equals(COMMITTING) && !closed.contains(r.txHash()))
              .max(byTime))
          // Every committing row is closed: the epoch failed (a closed row must never be resumed, whatever the
          // clocks of the runs that wrote the rows say).
          .or(() -> rows.stream().filter(r -> r.status().equals(FAILED)).max(byTime))
          .orElseGet(() -> rows.stream().max(byTime).orElseThrow());
      out.put(e.getKey(), state);
    }
    return out;
  }

  /** The final payout of {@code epoch}, if its root is committed. */
  public static Optional<Row> committed(Lakehouse lakehouse, String epoch) {
    return Optional.ofNullable(latest(lakehouse).get(epoch)).filter(r -> r.status().equals(FINAL));
  }

  /**
   * The payout id of the {@code n}-th top-up of {@code epoch} ({@code 2025-01-31+1}): settlements of the epoch that
   * were done only after its root was committed are paid by a later root of their own, on chain under the key
   * {@code epoch start + n} seconds (one root per key; decisions/attribution-merkle-payout.md, "Late settlements").
   */
  public static String topUpId(String epoch, int n) {
    return epoch + "+" + n;
  }

  /** The epoch a payout id belongs to: itself, or the epoch a top-up pays late settlements of. */
  public static String epochOf(String payoutId) {
    int plus = payoutId.indexOf('+');
    return plus < 0 ? payoutId : payoutId.substring(0, plus);
  }

  /** Every final payout of {@code epoch}: its own root, then its top-ups in order. */
  public static List<Row> committedWithTopUps(Lakehouse lakehouse, String epoch) {
    Map<String, Row> all = latest(lakehouse);
    List<Row> out = new ArrayList<>();
    Optional.ofNullable(all.get(epoch)).filter(r -> r.status().equals(FINAL)).ifPresent(out::add);
    for (int n = 1; all.containsKey(topUpId(epoch, n)); n++) {
      Row top = all.get(topUpId(epoch, n));
      if (top.status().equals(FINAL)) {
        out.add(top);
      }
    }
    return out;
  }

  /**
   * What each contributor is owed from the usage shares of {@code settlementIds} (attribution.revenue_shares,
   * {@code reason = 'usage'}), summed per recipient: the leaves of the tree of payout {@code epoch} (an epoch, or a
   * top-up of one).
   */
  public static Map<String, BigInteger> owed(Lakehouse lakehouse, String epoch, Set<String> settlementIds) {
    Table table = lakehouse.table(TableModel.ATTRIBUTION_REVENUE_SHARES);
    table.refresh();
    Map<String, BigInteger> owed = new TreeMap<>();
    if (table.currentSnapshot() == null) {
      return owed;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table)
        .where(Expressions.and(Expressions.equal("epoch", epochOf(epoch)),
            Expressions.equal("reason", Settlements.REASON)))
        .select("settlement_id", "recipient", "amount_wei").build()) {
      for (Record r : rows) {
        if (settlementIds.contains((String) r.getField("settlement_id"))) {
          owed.merge((String) r.getField("recipient"), ((BigDecimal) r.getField("amount_wei")).toBigIntegerExact(),
              BigInteger::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return owed;
  }

  /**
   * Rebuilds the tree of a committed payout from the lakehouse rows, and checks it is the recorded root (the rows
   * were not changed since): INTERNAL error otherwise, since claiming with it would fail on chain.
   */
  public static UsagePayoutTree tree(Lakehouse lakehouse, Row payout) {
    if (payout.leafVersion() != UsagePayoutTree.LEAF_VERSION) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "the payout of epoch %s uses leaf format %d; this build"
          + " knows format %d: upgrade LedgerLake", payout.epoch(), payout.leafVersion(), UsagePayoutTree.LEAF_VERSION);
    }
    UsagePayoutTree tree = UsagePayoutTree.build(payout.epochStart(),
        owed(lakehouse, payout.epoch(), new TreeSet<>(payout.settlementIds())));
    if (!tree.rootHex().equals(payout.root())) {
      throw new LakehouseException(ErrorCategory.INTERNAL, "the usage shares of epoch %s no longer give its committed"
          + " root %s (they give %s): attribution.revenue_shares was changed; run ledgerlake reconcile",
          payout.epoch(), payout.root(), tree.rootHex());
    }
    return tree;
  }

  void committing(Epoch epoch, UsagePayoutTree tree, List<String> ids, PendingTransaction p) {
    Map<String, Object> v = base(epoch, tree, ids, COMMITTING);
    v.put("tx_hash", p.hash());
    v.put("tx_from", p.from());
    v.put("tx_nonce", p.nonce().longValueExact());
    v.put("signed_tx", p.signedRawTransaction());
    append(v);
  }

  void committed(Epoch epoch, UsagePayoutTree tree, List<String> ids, TxInfo tx, String message) {
    Map<String, Object> v = base(epoch, tree, ids, FINAL);
    if (tx != null) {
      v.put("tx_hash", tx.hash());
      v.put("block_number", tx.blockNumber());
    }
    v.put("message", message);
    append(v);
  }

  void failed(Epoch epoch, UsagePayoutTree tree, List<String> ids, String txHash, String message) {
    Map<String, Object> v = base(epoch, tree, ids, FAILED);
    v.put("tx_hash", txHash);
    v.put("message", message);
    append(v);
  }

  /**
   * Marks the usage shares of {@code settlementIds} final (their payout root's block is final). Rewrites the
   * table's files in one commit; a no-op when they are final already, so it is safe to repeat after a crash.
   */
  int finalizeShares(Set<String> settlementIds) {
    Table table = lakehouse.table(TableModel.ATTRIBUTION_REVENUE_SHARES);
    table.refresh();
    if (table.currentSnapshot() == null) {
      return 0;
    }
    long snapshot = table.currentSnapshot().snapshotId();
    List<Record> rows = new ArrayList<>();
    int changed = 0;
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).useSnapshot(snapshot).build()) {
      for (Record r : it) {
        Record copy = r.copy();
        if (Settlements.PROVISIONAL.equals(copy.getField("status"))
            && settlementIds.contains((String) copy.getField("settlement_id"))) {
          copy.setField("status", FINAL);
          changed++;
        }
        rows.add(copy);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (changed == 0) {
      return 0;
    }
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot).planFiles()) {
      tasks.forEach(t -> files.add(t.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TableAppender.replace(table, files, rows, Map.of("ledgerlake.operation", "usage-shares-final"), snapshot);
    return changed;
  }

  private Map<String, Object> base(Epoch epoch, UsagePayoutTree tree, List<String> ids, String status) {
    Map<String, Object> v = new HashMap<>();
    v.put("epoch", epoch.id());
    v.put("epoch_start", epoch.start().atOffset(ZoneOffset.UTC));
    v.put("leaf_version", UsagePayoutTree.LEAF_VERSION);
    v.put("root", tree.rootHex());
    v.put("total_wei", new BigDecimal(tree.total()));
    v.put("leaves", tree.size());
    v.put("settlement_ids", String.join(",", ids));
    v.put("run_id", runId);
    v.put("status", status);
    v.put("recorded_at", now());
    return v;
  }

  private void append(Map<String, Object> v) {
    Table table = lakehouse.table(TableModel.ATTRIBUTION_PAYOUTS);
    v.values().removeIf(java.util.Objects::isNull);
    TableAppender.append(table, List.of(Rows.of(table.schema(), v)));
  }

  private OffsetDateTime now() {
    return clock.next();
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
