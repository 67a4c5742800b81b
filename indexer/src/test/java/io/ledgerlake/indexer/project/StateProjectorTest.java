package io.ledgerlake.indexer.project;

import io.ledgerlake.indexer.store.ChainEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The projection as a pure function of ordered events. */
class StateProjectorTest {
  private static final String OWNER = "0x" + "a1".repeat(20);
  private static final String NEW_OWNER = "0x" + "a2".repeat(20);
  private static final String BUYER = "0x" + "b1".repeat(20);
  private final List<ChainEvent> events = new ArrayList<>();

  @Test
  void latestEventWinsAndCarriesItsPosition() {
    add("tx1", "AssetRegistered", "{\"assetId\":1,\"owner\":\"" + OWNER
        + "\",\"kind\":2,\"royaltyBps\":300,\"metadataCid\":\"m1\"}");
    add("tx2", "AssetOwnerChanged", "{\"assetId\":1,\"previousOwner\":\"" + OWNER + "\",\"newOwner\":\""
        + NEW_OWNER + "\"}");
    add("tx3", "AssetMetadataUpdated", "{\"assetId\":1,\"metadataCid\":\"m2\"}");
    Map<String, Object> asset = StateProjector.project(events).get(TableModel.CHAIN_ASSETS).get(0);
    assertThat(asset).containsEntry("owner", NEW_OWNER).containsEntry("metadata_cid", "m2")
        .containsEntry("kind", "rag-index").containsEntry("royalty_bps", 300)
        .containsEntry("tx_hash", "tx3").containsEntry("block_number", 3L);
  }

  @Test
  void versionsAreNumberedPerAssetAndParentsNamedByAssetAndVersion() {
    add("tx1", "VersionRegistered", version(10, 1, "[]"));
    add("tx2", "VersionRegistered", version(11, 2, "[]"));
    add("tx3", "VersionRegistered", version(12, 1, "[10,11]"));
    add("tx4", "ReceiptRecorded", "{\"tokenId\":5,\"versionId\":12,\"contributor\":\"" + BUYER
        + "\",\"index\":0,\"role\":1,\"shareBps\":10000,\"offsetBps\":0}");
    var out = StateProjector.project(events);
    Map<String, Object> v12 = out.get(TableModel.CHAIN_ASSET_VERSIONS).get(2);
    assertThat(v12).containsEntry("version", 2).containsEntry("version_id", "12")
        .containsEntry("manifest_cid", "bafy").containsEntry("parents", List.of("1@1", "2@1"));
    assertThat(out.get(TableModel.CHAIN_RECEIPTS).get(0)).containsEntry("asset_id", "1").containsEntry("version", 2)
        .containsEntry("role", "annotator").containsEntry("share_bps", 10000);
  }

  @Test
  void licenseLifecycleAndPaymentsLinkedThroughTheirTransaction() {
    add("tx1", "PartnershipRequested", "{\"assetId\":1,\"requester\":\"" + BUYER
        + "\",\"escrow\":50,\"proposalCid\":\"p\"}");
    add("tx2", "PartnershipRequestClosed", "{\"assetId\":1,\"requester\":\"" + BUYER
        + "\",\"rejectedByOwner\":true}");
    add("tx3", "RevenueReceived", "{\"assetId\":1,\"versionId\":10,\"payer\":\"" + OWNER + "\",\"amount\":70}");
    add("tx3", "LicensePurchased", "{\"assetId\":1,\"licensee\":\"" + BUYER
        + "\",\"kind\":2,\"amount\":70,\"expiresAt\":0}");
    add("tx4", "LicenseExpired", "{\"assetId\":1,\"licensee\":\"" + BUYER + "\",\"kind\":2,\"expiredAt\":9}");
    var out = StateProjector.project(events);
    assertThat(out.get(TableModel.CHAIN_LICENSES)).singleElement().satisfies(l -> assertThat(l)
        .containsEntry("kind", "full").containsEntry("status", "expired")
        .containsEntry("license_id", "1:" + BUYER + ":full"));
    assertThat(out.get(TableModel.CHAIN_PAYMENTS)).singleElement().satisfies(p -> assertThat(p)
        .containsEntry("kind", "purchase").containsEntry("license_id", "1:" + BUYER + ":full")
        .containsEntry("payment_id", "tx3:0"));
  }

  private static String version(long id, long asset, String parents) {
    return "{\"versionId\":" + id + ",\"assetId\":" + asset + ",\"contentCommitment\":\"0x62616679\",\"parents\":"
        + parents + ",\"depth\":0,\"royaltyStackBps\":0}";
  }

  private void add(String tx, String name, String args) {
    int block = events.size() + 1;
    int logIndex = (int) events.stream().filter(e -> e.txHash().equals(tx)).count();
    try {
      events.add(new ChainEvent(31337, block, "0xb" + block, tx, logIndex, "finalized", name,
          new ObjectMapper().readTree(args)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
