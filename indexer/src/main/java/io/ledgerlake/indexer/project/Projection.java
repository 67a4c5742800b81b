package io.ledgerlake.indexer.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.indexer.store.ChainEvent;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.LicenseKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The current state the chain tables hold, as a fold over the ordered events: {@link #apply} takes the next
 * events and reports which rows they changed, so the indexer can write only those (and a full rebuild is the same
 * fold over every event). Not thread-safe.
 *
 * <p>Events must come in chain order, in batches of whole blocks: a payment finds its license through the license
 * event of the same transaction, wherever that sits in the transaction.
 */
final class Projection {
  /** Each table's key column, which identifies a row of the current state. */
  static final Map<TableDefinition, String> KEY_COLUMNS = Map.of(
      TableModel.CHAIN_ASSETS, "asset_id",
      TableModel.CHAIN_ASSET_VERSIONS, "version_id",
      TableModel.CHAIN_RECEIPTS, "receipt_id",
      TableModel.CHAIN_LICENSES, "license_id",
      TableModel.CHAIN_PAYMENTS, "payment_id");

  /** Rows by key, per table. */
  private final Map<TableDefinition, Map<String, Map<String, Object>>> rows = new LinkedHashMap<>();
  private final Map<String, Integer> versionCount = new HashMap<>();
  private final Map<String, String> merkleRoots = new HashMap<>();
  /** Keys changed since the last {@link #takeChanges()}, with the block of their row before the change. */
  private final Map<TableDefinition, Map<String, Long>> changed = new HashMap<>();

  Projection() {
    for (TableDefinition def : StateProjector.TABLES) {
      rows.put(def, new LinkedHashMap<>());
      changed.put(def, new HashMap<>());
    }
  }

  /** The rows of {@code def}, in the order their keys first appeared. */
  Map<String, Map<String, Object>> rows(TableDefinition def) {
    return rows.get(def);
  }

  /**
   * Keys changed since the last call, per table, each with the block number its previous row carried (null for
   * a new key; a key whose row is gone now was removed).
   */
  Map<TableDefinition, Map<String, Long>> takeChanges() {
    Map<TableDefinition, Map<String, Long>> out = new HashMap<>();
    changed.forEach((def, keys) -> {
      out.put(def, Collections.unmodifiableMap(new HashMap<>(keys)));
      keys.clear();
    });
    return out;
  }

  /** Folds {@code events} (the next whole blocks, in chain order) into the state. */
  void apply(List<ChainEvent> events) {
    Map<String, Map<String, Object>> versions = rows.get(TableModel.CHAIN_ASSET_VERSIONS);
    Map<String, Map<String, Object>> licenses = rows.get(TableModel.CHAIN_LICENSES);
    Map<String, String> licenseOfTx = new HashMap<>();
    Map<String, String> paymentKindOfTx = new HashMap<>();
    for (ChainEvent e : events) {
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
    for (ChainEvent e : events) {
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
          put(TableModel.CHAIN_ASSETS, e.arg("assetId"), a);
        }
        case "AssetMetadataUpdated" -> update(TableModel.CHAIN_ASSETS, e.arg("assetId"), e, "metadata_cid",
            e.arg("metadataCid"));
        case "AssetOwnerChanged" -> update(TableModel.CHAIN_ASSETS, e.arg("assetId"), e, "owner",
            e.arg("newOwner"));
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
          put(TableModel.CHAIN_ASSET_VERSIONS, e.arg("versionId"), v);
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
          put(TableModel.CHAIN_RECEIPTS, e.arg("tokenId"), r);
        }
        case "LicensePurchased" -> {
          String kind = licenseKind(e.arg("kind"));
          String id = licenseId(e.arg("assetId"), e.arg("licensee"), kind);
          Map<String, Object> l = license(licenses, id, e.arg("assetId"), e.arg("licensee"), kind);
          l.put("price_wei", new BigDecimal(e.arg("amount")));
          long expires = Long.parseLong(e.arg("expiresAt"));
          l.put("expires_at", expires == 0 ? null : OffsetDateTime.ofInstant(Instant.ofEpochSecond(expires),
              ZoneOffset.UTC));
          l.put("status", "active");
          e.position(l);
          put(TableModel.CHAIN_LICENSES, id, l);
        }
        case "PartnershipRequested" -> {
          String id = licenseId(e.arg("assetId"), e.arg("requester"), LicenseKind.PARTNERSHIP.cliName());
          Map<String, Object> l = license(licenses, id, e.arg("assetId"), e.arg("requester"),
              LicenseKind.PARTNERSHIP.cliName());
          l.put("terms_cid", e.arg("proposalCid"));
          l.put("price_wei", new BigDecimal(e.arg("escrow")));
          l.put("status", "requested");
          e.position(l);
          put(TableModel.CHAIN_LICENSES, id, l);
        }
        case "PartnershipRequestClosed" -> {
          String id = licenseId(e.arg("assetId"), e.arg("requester"), LicenseKind.PARTNERSHIP.cliName());
          Map<String, Object> l = licenses.get(id);
          if (l != null && "requested".equals(l.get("status"))) {
            remove(TableModel.CHAIN_LICENSES, id); // a closed request never became a license
          }
        }
        case "ApiDeposited" -> {
          String id = licenseId(e.arg("assetId"), e.arg("licensee"), LicenseKind.API.cliName());
          Map<String, Object> l = license(licenses, id, e.arg("assetId"), e.arg("licensee"), LicenseKind.API.cliName());
          l.put("status", "active");
          e.position(l);
          put(TableModel.CHAIN_LICENSES, id, l);
        }
        case "LicenseExpired" -> update(TableModel.CHAIN_LICENSES,
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
          put(TableModel.CHAIN_PAYMENTS, (String) p.get("payment_id"), p);
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
          put(TableModel.CHAIN_PAYMENTS, (String) p.get("payment_id"), p);
        }
        default -> { }
      }
    }
  }

  private void put(TableDefinition def, String key, Map<String, Object> row) {
    Map<String, Object> old = rows.get(def).put(key, row);
    remember(def, key, old);
  }

  private void remove(TableDefinition def, String key) {
    Map<String, Object> old = rows.get(def).remove(key);
    if (old != null) {
      remember(def, key, old);
    }
  }

  /** Keeps the first previous row's block of a key changed several times (null values are meaningful here). */
  private void remember(TableDefinition def, String key, Map<String, Object> old) {
    Map<String, Long> keys = changed.get(def);
    if (!keys.containsKey(key)) {
      keys.put(key, old == null ? null : (Long) old.get("block_number"));
    }
  }

  private void update(TableDefinition def, String key, ChainEvent e, String column, Object value) {
    Map<String, Object> row = rows.get(def).get(key);
    if (row != null) {
      Map<String, Object> updated = new HashMap<>(row);
      updated.put(column, value);
      e.position(updated);
      put(def, key, updated);
    }
  }

  /**
   * A copy of license {@code id}'s row (or a new one) with its identifying columns set. Rows are replaced, never
   * changed in place, so a changed key's previous block stays known.
   */
  private static Map<String, Object> license(Map<String, Map<String, Object>> licenses, String id, String assetId,
      String licensee, String kind) {
    Map<String, Object> row = licenses.get(id);
    Map<String, Object> l = row == null ? new HashMap<>() : new HashMap<>(row);
    l.put("license_id", id);
    l.put("asset_id", assetId);
    l.put("licensee", licensee);
    l.put("kind", kind);
    return l;
  }

  private static String licenseKind(String code) {
    return LicenseKind.fromCode(Integer.parseInt(code)).cliName();
  }

  private static String licenseId(String assetId, String licensee, String kind) {
    return assetId + ":" + licensee + ":" + kind;
  }
}
