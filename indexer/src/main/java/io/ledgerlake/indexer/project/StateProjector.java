package io.ledgerlake.indexer.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.indexer.IndexerStateException;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.LicenseKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives the current-state tables (chain.assets, asset_versions, receipts, licenses, payments) from
 * chain.events. The projection is a pure function of the events, so it is rebuilt whole: each table's snapshot
 * summary records which chain.events snapshot it reflects, and a table that lags (for example after a crash
 * between the two commits, or a rollback) is rebuilt on the next run. Each projected row carries the chain
 * position of the newest event that shaped it.
 */
public final class StateProjector {
  /** Summary key: the chain.events snapshot id a projection reflects. */
  public static final String EVENTS_SNAPSHOT_KEY = "ledgerlake.indexer.events-snapshot";
  public static final List<TableDefinition> TABLES = List.of(TableModel.CHAIN_ASSETS,
      TableModel.CHAIN_ASSET_VERSIONS, TableModel.CHAIN_RECEIPTS, TableModel.CHAIN_LICENSES,
      TableModel.CHAIN_PAYMENTS);
  private static final Logger LOG = LoggerFactory.getLogger(StateProjector.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Lakehouse lakehouse;

  public StateProjector(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** Rebuilds every projection that does not reflect the current chain.events snapshot; true if any was. */
  public boolean refresh(Table events) {
    events.refresh();
    Snapshot snap = events.currentSnapshot();
    if (snap == null) {
      return false;
    }
    String id = Long.toString(snap.snapshotId());
    Map<TableDefinition, List<Map<String, Object>>> projected = null;
    boolean rebuilt = false;
    for (TableDefinition def : TABLES) {
      Table t = lakehouse.table(def);
      t.refresh();
      if (t.currentSnapshot() != null && id.equals(t.currentSnapshot().summary().get(EVENTS_SNAPSHOT_KEY))) {
        continue;
      }
      if (projected == null) {
        projected = project(readEvents(events, snap.snapshotId()));
      }
      List<Record> rows = new ArrayList<>();
      for (Map<String, Object> values : projected.get(def)) {
        rows.add(Rows.of(t.schema(), values));
      }
      TableAppender.replace(t, dataFiles(t), rows, Map.of(EVENTS_SNAPSHOT_KEY, id),
          t.currentSnapshot() == null ? null : t.currentSnapshot().snapshotId());
      rebuilt = true;
    }
    if (rebuilt) {
      LOG.info("Rebuilt chain current-state tables from chain.events snapshot {}", id);
    }
    return rebuilt;
  }

  private static List<DataFile> dataFiles(Table t) {
    List<DataFile> out = new ArrayList<>();
    if (t.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      tasks.forEach(task -> out.add(task.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** One event as the projection needs it. */
  record Event(long chainId, long block, String blockHash, String txHash, int logIndex, String finality,
      String name, JsonNode args) {
    void position(Map<String, Object> row) {
      row.put("chain_id", chainId);
      row.put("block_number", block);
      row.put("block_hash", blockHash);
      row.put("tx_hash", txHash);
      row.put("log_index", logIndex);
      row.put("finality", finality);
    }

    String arg(String key) {
      JsonNode n = args.get(key);
      if (n == null) {
        throw new IndexerStateException("event " + name + " at " + txHash + ":" + logIndex + " has no argument "
            + key + "; its ABI changed: update the projection", null);
      }
      return n.asText();
    }
  }

  private static List<Event> readEvents(Table events, long snapshotId) {
    List<Event> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(events).useSnapshot(snapshotId).build()) {
      for (Record r : rows) {
        out.add(new Event((Long) r.getField("chain_id"), (Long) r.getField("block_number"),
            (String) r.getField("block_hash"), (String) r.getField("tx_hash"), (Integer) r.getField("log_index"),
            (String) r.getField("finality"), (String) r.getField("event_name"),
            JSON.readTree((String) r.getField("args_json"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparingLong(Event::block).thenComparingInt(Event::logIndex));
    return out;
  }

  /** The projection: a pure function of the ordered events. Package-private for tests. */
  static Map<TableDefinition, List<Map<String, Object>>> project(List<Event> events) {
    Map<String, Map<String, Object>> assets = new LinkedHashMap<>();
    Map<String, Map<String, Object>> versions = new LinkedHashMap<>(); // by version id
    Map<String, Integer> versionCount = new HashMap<>();
    Map<String, String> merkleRoots = new HashMap<>();
    Map<String, Map<String, Object>> receipts = new LinkedHashMap<>();
    Map<String, Map<String, Object>> licenses = new LinkedHashMap<>();
    Map<String, Map<String, Object>> payments = new LinkedHashMap<>();
    // A payment's license comes from the license event of the same transaction, wherever it sits in the tx.
    Map<String, String> licenseOfTx = new HashMap<>();
    Map<String, String> paymentKindOfTx = new HashMap<>();
    for (Event e : events) {
      switch (e.name()) {
        case "LicensePurchased" -> {
          licenseOfTx.put(e.txHash(), licenseId(e.arg("assetId"), e.arg("licensee"), licenseKind(e.arg("kind"))));
          paymentKindOfTx.put(e.txHash(), "purchase");
        }
        case "ApiUsageSettled" -> {
          licenseOfTx.put(e.txHash(), licenseId(e.arg("assetId"), e.arg("licensee"), LicenseKind.API.cliName()));
          paymentKindOfTx.put(e.txHash(), "api_settlement");
        }
        default -> { }
      }
    }
    for (Event e : events) {
      switch (e.name()) {
        case "AssetRegistered" -> {
          Map<String, Object> a = new HashMap<>();
          a.put("asset_id", e.arg("assetId"));
          a.put("kind", AssetKind.fromCode(Integer.parseInt(e.arg("kind"))).name().toLowerCase(Locale.ROOT)
              .replace('_', '-'));
          a.put("owner", e.arg("owner"));
          a.put("metadata_cid", e.arg("metadataCid"));
          a.put("royalty_bps", Integer.parseInt(e.arg("royaltyBps")));
          e.position(a);
          assets.put(e.arg("assetId"), a);
        }
        case "AssetMetadataUpdated" -> update(assets, e.arg("assetId"), e, "metadata_cid", e.arg("metadataCid"));
        case "AssetOwnerChanged" -> update(assets, e.arg("assetId"), e, "owner", e.arg("newOwner"));
        case "VersionRegistered" -> {
          String asset = e.arg("assetId");
          int number = versionCount.merge(asset, 1, Integer::sum);
          List<String> parents = new ArrayList<>();
          for (JsonNode p : e.args().path("parents")) {
            Map<String, Object> parent = versions.get(p.asText());
            parents.add(parent == null ? "version:" + p.asText()
                : parent.get("asset_id") + "@" + parent.get("version"));
          }
          Map<String, Object> v = new HashMap<>();
          v.put("asset_id", asset);
          v.put("version", number);
          v.put("version_id", e.arg("versionId"));
          v.put("manifest_cid", ContentCommitment.ofBytes(
              HexFormat.of().parseHex(e.arg("contentCommitment").substring(2))).display());
          v.put("parents", parents);
          e.position(v);
          versions.put(e.arg("versionId"), v);
        }
        case "MerkleRootRecorded" -> merkleRoots.put(e.arg("versionId"), e.arg("merkleRoot"));
        case "ReceiptRecorded" -> {
          Map<String, Object> version = versions.get(e.arg("versionId"));
          Map<String, Object> r = new HashMap<>();
          r.put("receipt_id", e.arg("tokenId"));
          r.put("asset_id", version == null ? "" : version.get("asset_id"));
          r.put("version", version == null ? 0 : version.get("version"));
          r.put("version_id", e.arg("versionId"));
          r.put("contributor", e.arg("contributor"));
          r.put("role", ContributorRole.fromCode(Integer.parseInt(e.arg("role"))).name().toLowerCase(Locale.ROOT));
          r.put("share_bps", Integer.parseInt(e.arg("shareBps")));
          r.put("merkle_root", merkleRoots.get(e.arg("versionId")));
          e.position(r);
          receipts.put(e.arg("tokenId"), r);
        }
        case "LicensePurchased" -> {
          String kind = licenseKind(e.arg("kind"));
          String id = licenseId(e.arg("assetId"), e.arg("licensee"), kind);
          Map<String, Object> l = licenses.getOrDefault(id, new HashMap<>());
          l.put("license_id", id);
          l.put("asset_id", e.arg("assetId"));
          l.put("licensee", e.arg("licensee"));
          l.put("kind", kind);
          l.put("price_wei", new BigDecimal(e.arg("amount")));
          long expires = Long.parseLong(e.arg("expiresAt"));
          l.put("expires_at", expires == 0 ? null : OffsetDateTime.ofInstant(Instant.ofEpochSecond(expires),
              ZoneOffset.UTC));
          l.put("status", "active");
          e.position(l);
          licenses.put(id, l);
        }
        case "PartnershipRequested" -> {
          String id = licenseId(e.arg("assetId"), e.arg("requester"), LicenseKind.PARTNERSHIP.cliName());
          Map<String, Object> l = licenses.getOrDefault(id, new HashMap<>());
          l.put("license_id", id);
          l.put("asset_id", e.arg("assetId"));
          l.put("licensee", e.arg("requester"));
          l.put("kind", LicenseKind.PARTNERSHIP.cliName());
          l.put("terms_cid", e.arg("proposalCid"));
          l.put("price_wei", new BigDecimal(e.arg("escrow")));
          l.put("status", "requested");
          e.position(l);
          licenses.put(id, l);
        }
        case "PartnershipRequestClosed" -> {
          String id = licenseId(e.arg("assetId"), e.arg("requester"), LicenseKind.PARTNERSHIP.cliName());
          Map<String, Object> l = licenses.get(id);
          if (l != null && "requested".equals(l.get("status"))) {
            licenses.remove(id); // a closed request never became a license
          }
        }
        case "ApiDeposited" -> {
          String id = licenseId(e.arg("assetId"), e.arg("licensee"), LicenseKind.API.cliName());
          Map<String, Object> l = licenses.getOrDefault(id, new HashMap<>());
          l.put("license_id", id);
          l.put("asset_id", e.arg("assetId"));
          l.put("licensee", e.arg("licensee"));
          l.put("kind", LicenseKind.API.cliName());
          l.put("status", "active");
          e.position(l);
          licenses.put(id, l);
        }
        case "LicenseExpired" -> update(licenses,
            licenseId(e.arg("assetId"), e.arg("licensee"), licenseKind(e.arg("kind"))), e, "status", "expired");
        case "RevenueReceived" -> {
          Map<String, Object> version = versions.get(e.arg("versionId"));
          Map<String, Object> p = new HashMap<>();
          p.put("payment_id", e.txHash() + ":" + e.logIndex());
          p.put("license_id", licenseOfTx.get(e.txHash()));
          p.put("asset_id", e.arg("assetId"));
          p.put("version", version == null ? null : version.get("version"));
          p.put("version_id", e.arg("versionId"));
          p.put("payer", e.arg("payer"));
          p.put("kind", paymentKindOfTx.getOrDefault(e.txHash(), "direct"));
          p.put("amount_wei", new BigDecimal(e.arg("amount")));
          e.position(p);
          payments.put((String) p.get("payment_id"), p);
        }
        case "Claimed" -> {
          Map<String, Object> version = versions.get(e.arg("versionId"));
          Map<String, Object> p = new HashMap<>();
          p.put("payment_id", e.txHash() + ":" + e.logIndex());
          p.put("asset_id", version == null ? "" : version.get("asset_id"));
          p.put("version", version == null ? null : version.get("version"));
          p.put("version_id", e.arg("versionId"));
          p.put("payer", e.arg("account")); // for a claim: the account that was paid
          p.put("kind", "claim");
          p.put("amount_wei", new BigDecimal(e.arg("amount")));
          e.position(p);
          payments.put((String) p.get("payment_id"), p);
        }
        default -> { }
      }
    }
    return Map.of(
        TableModel.CHAIN_ASSETS, List.copyOf(assets.values()),
        TableModel.CHAIN_ASSET_VERSIONS, List.copyOf(versions.values()),
        TableModel.CHAIN_RECEIPTS, List.copyOf(receipts.values()),
        TableModel.CHAIN_LICENSES, List.copyOf(licenses.values()),
        TableModel.CHAIN_PAYMENTS, List.copyOf(payments.values()));
  }

  private static void update(Map<String, Map<String, Object>> rows, String key, Event e, String column,
      Object value) {
    Map<String, Object> row = rows.get(key);
    if (row != null) {
      row.put(column, value);
      e.position(row);
    }
  }

  private static String licenseKind(String code) {
    return LicenseKind.fromCode(Integer.parseInt(code)).cliName();
  }

  private static String licenseId(String assetId, String licensee, String kind) {
    return assetId + ":" + licensee + ":" + kind;
  }
}
