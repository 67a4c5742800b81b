package io.ledgerlake.jobs.attribution;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.provenance.model.Addresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * {@code ledgerlake earnings --address A}: why a contributor was paid what from usage — each share with its epoch,
 * asset, settlement (transaction, calls, net credit), and the paid queries' rows that retrieved its records, with the
 * formula's inputs. The same walk as docs/sql.md "Why was I paid this (usage)", read from the settlement's own usage
 * snapshot with the same call order as the settle job (so a partial settlement shows only the calls it paid).
 */
public final class Earnings {
  private Earnings() {}

  /** One retrieved row of one of the contributor's paid calls. */
  public record Use(String queryId, String recordCid, int rank) {}

  /** One share, explained. */
  public record Explained(String epoch, String assetId, String settlementId, String licensee, String txHash,
      long blockNumber, long settledCalls, BigInteger netWei, BigInteger amountWei, int bps, double weight,
      double totalWeight, String basis, String status, List<Use> uses) {
    public Explained {
      uses = List.copyOf(uses);
    }
  }

  public static List<Explained> of(Lakehouse lakehouse, String address, AttributionOptions options) {
    String who = Addresses.normalize(address);
    Table shares = lakehouse.table(TableModel.ATTRIBUTION_REVENUE_SHARES);
    Table settlements = lakehouse.table(TableModel.ATTRIBUTION_SETTLEMENTS);
    shares.refresh();
    settlements.refresh();
    List<Explained> out = new ArrayList<>();
    if (shares.currentSnapshot() == null || settlements.currentSnapshot() == null) {
      return out;
    }
    Map<String, Record> finalRows = new HashMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(settlements)
        .where(Expressions.in("status", Settlements.SETTLED, Settlements.PARTIAL)).build()) {
      rows.forEach(r -> finalRows.put((String) r.getField("settlement_id"), r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<Long, MeteredUsage> usage = new HashMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(shares).where(Expressions.and(
        Expressions.equal("recipient", who), Expressions.equal("reason", Settlements.REASON))).build()) {
      for (Record r : rows) {
        String id = (String) r.getField("settlement_id");
        Record s = finalRows.get(id);
        if (s == null) {
          continue; // shares written, settlement row not yet: the next settle run finishes it
        }
        long snapshot = (Long) s.getField("usage_snapshot");
        MeteredUsage u = usage.computeIfAbsent(snapshot,
            x -> MeteredUsage.read(lakehouse, MeteredUsage.CallsTable.USAGE, x, options.epochLength()));
        long settled = (Long) s.getField("settled_calls");
        List<Use> uses = new ArrayList<>();
        MeteredUsage.Metered m = u.metered().get(id);
        if (m != null) {
          for (MeteredUsage.Call c : m.calls().subList(0, (int) Math.min(settled, m.calls().size()))) {
            for (UsageShares.Retrieval x : u.byQuery().getOrDefault(c.queryId(), List.of())) {
              if (x.contributor().equals(who)) {
                uses.add(new Use(x.queryId(), x.recordCid(), x.rank()));
              }
            }
          }
        }
        out.add(new Explained((String) r.getField("epoch"), (String) r.getField("asset_id"), id,
            (String) s.getField("licensee"), (String) s.getField("tx_hash"), (Long) s.getField("block_number"),
            settled, ((BigDecimal) s.getField("net_wei")).toBigInteger(),
            ((BigDecimal) r.getField("amount_wei")).toBigInteger(), (Integer) r.getField("share_bps"),
            (Double) r.getField("usage_weight"), (Double) r.getField("usage_weight_total"),
            (String) r.getField("basis"), (String) r.getField("status"), uses));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(java.util.Comparator.comparing(Explained::epoch).thenComparing(Explained::settlementId));
    return out;
  }

  /**
   * One share of a settlement of model calls ({@link ModelShares}): the receipt of the credited version it pays
   * ({@code reason} direct: the model's own version; upstream_royalty: a version the model derives from).
   */
  public record FromModelCalls(String epoch, String settlementId, String modelAssetId, String licensee, String txHash,
      long settledCalls, String reason, String assetId, int version, String role, int bps, BigInteger creditWei,
      BigInteger amountWei) {}

  /** The contributor's shares of settled model calls, with what their credited version received. */
  public static List<FromModelCalls> fromModelCalls(Lakehouse lakehouse, String address) {
    String who = Addresses.normalize(address);
    Table shares = lakehouse.table(TableModel.ATTRIBUTION_REVENUE_SHARES);
    Table settlements = lakehouse.table(TableModel.ATTRIBUTION_SETTLEMENTS);
    shares.refresh();
    settlements.refresh();
    List<FromModelCalls> out = new ArrayList<>();
    if (shares.currentSnapshot() == null || settlements.currentSnapshot() == null) {
      return out;
    }
    Map<String, Record> settled = new HashMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(settlements).where(Expressions.and(
        Expressions.equal("calls_table", TableModel.ATTRIBUTION_MODEL_CALLS.qualifiedName()),
        Expressions.in("status", Settlements.SETTLED, Settlements.PARTIAL))).build()) {
      rows.forEach(r -> settled.put((String) r.getField("settlement_id"), r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(shares).where(Expressions.and(
        Expressions.equal("recipient", who), Expressions.equal("basis", ModelShares.BASIS))).build()) {
      for (Record r : rows) {
        Record s = settled.get((String) r.getField("settlement_id"));
        if (s == null) {
          continue;
        }
        String reason = (String) r.getField("reason");
        BigInteger credit = reason.equals(ModelShares.DIRECT)
            ? ((BigDecimal) s.getField("net_wei")).toBigInteger()
            : ((BigDecimal) s.getField("royalty_wei")).toBigInteger();
        out.add(new FromModelCalls((String) s.getField("epoch"), (String) s.getField("settlement_id"),
            (String) s.getField("asset_id"), (String) s.getField("licensee"), (String) s.getField("tx_hash"),
            (Long) s.getField("settled_calls"), reason, (String) r.getField("asset_id"),
            (Integer) r.getField("version"), (String) r.getField("role"), (Integer) r.getField("share_bps"), credit,
            ((BigDecimal) r.getField("amount_wei")).toBigInteger()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(java.util.Comparator.comparing(FromModelCalls::epoch).thenComparing(FromModelCalls::settlementId));
    return out;
  }
}
