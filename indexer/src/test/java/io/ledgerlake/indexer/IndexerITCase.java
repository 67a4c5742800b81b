package io.ledgerlake.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.indexer.project.StateProjector;
import io.ledgerlake.indexer.source.BlockHeader;
import io.ledgerlake.indexer.source.ChainSource;
import io.ledgerlake.indexer.source.RawLog;
import io.ledgerlake.indexer.source.Web3jChainSource;
import io.ledgerlake.indexer.store.ChainEventsTable;
import io.ledgerlake.indexer.store.IndexerCursor;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.provenance.model.LicenseTerms;
import io.ledgerlake.provenance.model.ReceiptShare;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The indexer against a real anvil and a real embedded Iceberg catalog. */
class IndexerITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger PRICE = BigInteger.valueOf(1_000_000);
  /**
   * Small ranges so that a handful of blocks takes several batches, one commit per range; small depths so tests can
   * finalize.
   */
  private static final Map<String, String> SMALL = Map.of(
      IndexerOptions.INITIAL_RANGE, "2",
      IndexerOptions.MAX_RANGE, "4",
      IndexerOptions.CONFIRMATIONS, "2",
      IndexerOptions.FINALIZED_DEPTH, "5");
  private static final IndexerOptions OPTIONS = options(Map.of(IndexerOptions.COMMIT_EVENTS, "1"));

  @TempDir
  static Path chainDir;
  private static LocalAnvil chain;

  @TempDir
  Path lakeDir;
  private Lakehouse lakehouse;
  private Web3jChainSource source;
  private String snapshot;

  @BeforeAll
  static void startChain() {
    chain = LocalAnvil.start(chainDir, 31337);
  }

  @AfterAll
  static void stopChain() {
    if (chain != null) {
      chain.close();
    }
  }

  @BeforeEach
  void openLakehouse() {
    snapshot = chain.snapshot();
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(lakeDir));
    lakehouse.init();
    source = Web3jChainSource.connect(chain.options().rpcUrl(), Duration.ofSeconds(30));
  }

  @AfterEach
  void close() {
    source.close();
    lakehouse.close();
    chain.revert(snapshot);
  }

  @Test
  void backfillIndexesEveryEventExactlyOnceAndProjectsCurrentState() throws IOException {
    long asset = publishAndLicense("bafy-meta", "bafy-manifest-1");

    RunSummary first;
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      first = indexer.runOnce();
      assertThat(indexer.runOnce().eventsIndexed()).isZero();
    }

    List<String> canonical = chain.canonicalLogs();
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(canonical);
    assertThat(first.eventsIndexed()).isEqualTo(canonical.size());
    assertThat(first.commits()).isGreaterThan(2); // ranges of 2..4 blocks: several batches
    assertThat(first.indexedBlock()).isEqualTo(chain.head());
    assertThat(first.lag().blocks()).isZero();
    assertThat(first.projectionsRebuilt()).isTrue();

    List<Record> events = rows(TableModel.CHAIN_EVENTS);
    Record registered = events.stream().filter(r -> r.getField("event_name").equals("AssetRegistered"))
        .findFirst().orElseThrow();
    JsonNode args = JSON.readTree((String) registered.getField("args_json"));
    assertThat(args.get("assetId").asLong()).isEqualTo(asset);
    assertThat(args.get("owner").asText()).isEqualTo(chain.account(1));
    assertThat(args.get("metadataCid").asText()).isEqualTo("bafy-meta");
    assertThat(registered.getField("contract")).isEqualTo(chain.deployment().assetRegistry());
    assertThat(events).extracting(r -> r.getField("event_name"))
        .contains("VersionRegistered", "ReceiptRecorded", "LicensePurchased", "RevenueReceived", "TermsSet");

    Record a = single(TableModel.CHAIN_ASSETS);
    assertThat(a.getField("asset_id")).isEqualTo(Long.toString(asset));
    assertThat(a.getField("owner")).isEqualTo(chain.account(1));
    assertThat(a.getField("kind")).isEqualTo("dataset");
    assertThat(a.getField("royalty_bps")).isEqualTo(500);
    Record v = single(TableModel.CHAIN_ASSET_VERSIONS);
    assertThat(v.getField("manifest_cid")).isEqualTo("bafy-manifest-1");
    assertThat(v.getField("version")).isEqualTo(1);
    assertThat(rows(TableModel.CHAIN_RECEIPTS)).extracting(r -> r.getField("contributor") + "=" + r.getField("share_bps"))
        .containsExactlyInAnyOrder(chain.account(2) + "=6000", chain.account(3) + "=4000");
    Record license = single(TableModel.CHAIN_LICENSES);
    assertThat(license.getField("licensee")).isEqualTo(chain.account(5));
    assertThat(license.getField("kind")).isEqualTo("full");
    assertThat(license.getField("status")).isEqualTo("active");
    assertThat(rows(TableModel.CHAIN_PAYMENTS)).anySatisfy(p -> {
      assertThat(p.getField("kind")).isEqualTo("purchase");
      assertThat(p.getField("license_id")).isEqualTo(license.getField("license_id"));
      assertThat(p.getField("amount_wei").toString()).isEqualTo(PRICE.toString());
    });
  }

  @Test
  void finalityAdvancesWithTheHead() {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      indexer.runOnce();
      assertThat(rows(TableModel.CHAIN_EVENTS)).extracting(r -> r.getField("finality")).contains("pending");
      chain.mine(3);
      assertThat(indexer.lag().blocks()).isEqualTo(3);
      indexer.runOnce();
      assertThat(rows(TableModel.CHAIN_EVENTS)).extracting(r -> r.getField("finality")).contains("confirmed")
          .doesNotContain("pending");
      chain.mine(5);
      RunSummary s = indexer.runOnce();
      assertThat(s.eventsIndexed()).isZero();
      assertThat(rows(TableModel.CHAIN_EVENTS)).extracting(r -> r.getField("finality")).containsOnly("finalized");
      assertThat(rows(TableModel.CHAIN_ASSETS)).extracting(r -> r.getField("finality")).containsOnly("finalized");
    }
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(chain.canonicalLogs());
  }

  @Test
  void crashMidBackfillThenRestartLeavesNoDuplicatesAndNoGaps() {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    publishAndLicense("bafy-meta-2", "bafy-manifest-2");
    List<String> canonical = chain.canonicalLogs();

    // The "crash": the node connection dies after three successful eth_getLogs batches.
    FailingSource failing = new FailingSource(source, 3);
    try (Indexer indexer = Indexer.create(lakehouse, failing, chain.deployment(), OPTIONS)) {
      assertThatThrownBy(indexer::runOnce).isInstanceOf(ChainSourceException.class);
    }
    List<String> partial = positions();
    assertThat(partial).isNotEmpty().hasSizeLessThan(canonical.size());
    assertThat(canonical).containsAll(partial);

    try (Indexer restarted = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      RunSummary s = restarted.runOnce();
      assertThat(s.eventsIndexed()).isEqualTo(canonical.size() - partial.size());
    }
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(canonical).doesNotHaveDuplicates();
  }

  @Test
  void killedIndexerProcessResumesWithoutDuplicatesOrGaps() throws Exception {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    chain.mine(30);
    publishAndLicense("bafy-meta-2", "bafy-manifest-2");
    List<String> canonical = chain.canonicalLogs();
    Path deploymentFile = lakeDir.resolve("deployment.json");
    chain.deployment().write(deploymentFile);
    long start = chain.deployment().deployedAtBlock();

    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), IndexerProcessMain.class.getName(),
        chain.options().rpcUrl().toString(), deploymentFile.toString(), lakeDir.toString())
        .redirectErrorStream(true).redirectOutput(lakeDir.resolve("child.log").toFile()).start();
    ChainEventsTable table = new ChainEventsTable(lakehouse.table(TableModel.CHAIN_EVENTS), OPTIONS);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    try {
      // Kill -9 once the child has committed some batches but not all.
      while (table.cursor().map(IndexerCursor::block).orElse(-1L) < start + 6) {
        assertThat(child.isAlive()).as("child exited early, see child.log").isTrue();
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(50);
      }
    } finally {
      child.destroyForcibly().waitFor();
    }
    List<String> partial = positions();
    assertThat(table.cursor().orElseThrow().block()).isLessThan(chain.head());
    assertThat(canonical).containsAll(partial);

    try (Indexer restarted = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      restarted.runOnce();
    }
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(canonical).doesNotHaveDuplicates();
  }

  @Test
  void reorgRollsBackAndReindexesTheNewCanonicalChain() {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    String fork = chain.snapshot();
    ProvenanceClient owner = chain.client(1);
    long orphaned = owner.registerAsset(AssetKind.MODEL, 100, "bafy-orphaned").value();
    owner.registerAsset(AssetKind.MODEL, 100, "bafy-orphaned-2");
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      indexer.runOnce();
      assertThat(rows(TableModel.CHAIN_ASSETS)).extracting(r -> r.getField("metadata_cid"))
          .contains("bafy-orphaned");

      // Replace the last blocks with different transactions (and more of them).
      chain.revert(fork);
      long replacement = owner.registerAsset(AssetKind.RAG_INDEX, 0, "bafy-canonical").value();
      owner.registerAsset(AssetKind.OTHER, 0, "bafy-canonical-2");
      owner.registerAsset(AssetKind.OTHER, 0, "bafy-canonical-3");
      assertThat(replacement).isEqualTo(orphaned); // same asset id, different content: only hashes tell

      RunSummary s = indexer.runOnce();
      assertThat(s.reorgs()).isEqualTo(1);
      assertThat(s.rolledBackEvents()).isPositive();
    }
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(chain.canonicalLogs()).doesNotHaveDuplicates();
    assertThat(rows(TableModel.CHAIN_ASSETS)).extracting(r -> r.getField("metadata_cid"))
        .containsExactlyInAnyOrder("bafy-meta", "bafy-canonical", "bafy-canonical-2", "bafy-canonical-3");
  }

  @Test
  void reorgToAShorterChainRollsBack() {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    String fork = chain.snapshot();
    chain.client(1).registerAsset(AssetKind.MODEL, 100, "bafy-orphaned");
    chain.mine(3);
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      indexer.runOnce();
      chain.revert(fork); // the new canonical chain is shorter than the indexed one
      RunSummary s = indexer.runOnce();
      assertThat(s.reorgs()).isEqualTo(1);
      assertThat(s.indexedBlock()).isEqualTo(chain.head());
    }
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(chain.canonicalLogs());
    assertThat(rows(TableModel.CHAIN_ASSETS)).extracting(r -> r.getField("metadata_cid"))
        .containsExactly("bafy-meta");
  }

  @Test
  void refusesANodeOfAnotherChain(@TempDir Path otherChainDir) {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      indexer.runOnce();
    }
    try (LocalAnvil other = LocalAnvil.start(otherChainDir, 4242);
        Web3jChainSource otherSource = Web3jChainSource.connect(other.options().rpcUrl(), Duration.ofSeconds(5))) {
      // A deployment file of the other chain, but a lakehouse indexed from 31337.
      try (Indexer indexer = Indexer.create(lakehouse, otherSource, other.deployment(), OPTIONS)) {
        assertThatThrownBy(indexer::runOnce)
            .isInstanceOfSatisfying(ChainMismatchException.class,
                e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR))
            .hasMessageContaining("indexed from chain 31337").hasMessageContaining("serves chain 4242");
      }
      // The deployment of chain 31337 against a node of chain 4242.
      try (Indexer indexer = Indexer.create(lakehouse, otherSource, chain.deployment(), OPTIONS)) {
        assertThatThrownBy(indexer::runOnce).isInstanceOf(ChainMismatchException.class);
      }
    }
  }

  @Test
  void projectionsLaggingBehindChainEventsAreRebuilt() {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      indexer.runOnce();
      chain.client(1).registerAsset(AssetKind.MODEL, 0, "bafy-later");
      // A crash right after the chain.events commit: simulated by committing events without projecting.
      FailingSource noHeaderAfterCommit = new FailingSource(source, Integer.MAX_VALUE);
      noHeaderAfterCommit.failLag = true;
      try (Indexer crashing = Indexer.create(lakehouse, noHeaderAfterCommit, chain.deployment(), OPTIONS)) {
        assertThatThrownBy(crashing::runOnce).isInstanceOf(ChainSourceException.class);
      }
      assertThat(rows(TableModel.CHAIN_ASSETS)).extracting(r -> r.getField("metadata_cid"))
          .doesNotContain("bafy-later");
      RunSummary s = indexer.runOnce();
      assertThat(s.eventsIndexed()).isZero();
      assertThat(s.projectionsRebuilt()).isTrue();
    }
    assertThat(rows(TableModel.CHAIN_ASSETS)).extracting(r -> r.getField("metadata_cid"))
        .containsExactlyInAnyOrder("bafy-meta", "bafy-later");
  }

  @Test
  void followIndexesNewBlocksUntilStopped() throws InterruptedException {
    List<RunSummary> runs = new ArrayList<>();
    AtomicInteger polls = new AtomicInteger();
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      Thread t = new Thread(() -> indexer.follow(Duration.ofMillis(50), () -> polls.get() >= 1 && runs.stream()
          .anyMatch(r -> r.eventsIndexed() > 0), r -> {
            synchronized (runs) {
              runs.add(r);
            }
            polls.incrementAndGet();
          }));
      t.start();
      publishAndLicense("bafy-meta", "bafy-manifest-1");
      t.join(60_000);
      assertThat(t.isAlive()).isFalse();
    }
    // stopped once something was indexed; a final catch-up makes the table complete
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      indexer.runOnce();
    }
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(chain.canonicalLogs());
  }

  @Test
  void shrinksTheLogRangeWhenTheNodeRefusesIt() {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    IndexerOptions wide = IndexerOptions.fromMap(Map.of(IndexerOptions.INITIAL_RANGE, "64",
        IndexerOptions.MAX_RANGE, "64"));
    RangeLimitedSource limited = new RangeLimitedSource(source, 3);
    try (Indexer indexer = Indexer.create(lakehouse, limited, chain.deployment(), wide)) {
      indexer.runOnce();
    }
    assertThat(limited.refusals).isPositive();
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(chain.canonicalLogs());
  }

  @Test
  void incrementalProjectionsEqualAFullRebuild() {
    ProvenanceClient owner = chain.client(1);
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      long asset = publishAndLicense("bafy-meta", "bafy-manifest-1");
      owner.setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.PARTNERSHIP, PRICE, Duration.ZERO, "bafy-terms"));
      chain.client(6).buyLicense(asset, LicenseKind.PARTNERSHIP, null, "bafy-proposal");
      assertThat(indexer.runOnce().projection()).isEqualTo(StateProjector.Refresh.INCREMENTAL);
      assertThat(rows(TableModel.CHAIN_LICENSES)).extracting(r -> r.getField("status")).contains("requested");

      chain.mine(6); // the first rows finalize and move to files of their own
      owner.closePartnershipRequest(asset, chain.account(6)); // removes a row written two runs ago
      chain.client(7).buyLicense(asset, LicenseKind.PARTNERSHIP, null, "bafy-proposal-7");
      publishAndLicense("bafy-meta-2", "bafy-manifest-2");
      owner.closePartnershipRequest(asset, chain.account(7)); // removes a row staged earlier in the same run
      assertThat(chain.client(2).claim()).isPresent();
      assertThat(indexer.runOnce().projection()).isEqualTo(StateProjector.Refresh.INCREMENTAL);
      assertThat(rows(TableModel.CHAIN_LICENSES)).extracting(r -> r.getField("status"))
          .containsOnly("active").hasSize(2);
      assertThat(rows(TableModel.CHAIN_PAYMENTS)).extracting(r -> r.getField("kind")).contains("claim");
      chain.mine(2);
      assertThat(indexer.runOnce().projection()).isEqualTo(StateProjector.Refresh.INCREMENTAL); // finality only

      Map<TableDefinition, List<String>> incremental = projections();
      assertThat(indexer.rebuildProjections()).isTrue();
      assertThat(projections()).isEqualTo(incremental);
    }
    // A new process knows no state: it rebuilds once, then goes incremental.
    try (Indexer restarted = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      owner.registerAsset(AssetKind.MODEL, 0, "bafy-later");
      assertThat(restarted.runOnce().projection()).isEqualTo(StateProjector.Refresh.REBUILT);
      owner.registerAsset(AssetKind.MODEL, 0, "bafy-later-2");
      assertThat(restarted.runOnce().projection()).isEqualTo(StateProjector.Refresh.INCREMENTAL);
    }
    assertThat(rows(TableModel.CHAIN_ASSETS)).extracting(r -> r.getField("metadata_cid"))
        .containsExactlyInAnyOrder("bafy-meta", "bafy-meta-2", "bafy-later", "bafy-later-2");
  }

  @Test
  void assetVersionsCarryTheLakehouseTagOfTheirPublishRun() {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    publishAndLicense("bafy-meta-2", "bafy-manifest-2");
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), OPTIONS)) {
      indexer.runOnce();
      assertThat(rows(TableModel.CHAIN_ASSET_VERSIONS)).extracting(r -> r.getField("lakehouse_tag"))
          .containsOnlyNulls();
      Map<String, String> versionIds = new HashMap<>();
      rows(TableModel.CHAIN_ASSET_VERSIONS).forEach(r -> versionIds.put((String) r.getField("manifest_cid"),
          (String) r.getField("version_id")));
      // What the dataset publisher records (jobs module, DatasetPublisher.recordRun); the second run's manifest
      // is not what its version committed on chain, so its tag must not be used.
      recordPublishRun("ds-v1", versionIds.get("bafy-manifest-1"), "bafy-manifest-1");
      recordPublishRun("other-v3", versionIds.get("bafy-manifest-2"), "bafy-tampered");

      RunSummary s = indexer.runOnce(); // no new events: only the tags changed
      assertThat(s.eventsIndexed()).isZero();
      assertThat(s.projection()).isEqualTo(StateProjector.Refresh.INCREMENTAL);
    }
    assertThat(rows(TableModel.CHAIN_ASSET_VERSIONS)).extracting(
            r -> r.getField("manifest_cid") + "=" + r.getField("lakehouse_tag"))
        .containsExactlyInAnyOrder("bafy-manifest-1=ds-v1", "bafy-manifest-2=null");
  }

  @Test
  void commitsManyRangesAtOnceAndACrashLosesOnlyTheUncommittedBatch() {
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    publishAndLicense("bafy-meta-2", "bafy-manifest-2");
    List<String> canonical = chain.canonicalLogs();
    IndexerOptions batched = options(Map.of()); // default commit size: the whole backfill is one batch

    FailingSource failing = new FailingSource(source, 3);
    try (Indexer indexer = Indexer.create(lakehouse, failing, chain.deployment(), batched)) {
      assertThatThrownBy(indexer::runOnce).isInstanceOf(ChainSourceException.class);
    }
    assertThat(positions()).isEmpty(); // three ranges were read, none committed
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), batched)) {
      RunSummary s = indexer.runOnce();
      assertThat(s.commits()).isEqualTo(1);
      assertThat(s.eventsIndexed()).isEqualTo(canonical.size());
    }
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(canonical).doesNotHaveDuplicates();
    assertThat(new ChainEventsTable(lakehouse.table(TableModel.CHAIN_EVENTS), batched).cursor().orElseThrow()
        .block()).isEqualTo(chain.head());
  }

  @Test
  void expiringSnapshotsKeepsTheCursorAndReorgRollback() throws InterruptedException {
    IndexerOptions expiring = options(Map.of(IndexerOptions.COMMIT_EVENTS, "1",
        IndexerOptions.SNAPSHOT_RETENTION, "0", IndexerOptions.SNAPSHOT_RETAIN_LAST, "2",
        IndexerOptions.EXPIRE_INTERVAL, "1"));
    publishAndLicense("bafy-meta", "bafy-manifest-1");
    ChainEventsTable table = new ChainEventsTable(lakehouse.table(TableModel.CHAIN_EVENTS), expiring);
    try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), expiring)) {
      indexer.runOnce();
      chain.mine(2);
      indexer.runOnce();
      String fork = chain.snapshot();
      chain.client(1).registerAsset(AssetKind.MODEL, 100, "bafy-orphaned");
      indexer.runOnce();
      assertThat(snapshots(TableModel.CHAIN_EVENTS)).isGreaterThan(2);

      assertThat(indexer.expireSnapshots()).isPositive();
      assertThat(snapshots(TableModel.CHAIN_EVENTS)).isEqualTo(2);
      for (TableDefinition def : StateProjector.TABLES) {
        assertThat(snapshots(def)).as(def.qualifiedName()).isLessThanOrEqualTo(2);
      }
      assertThat(table.cursor().orElseThrow().block()).isEqualTo(chain.head());

      // A reorg below every remaining snapshot still rolls back: rollback reads the hash log, not old snapshots.
      chain.revert(fork);
      chain.client(1).registerAsset(AssetKind.RAG_INDEX, 0, "bafy-canonical");
      chain.client(1).registerAsset(AssetKind.RAG_INDEX, 0, "bafy-canonical-2");
      assertThat(indexer.runOnce().reorgs()).isEqualTo(1);

      // Follow mode expires on its schedule (every millisecond here).
      AtomicInteger runs = new AtomicInteger();
      Thread follower = new Thread(() -> indexer.follow(Duration.ofMillis(10), () -> runs.get() >= 3,
          r -> runs.incrementAndGet()));
      follower.start();
      chain.mine(1);
      follower.join(60_000);
      assertThat(follower.isAlive()).isFalse();
      assertThat(snapshots(TableModel.CHAIN_EVENTS)).isLessThanOrEqualTo(2);
    }
    assertThat(positions()).containsExactlyInAnyOrderElementsOf(chain.canonicalLogs()).doesNotHaveDuplicates();
    assertThat(rows(TableModel.CHAIN_ASSETS)).extracting(r -> r.getField("metadata_cid"))
        .containsExactlyInAnyOrder("bafy-meta", "bafy-canonical", "bafy-canonical-2");
    assertThat(table.cursor().orElseThrow().block()).isEqualTo(chain.head());
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private long publishAndLicense(String metadata, String manifest) {
    ProvenanceClient owner = chain.client(1);
    long asset = owner.registerAsset(AssetKind.DATASET, 500, metadata).value();
    owner.publishVersion(asset, ContentCommitment.ofCidText(manifest), List.of(), List.of(
        new ReceiptShare(chain.account(2), ContributorRole.DATA_PROVIDER, 6000),
        new ReceiptShare(chain.account(3), ContributorRole.ANNOTATOR, 4000)));
    owner.setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.FULL_ACCESS, PRICE, Duration.ZERO, ""));
    chain.client(5).buyLicense(asset, LicenseKind.FULL_ACCESS, null, null);
    return asset;
  }

  private static IndexerOptions options(Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(SMALL);
    all.putAll(extra);
    return IndexerOptions.fromMap(all);
  }

  private int snapshots(TableDefinition def) {
    Table t = lakehouse.table(def);
    t.refresh();
    int n = 0;
    for (var ignored : t.snapshots()) {
      n++;
    }
    return n;
  }

  private void recordPublishRun(String tag, String versionId, String manifestCid) {
    Table runs = lakehouse.table(TableModel.OPS_JOB_RUNS);
    ObjectNode params = JSON.createObjectNode().put("dataset", tag.substring(0, tag.lastIndexOf("-v")))
        .put("tag", tag).put("asset_id", 1).put("version_id", Long.parseLong(versionId))
        .put("manifest_cid", manifestCid);
    Map<String, Object> v = new HashMap<>();
    v.put("run_id", UUID.randomUUID().toString());
    v.put("job_name", "publish");
    v.put("status", "succeeded");
    v.put("started_at", OffsetDateTime.now(ZoneOffset.UTC));
    v.put("params_json", params.toString());
    TableAppender.append(runs, List.of(Rows.of(runs.schema(), v)));
  }

  /** Every current-state table's rows, as sorted text. */
  private Map<TableDefinition, List<String>> projections() {
    Map<TableDefinition, List<String>> out = new HashMap<>();
    for (TableDefinition def : StateProjector.TABLES) {
      out.put(def, rows(def).stream().map(Record::toString).sorted().toList());
    }
    return out;
  }

  private List<String> positions() {
    return rows(TableModel.CHAIN_EVENTS).stream()
        .map(r -> r.getField("block_hash") + "/" + r.getField("tx_hash") + "/" + r.getField("log_index"))
        .toList();
  }

  private Record single(TableDefinition def) {
    List<Record> rows = rows(def);
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private List<Record> rows(TableDefinition def) {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(lakehouse.table(def)).build()) {
      it.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Wraps the real node and fails like a dropped connection: after {@code okLogCalls} eth_getLogs calls, or (with
   * {@link #failLag}) on the first header read after the last batch was committed. A hand-written fault injector:
   * a real node cannot be made to fail at a precise point.
   */
  /** A hand-written fake that forwards to a real node; subclasses override what they break. */
  private abstract static class ForwardingSource implements ChainSource {
    final ChainSource delegate;

    ForwardingSource(ChainSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public long chainId() {
      return delegate.chainId();
    }

    @Override
    public long headBlockNumber() {
      return delegate.headBlockNumber();
    }

    @Override
    public BlockHeader header(long number) {
      return delegate.header(number);
    }

    @Override
    public List<RawLog> logs(long from, long to, List<String> addresses) {
      return delegate.logs(from, to, addresses);
    }
  }

  private static final class FailingSource extends ForwardingSource {
    private final int okLogCalls;
    private int logCalls;
    private boolean caughtUp;
    private int headersAfterCatchUp;
    boolean failLag;

    FailingSource(ChainSource delegate, int okLogCalls) {
      super(delegate);
      this.okLogCalls = okLogCalls;
    }

    @Override
    public BlockHeader header(long number) {
      // The first header read after the last batch's logs is the batch's own check; the next one comes after
      // its commit, before the projections are written.
      if (failLag && caughtUp && headersAfterCatchUp++ >= 1) {
        throw new ChainSourceException("injected: connection lost", false, null);
      }
      return delegate.header(number);
    }

    @Override
    public List<RawLog> logs(long from, long to, List<String> addresses) {
      if (logCalls++ >= okLogCalls) {
        throw new ChainSourceException("injected: connection lost", false, null);
      }
      List<RawLog> logs = delegate.logs(from, to, addresses);
      if (to >= delegate.headBlockNumber()) {
        caughtUp = true;
      }
      return logs;
    }

    @Override
    public String describe() {
      return "failing(" + delegate.describe() + ")";
    }
  }

  /** Wraps the real node and refuses log ranges wider than a limit, as public providers do. */
  private static final class RangeLimitedSource extends ForwardingSource {
    private final long maxBlocks;
    int refusals;

    RangeLimitedSource(ChainSource delegate, long maxBlocks) {
      super(delegate);
      this.maxBlocks = maxBlocks;
    }

    @Override
    public List<RawLog> logs(long from, long to, List<String> addresses) {
      if (to - from + 1 > maxBlocks) {
        refusals++;
        throw new ChainSourceException("query exceeds max block range " + maxBlocks, true, null);
      }
      return delegate.logs(from, to, addresses);
    }

    @Override
    public String describe() {
      return "limited(" + delegate.describe() + ")";
    }
  }
}
