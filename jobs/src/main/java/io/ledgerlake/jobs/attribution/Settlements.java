package io.ledgerlake.jobs.attribution;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.provenance.chain.ApiSettlement;
import io.ledgerlake.provenance.chain.PendingTransaction;
import io.ledgerlake.jobs.JobContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * attribution.settlements and the usage rows of attribution.revenue_shares, as the settle job writes them: append
 * only, one row per state change of a settlement; {@link #latest} derives its state from the rows' statuses and
 * transaction hashes, not from their times.
 */
final class Settlements {
  static final String SENDING = "sending";
  static final String SETTLED = "settled";
  static final String PARTIAL = "partial";
  static final String UNPAID = "unpaid";
  static final String FAILED = "failed";
  /** States after which a settlement is never sent again. */
  static final Set<String> DONE = Set.of(SETTLED, PARTIAL, UNPAID);
  static final String REASON = "usage";
  static final String ROLE = "data_provider";
  static final String PROVISIONAL = "provisional";

  /** The latest state of a settlement, as far as a run needs it. */
  record Row(String settlementId, String status, long meteredCalls, long settledCalls, BigInteger priceWei,
      long usageSnapshot, String txHash, String txFrom, long txNonce, String signedTx, String runId,
      OffsetDateTime recordedAt, MeteredUsage.CallsTable callsTable) {}

  private final Lakehouse lakehouse;
  private final String runId;
  private final RunClock clock;

  Settlements(Lakehouse lakehouse, String runId, Clock clock) {
    this.lakehouse = lakehouse;
    this.runId = runId;
    this.clock = new RunClock(clock);
  }

  /**
   * The state of every settlement in {@code snapshot} (-1: none), decided without trusting clocks (runs in other
   * processes may disagree about time): a final row (settled, partial, unpaid) wins; else a {@code sending} row whose
   * transaction no {@code failed} row closed is open; else the settlement failed (and is retried).
   */
  Map<String, Row> latest(long snapshot) {
    Map<String, List<Row>> byId = new HashMap<>();
    if (snapshot >= 0) {
      Table table = lakehouse.table(TableModel.ATTRIBUTION_SETTLEMENTS);
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(snapshot).build()) {
        for (Record r : rows) {
          Row row = new Row((String) r.getField("settlement_id"), (String) r.getField("status"),
              (Long) r.getField("metered_calls"), orZero((Long) r.getField("settled_calls")),
              r.getField("price_wei") == null ? BigInteger.ZERO
                  : ((BigDecimal) r.getField("price_wei")).toBigInteger(),
              (Long) r.getField("usage_snapshot"), (String) r.getField("tx_hash"), (String) r.getField("tx_from"),
              orZero((Long) r.getField("tx_nonce")), (String) r.getField("signed_tx"), (String) r.getField("run_id"),
              (OffsetDateTime) r.getField("recorded_at"),
              MeteredUsage.CallsTable.of((String) r.getField("calls_table")));
          byId.computeIfAbsent(row.settlementId(), k -> new ArrayList<>()).add(row);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, Row> out = new HashMap<>();
    for (var e : byId.entrySet()) {
      List<Row> rows = e.getValue();
      Set<String> closed = new java.util.HashSet<>();
      rows.stream().filter(r -> r.status().equals(FAILED) && r.txHash() != null).forEach(r -> closed.add(r.txHash()));
      java.util.Comparator<Row> byTime = java.util.Comparator.comparing(Row::recordedAt);
      Row state = rows.stream().filter(r -> DONE.contains(r.status())).findFirst()
          .or(() -> rows.stream().filter(r -> r.status().equals(SENDING) && !closed.contains(r.txHash()))
              .max(byTime))
          // Every sending row is closed: failed, whatever the clocks of the runs say (never resume a closed one).
          .or(() -> rows.stream().filter(r -> r.status().equals(FAILED)).max(byTime))
          .orElseGet(() -> rows.stream().max(byTime).orElseThrow());
      out.put(e.getKey(), state);
    }
    return out;
  }

  /** Before broadcast: the signed transaction, so that a later run finds and finishes it. */
  void sending(MeteredUsage.Metered m, long calls, long settled, BigInteger price, long usageSnapshot,
      PendingTransaction p) {
    Map<String, Object> v = base(m, calls, usageSnapshot, SENDING);
    v.put("settled_calls", settled);
    v.put("unpaid_calls", calls - settled);
    v.put("price_wei", new BigDecimal(price));
    v.put("tx_hash", p.hash());
    v.put("tx_from", p.from());
    v.put("tx_nonce", p.nonce().longValueExact());
    v.put("signed_tx", p.signedRawTransaction());
    append(v);
  }

  SettleJob.Outcome failed(MeteredUsage.Metered m, long calls, long usageSnapshot, String txHash, String message,
      JobContext context) {
    Map<String, Object> v = base(m, calls, usageSnapshot, FAILED);
    v.put("tx_hash", txHash);
    v.put("message", message);
    append(v);
    context.progress().printf("Settlement %s failed: %s%n", m.settlementId(), message);
    return new SettleJob.Outcome(m.settlementId(), m.epoch().id(), m.assetId(), m.licensee(), calls, 0, calls,
        BigInteger.ZERO, BigInteger.ZERO, txHash, -1, FAILED, message, false, 0);
  }

  SettleJob.Outcome unpaid(MeteredUsage.Metered m, long calls, BigInteger price, long usageSnapshot, String message,
      JobContext context) {
    Map<String, Object> v = base(m, calls, usageSnapshot, UNPAID);
    v.put("settled_calls", 0L);
    v.put("unpaid_calls", calls);
    v.put("price_wei", new BigDecimal(price));
    v.put("cost_wei", BigDecimal.ZERO);
    v.put("message", message);
    append(v);
    context.progress().printf("Settlement %s unpaid: %s%n", m.settlementId(), message);
    return new SettleJob.Outcome(m.settlementId(), m.epoch().id(), m.assetId(), m.licensee(), calls, 0, calls,
        BigInteger.ZERO, BigInteger.ZERO, null, -1, UNPAID, message, false, 0);
  }

  SettleJob.Outcome settled(MeteredUsage.Metered m, long calls, long settled, BigInteger price, long usageSnapshot,
      ApiSettlement s, String message, boolean recovered, int shares) {
    String status = settled == calls ? SETTLED : PARTIAL;
    Map<String, Object> v = base(m, calls, usageSnapshot, status);
    v.put("settled_calls", settled);
    v.put("unpaid_calls", calls - settled);
    v.put("price_wei", new BigDecimal(price));
    v.put("cost_wei", new BigDecimal(s.costWei()));
    v.put("net_wei", new BigDecimal(s.netWei()));
    v.put("royalty_wei", new BigDecimal(s.royaltyWei()));
    v.put("version_id", Long.toString(s.versionId()));
    if (m.table() == MeteredUsage.CallsTable.MODEL_CALLS) {
      v.put("royalties", ModelShares.formatRoyalties(s.royalties())); // what ModelShares splits, kept with the row
    }
    v.put("tx_hash", s.tx().hash());
    v.put("block_number", s.tx().blockNumber());
    v.put("message", message);
    append(v);
    return new SettleJob.Outcome(m.settlementId(), m.epoch().id(), m.assetId(), m.licensee(), calls, settled,
        calls - settled, s.costWei(), s.netWei(), s.tx().hash(), s.tx().blockNumber(), status, message, recovered,
        shares);
  }

  /**
   * The usage shares of one settlement, once: written before its final settlements row, so a crash in between
   * leaves shares that the recovering run finds here and does not write again.
   */
  void shares(MeteredUsage.Metered m, ApiSettlement s, List<UsageShares.Share> shares) {
    if (shares.isEmpty()) {
      return;
    }
    Table table = lakehouse.table(TableModel.ATTRIBUTION_REVENUE_SHARES);
    table.refresh();
    if (table.currentSnapshot() != null) {
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table)
          .where(Expressions.equal("settlement_id", m.settlementId())).select("settlement_id").build()) {
        if (rows.iterator().hasNext()) {
          return;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    OffsetDateTime now = now();
    List<Record> out = new ArrayList<>();
    for (UsageShares.Share sh : shares) {
      Map<String, Object> v = new HashMap<>();
      v.put("payment_id", s.tx().hash());
      v.put("asset_id", Long.toString(m.assetId()));
      v.put("version", Math.toIntExact(s.versionId()));
      v.put("recipient", sh.contributor());
      v.put("role", ROLE);
      v.put("share_bps", sh.bps());
      v.put("amount_wei", new BigDecimal(sh.amountWei()));
      v.put("reason", REASON);
      v.put("depth", 0);
      v.put("computed_at", now);
      v.put("epoch", m.epoch().id());
      v.put("basis", UsageShares.FORMULA);
      v.put("status", PROVISIONAL);
      v.put("settlement_id", m.settlementId());
      v.put("usage_weight", sh.weight());
      v.put("usage_weight_total", sh.totalWeight());
      v.put("retrieved_rows", sh.rows());
      out.add(Rows.of(table.schema(), v));
    }
    TableAppender.append(table, out);
  }

  long snapshot(TableDefinition def) {
    Table t = lakehouse.table(def);
    t.refresh();
    return t.currentSnapshot() == null ? -1 : t.currentSnapshot().snapshotId();
  }

  private Map<String, Object> base(MeteredUsage.Metered m, long calls, long usageSnapshot, String status) {
    Map<String, Object> v = new HashMap<>();
    v.put("settlement_id", m.settlementId());
    v.put("epoch", m.epoch().id());
    v.put("epoch_start", m.epoch().start().atOffset(ZoneOffset.UTC));
    v.put("epoch_end", m.epoch().end().atOffset(ZoneOffset.UTC));
    v.put("asset_id", Long.toString(m.assetId()));
    v.put("licensee", m.licensee());
    v.put("metered_calls", calls);
    v.put("usage_snapshot", usageSnapshot);
    v.put("calls_table", m.table().definition.qualifiedName());
    v.put("run_id", runId);
    v.put("status", status);
    v.put("recorded_at", now());
    return v;
  }

  private void append(Map<String, Object> v) {
    Table table = lakehouse.table(TableModel.ATTRIBUTION_SETTLEMENTS);
    v.values().removeIf(java.util.Objects::isNull);
    TableAppender.append(table, List.of(Rows.of(table.schema(), v)));
  }

  OffsetDateTime now() {
    return clock.next();
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
