package io.ledgerlake.jobs.attribution;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Who earned what from the settled calls of a model (basis {@value #BASIS}). A call uses the whole model and,
 * through it, the data it was trained on — so, unlike a RAG query, its revenue is not split by what it touched but
 * follows the model's lineage, as the chain already pays it: {@code Revenue.pay} gave each ancestor version (the
 * dataset version trained on, a fine-tune's base model) its royalty and credited the rest to the model's version. Each
 * receipt of a credited version (chain.receipts, as indexed) is owed its part of the amount as Revenue computes it
 * (below), which is what it can claim; the rows are {@code final} at once (claimable on chain, not part of any usage
 * payout root). {@code reason} is {@code direct} for the model version's receipts and {@code upstream_royalty} for
 * an ancestor's, with {@code via_asset_id} the model asset.
 *
 * <p>Rounding is Revenue's: a receipt covers {@code [offset, offset + share)} of 10,000 basis points (receipts in
 * index order), and is entitled to {@code floor(a × (offset + share) / 10,000) - floor(a × offset / 10,000)} of an
 * amount {@code a}; the amounts of a version's receipts sum to {@code a} exactly.
 *
 * <p>Written after the settlement's final row, by every settle run for every model settlement that has none yet: the
 * receipts of a version published moments ago may not be indexed yet, and a later run then writes them. The amounts
 * come from the settlement row (net, credited version, royalties per version), never from the chain again.
 */
final class ModelShares {
  static final String BASIS = "model-receipts-v1";
  static final String DIRECT = "direct";
  static final String ROYALTY = "upstream_royalty";

  /** One receipt of a version, as indexed; {@code index} orders a version's receipts (and so their offsets). */
  record Receipt(long index, String assetId, int version, String recipient, String role, int bps) {}

  /** One owed amount. */
  record Share(String versionId, Receipt receipt, BigInteger amountWei, String reason) {}

  /** A final settlement of model calls, as recorded. */
  record Settled(String settlementId, String epoch, String assetId, String txHash, String versionId, BigInteger netWei,
      Map<String, BigInteger> royalties) {}

  private ModelShares() {}

  /**
   * The shares of {@code s} by the receipts {@code receipts} (by version id); null if a credited version has no
   * indexed receipts yet (nothing can be said about it until the indexer has run).
   */
  static List<Share> split(Settled s, Map<String, List<Receipt>> receipts) {
    Map<String, BigInteger> credits = new LinkedHashMap<>();
    credits.put(s.versionId(), s.netWei());
    s.royalties().forEach((v, amount) -> credits.merge(v, amount, BigInteger::add));
    List<Share> out = new ArrayList<>();
    for (var credit : credits.entrySet()) {
      if (credit.getValue().signum() == 0) {
        continue;
      }
      List<Receipt> of = receipts.get(credit.getKey());
      if (of == null || of.isEmpty()) {
        return null;
      }
      String reason = credit.getKey().equals(s.versionId()) ? DIRECT : ROYALTY;
      BigInteger bps = BigInteger.valueOf(10_000);
      long offset = 0;
      for (Receipt r : of.stream().sorted(java.util.Comparator.comparingLong(Receipt::index)).toList()) {
        BigInteger a = credit.getValue();
        BigInteger amount = a.multiply(BigInteger.valueOf(offset + r.bps())).divide(bps)
            .subtract(a.multiply(BigInteger.valueOf(offset)).divide(bps));
        offset += r.bps();
        out.add(new Share(credit.getKey(), r, amount, reason));
      }
    }
    return out;
  }

  /** {@code to_version_id=wei,...}, as attribution.settlements.royalties holds them. */
  static String formatRoyalties(List<io.ledgerlake.provenance.chain.ApiSettlement.Royalty> royalties) {
    StringBuilder out = new StringBuilder();
    for (var r : royalties) {
      out.append(out.isEmpty() ? "" : ",").append(r.toVersionId()).append('=').append(r.amountWei());
    }
    return out.toString();
  }

  static Map<String, BigInteger> parseRoyalties(String text) {
    Map<String, BigInteger> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      out.merge(part.substring(0, eq), new BigInteger(part.substring(eq + 1)), BigInteger::add);
    }
    return out;
  }

  /**
   * Writes the shares of every final, paid model settlement that has none yet; returns how many settlements got
   * them and how many still wait for their receipts to be indexed.
   */
  static int[] writeMissing(Lakehouse lakehouse, OffsetDateTime now) {
    Table settlements = lakehouse.table(TableModel.ATTRIBUTION_SETTLEMENTS);
    settlements.refresh();
    if (settlements.currentSnapshot() == null) {
      return new int[] {0, 0};
    }
    List<Settled> settled = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(settlements).where(Expressions.and(
        Expressions.equal("calls_table", TableModel.ATTRIBUTION_MODEL_CALLS.qualifiedName()),
        Expressions.in("status", Settlements.SETTLED, Settlements.PARTIAL))).build()) {
      for (Record r : rows) {
        settled.add(new Settled((String) r.getField("settlement_id"), (String) r.getField("epoch"),
            (String) r.getField("asset_id"), (String) r.getField("tx_hash"), (String) r.getField("version_id"),
            ((BigDecimal) r.getField("net_wei")).toBigInteger(), parseRoyalties((String) r.getField("royalties"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (settled.isEmpty()) {
      return new int[] {0, 0};
    }
    Table shares = lakehouse.table(TableModel.ATTRIBUTION_REVENUE_SHARES);
    shares.refresh();
    Set<String> done = new HashSet<>();
    if (shares.currentSnapshot() != null) {
      try (CloseableIterable<Record> rows = IcebergGenerics.read(shares)
          .where(Expressions.equal("basis", BASIS)).select("settlement_id").build()) {
        rows.forEach(r -> done.add((String) r.getField("settlement_id")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, List<Receipt>> receipts = receipts(lakehouse);
    List<Record> out = new ArrayList<>();
    int written = 0;
    int waiting = 0;
    for (Settled s : settled) {
      if (done.contains(s.settlementId())) {
        continue;
      }
      List<Share> split = split(s, receipts);
      if (split == null) {
        waiting++;
        continue;
      }
      written++;
      for (Share sh : split) {
        Map<String, Object> v = new HashMap<>();
        v.put("payment_id", s.txHash());
        v.put("asset_id", sh.receipt().assetId());
        v.put("version", sh.receipt().version());
        v.put("recipient", sh.receipt().recipient());
        v.put("role", sh.receipt().role());
        v.put("share_bps", sh.receipt().bps());
        v.put("amount_wei", new BigDecimal(sh.amountWei()));
        v.put("reason", sh.reason());
        if (sh.reason().equals(ROYALTY)) {
          v.put("via_asset_id", s.assetId());
        } else {
          v.put("depth", 0);
        }
        v.put("computed_at", now);
        v.put("epoch", s.epoch());
        v.put("basis", BASIS);
        v.put("status", Payouts.FINAL);
        v.put("settlement_id", s.settlementId());
        out.add(Rows.of(shares.schema(), v));
      }
    }
    if (!out.isEmpty()) {
      TableAppender.append(shares, out);
    }
    return new int[] {written, waiting};
  }

  /** chain.receipts by on-chain version id. */
  private static Map<String, List<Receipt>> receipts(Lakehouse lakehouse) {
    Map<String, List<Receipt>> out = new HashMap<>();
    Table table = lakehouse.table(TableModel.CHAIN_RECEIPTS);
    table.refresh();
    if (table.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table)
        .select("receipt_id", "version_id", "asset_id", "version", "contributor", "role", "share_bps").build()) {
      for (Record r : rows) {
        String versionId = (String) r.getField("version_id");
        if (versionId != null) {
          out.computeIfAbsent(versionId, k -> new ArrayList<>()).add(new Receipt(
              receiptIndex((String) r.getField("receipt_id")), (String) r.getField("asset_id"),
              (Integer) r.getField("version"), (String) r.getField("contributor"), (String) r.getField("role"),
              (Integer) r.getField("share_bps")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * A receipt's index in its version: token receipts are minted in index order (the token id orders them), Merkle
   * receipts name it ({@code merkle:<root>:<index>}).
   */
  static long receiptIndex(String receiptId) {
    return Long.parseLong(receiptId.startsWith("merkle:") ? receiptId.substring(receiptId.lastIndexOf(':') + 1)
        : receiptId);
  }
}
