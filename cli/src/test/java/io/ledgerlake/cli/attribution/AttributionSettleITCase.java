package io.ledgerlake.cli.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.cli.CliRun;
import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.cli.index.IndexReconcileITCase;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.attribution.AttributionOptions;
import io.ledgerlake.jobs.attribution.Epoch;
import io.ledgerlake.jobs.attribution.SettleJob;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.local.LocalChain;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.query.RagQueryService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code attribution settle} on a real anvil chain and the demo's index asset 3: two fresh licensees (one prepaid
 * for fewer calls than it makes) query, then settle runs crash after recording a transaction before broadcast and
 * after it is mined; the next runs finish those transactions instead of sending others, and a last run sends nothing.
 * The epoch is then paid out on chain as one funded Merkle root (a run crashes after the root is mined, the next
 * records it once; in a second epoch, a run crashes after recording the root and before broadcasting it, the next
 * sends exactly that transaction); the shares become final, {@code claim --epoch} pays a contributor's leaf once, and
 * reconcile matches the root until a usage row is tampered with (SHARES_MISMATCH).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttributionSettleITCase {
  static final long INDEX_ASSET = 3;

  Path dir;
  LocalChain.Running chainRuntime;
  ProvenanceClient platform;
  final HttpClient http = HttpClient.newHttpClient();

  CliRun ok(String... args) {
    CliRun r = CliRun.run(dir.resolve("data"), args);
    assertThat(r.code()).as("%s%n%s%n%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  Settings settings() {
    return Settings.of(Map.of(LakehouseOptions.DATA_DIR, dir.resolve("data").toString(),
        RagOptions.LICENCE_CACHE_MS, "0"));
  }

  @BeforeAll
  void demo() throws Exception {
    dir = Files.createTempDirectory("attribution-settle");
    scala.Option<org.apache.spark.sql.SparkSession> spark = org.apache.spark.sql.SparkSession.getDefaultSession();
    if (spark.isDefined()) {
      spark.get().stop();
    }
    ok("chain", "up");
    // The demo's API calls are settled by the demo itself: on asset 3 two licensees (its platform account and anvil's
    // development account #5), one settlement each in the one epoch; on the model (asset 2) the second licensee's
    // two calls, a third settlement.
    assertThat(ok("demo", "--records", "30").out()).contains("as asset 3 version 3")
        .contains("settled 3 epoch settlement(s)");
    chainRuntime = LocalChain.running(ChainSettings.options(settings())).orElseThrow();
    platform = ChainSettings.client(settings(), false);
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    CliRun.run(dir.resolve("data"), "chain", "down");
  }

  ProvenanceClient account(String who) throws Exception {
    DevKeyFile key = DevKeyFile.generate(dir.resolve(who + ".json"));
    String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_setBalance\",\"params\":[\"" + key.address()
        + "\",\"0x56BC75E2D63100000\"]}"; // 100 ETH
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(chainRuntime.rpcUrl()))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).doesNotContain("error");
    String hex = org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(key.keyPair().getPrivateKey(), 64);
    return ProvenanceClient.connect(LocalChain.clientOptions(ChainSettings.options(settings()), chainRuntime),
        chainRuntime.deployment(), hex);
  }

  /**
   * The test's calls are made one epoch after the demo's (whose payout the demo committed already: one root per
   * epoch), with the query service's clock moved forward by a day.
   */
  static final Duration AHEAD = Duration.ofDays(1);

  /** Runs settle as the scheduler would after the end of the test's epoch (tomorrow's). */
  SettleJob.Result settle(Lakehouse lakehouse, SettleJob.Hook hook) throws Exception {
    return settle(lakehouse, hook, AHEAD);
  }

  /** Runs settle after the end of the epoch {@code ahead} of now. */
  SettleJob.Result settle(Lakehouse lakehouse, SettleJob.Hook hook, Duration ahead) throws Exception {
    var options = AttributionOptions.defaults();
    Instant now = Instant.now();
    Instant end = Epoch.containing(now.plus(ahead), options.epochLength()).end();
    // Each run's clock starts just after the epoch's end again: runs disagree about time, as separate processes may.
    Clock after = Clock.offset(Clock.systemUTC(), Duration.between(now, end).plusSeconds(1));
    return new JobRunner(lakehouse, new PrintWriter(new StringWriter(), true), after)
        .run(new SettleJob(platform, options, hook), new SettleJob.Params(null));
  }

  List<com.fasterxml.jackson.databind.JsonNode> json(String sql) throws Exception {
    List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
    for (String line : ok("sql", sql, "--format", "json").out().lines().toList()) {
      out.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
    }
    return out;
  }

  /**
   * The demo's two model calls (asset 2, the second licensee): charged on the model, once; Revenue paid the dataset
   * version its royalty and credited the rest to the model's version; the shares say so receipt by receipt, as the
   * receipts can claim it.
   */
  @Test
  void modelCallsAreChargedOnTheModelAndTheirRevenueFollowsItsLineage() throws Exception {
    BigInteger price = platform.licenseTerms(2, LicenseKind.API).priceWei();
    var settlements = json("select settlement_id, settled_calls, metered_calls, cast(cost_wei as string) as cost,"
        + " cast(net_wei as string) as net, cast(royalty_wei as string) as royalty, royalties, status"
        + " from attribution.settlements where calls_table = 'attribution.model_calls' and status <> 'sending'");
    assertThat(settlements).hasSize(1);
    var s = settlements.get(0);
    assertThat(s.path("settlement_id").asText()).contains("/2/");
    assertThat(s.path("settled_calls").asLong()).isEqualTo(2).isEqualTo(s.path("metered_calls").asLong());
    assertThat(json("select count(*) as n from attribution.model_calls where license_kind = 'api'").get(0)
        .path("n").asLong()).isEqualTo(2);
    BigInteger cost = new BigInteger(s.path("cost").asText());
    BigInteger net = new BigInteger(s.path("net").asText());
    BigInteger royalty = new BigInteger(s.path("royalty").asText());
    assertThat(cost).isEqualTo(price.multiply(BigInteger.TWO));
    assertThat(royalty.signum()).as("the dataset's royalty rate is not zero").isPositive();
    assertThat(net.add(royalty)).isEqualTo(cost);
    assertThat(s.path("royalties").asText()).as("all of it to the dataset version (id 1)").isEqualTo("1=" + royalty);

    var shares = json("select recipient, role, share_bps, cast(amount_wei as string) as wei, reason, asset_id,"
        + " status from attribution.revenue_shares where settlement_id = '" + s.path("settlement_id").asText() + "'"
        + " order by reason, recipient");
    var receipts = json("select contributor, share_bps from chain.receipts where version_id = '1'"
        + " order by contributor");
    BigInteger offsetOf = BigInteger.ZERO; // receipt ranges in token order, as Revenue entitles them
    Map<String, BigInteger> expectedRoyalty = new java.util.HashMap<>();
    for (var r : json("select contributor, share_bps from chain.receipts where version_id = '1'"
        + " order by cast(receipt_id as bigint)")) {
      BigInteger share = BigInteger.valueOf(r.path("share_bps").asLong());
      expectedRoyalty.put(r.path("contributor").asText(), royalty.multiply(offsetOf.add(share))
          .divide(BigInteger.valueOf(10_000)).subtract(royalty.multiply(offsetOf).divide(BigInteger.valueOf(10_000))));
      offsetOf = offsetOf.add(share);
    }
    assertThat(shares).hasSize(1 + receipts.size());
    assertThat(shares.get(0).path("reason").asText()).isEqualTo("direct");
    assertThat(shares.get(0).path("role").asText()).isEqualTo("model_trainer");
    assertThat(shares.get(0).path("recipient").asText()).isEqualTo(platform.account());
    assertThat(new BigInteger(shares.get(0).path("wei").asText())).isEqualTo(net);
    for (int i = 0; i < receipts.size(); i++) {
      var share = shares.get(1 + i);
      assertThat(share.path("reason").asText()).isEqualTo("upstream_royalty");
      assertThat(share.path("asset_id").asText()).isEqualTo("1");
      assertThat(share.path("recipient").asText()).isEqualTo(receipts.get(i).path("contributor").asText());
      assertThat(new BigInteger(share.path("wei").asText()))
          .isEqualTo(expectedRoyalty.get(receipts.get(i).path("contributor").asText()));
    }
    assertThat(shares).allSatisfy(x -> assertThat(x.path("status").asText()).isEqualTo("final"));
    assertThat(shares.stream().skip(1).map(x -> new BigInteger(x.path("wei").asText()))
        .reduce(BigInteger.ZERO, BigInteger::add)).as("the royalty, to the wei").isEqualTo(royalty);
    docSectionReturnsRows("## Why was I paid this (model calls)", 2);
    // earnings explains it too: a data provider of the dataset version is paid a royalty of the model's calls.
    var provider = shares.get(1);
    assertThat(ok("earnings", "--address", provider.path("recipient").asText()).out())
        .contains("model asset 2  " + provider.path("wei").asText() + " wei (data_provider of royalty receipt on"
            + " asset 1 version 1, " + provider.path("share_bps").asText() + " bps of " + royalty + " wei of royalty)")
        .contains("2 model call(s) by ");

    // Reconcile: the settled calls against attribution.model_calls, the shares against the transaction's credits.
    String id = s.path("settlement_id").asText();
    ok("index", "--once");
    // (not ok(): another test of this class may have left its own tampering for reconcile to report)
    assertThat(CliRun.run(dir.resolve("data"), "reconcile", "--all").out()).contains("MATCH model_calls " + id);
    // One more metered call of that licensee in that epoch, after settlement: reported until it is gone.
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings()))) {
      Table calls = lakehouse.table(TableModel.ATTRIBUTION_MODEL_CALLS);
      Record settledCall = read(lakehouse, TableModel.ATTRIBUTION_MODEL_CALLS).get(0);
      calls.refresh();
      long before = calls.currentSnapshot().snapshotId();
      Record extra = settledCall.copy();
      extra.setField("call_id", "tampered-after-settlement");
      io.ledgerlake.lakehouse.write.TableAppender.append(calls, List.of(extra));
      CliRun tampered = CliRun.run(dir.resolve("data"), "reconcile");
      assertThat(tampered.code()).as(tampered.out()).isNotZero();
      assertThat(tampered.out()).contains("CALLS_MISMATCH model_calls " + id).contains("2 in the settled snapshot")
          .contains("and 3 now");
      calls.refresh();
      calls.manageSnapshots().rollbackTo(before).commit();
    }
    assertThat(CliRun.run(dir.resolve("data"), "reconcile", "--all").out()).contains("MATCH model_calls " + id)
        .doesNotContain("CALLS_MISMATCH model_calls");
  }

  @Test
  void settlesOncePerLicenseeEvenAfterCrashesAndSplitsByUsage() throws Exception {
    BigInteger price = platform.licenseTerms(INDEX_ASSET, LicenseKind.API).priceWei();
    ProvenanceClient rich = account("rich");
    ProvenanceClient poor = account("poor");
    rich.buyLicense(INDEX_ASSET, LicenseKind.API, price.multiply(BigInteger.valueOf(100)), null);
    poor.buyLicense(INDEX_ASSET, LicenseKind.API, price.multiply(BigInteger.valueOf(2)), null); // 2 of its 3 calls
    Set<String> retrieved = new HashSet<>();
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings()));
        var service = RagQueryService.over(lakehouse, ContentSettings.open(settings()), platform,
            RagOptions.from(settings()), Clock.offset(Clock.systemUTC(), AHEAD))) {
      String[] questions = {"river level", "bird counts", "solar output"};
      for (int q = 0; q < 2; q++) {
        service.query(rich.account(), new RagQueryService.Request("3", questions[q], 3, "rich-" + q, null))
            .answer().passages().forEach(p -> retrieved.add(p.contributor()));
      }
      for (int q = 0; q < 3; q++) {
        service.query(poor.account(), new RagQueryService.Request("3", questions[q], 3, "poor-" + q, null))
            .answer().passages().forEach(p -> retrieved.add(p.contributor()));
      }
    }
    BigInteger richBefore = platform.apiBalance(INDEX_ASSET, rich.account());
    BigInteger poorBefore = platform.apiBalance(INDEX_ASSET, poor.account());
    String first = rich.account().compareTo(poor.account()) < 0 ? rich.account() : poor.account();
    String second = first.equals(rich.account()) ? poor.account() : rich.account();

    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings()))) {
      // Crash 1: the first settlement's signed transaction is recorded, then the process dies before broadcasting.
      assertThatThrownBy(() -> settle(lakehouse, new SettleJob.Hook() {
        @Override
        public void afterIntentRecorded(String id) {
          throw new IllegalStateException("crash before broadcast of " + id);
        }
      })).hasMessageContaining("crash before broadcast");
      assertThat(platform.apiBalance(INDEX_ASSET, first)).isEqualTo(first.equals(rich.account()) ? richBefore
          : poorBefore);
      // Crash 2: the next run finishes (rebroadcasts) the first; the second is mined, then the process dies.
      assertThatThrownBy(() -> settle(lakehouse, new SettleJob.Hook() {
        @Override
        public void afterMined(String id) {
          throw new IllegalStateException("crash after mining " + id);
        }
      })).hasMessageContaining("crash after mining").hasMessageContaining(second);
      // The chain has both; the lakehouse has only a 'sending' row for the second.
      BigInteger richCost = price.multiply(BigInteger.valueOf(2));
      BigInteger poorCost = price.multiply(BigInteger.valueOf(2));
      assertThat(platform.apiBalance(INDEX_ASSET, rich.account())).isEqualTo(richBefore.subtract(richCost));
      assertThat(platform.apiBalance(INDEX_ASSET, poor.account())).isEqualTo(poorBefore.subtract(poorCost));

      // Crash 3: the next run finishes the second settlement, commits the epoch's payout root (both settlements
      // done), and dies after it is mined, before recording it.
      BigInteger platformBefore = platform.balanceOf(platform.account());
      String[] mined = new String[1];
      assertThatThrownBy(() -> settle(lakehouse, new SettleJob.Hook() {
        @Override
        public void afterPayoutMined(String epochId) {
          mined[0] = epochId;
          throw new IllegalStateException("crash after mining the root of " + epochId);
        }
      })).hasMessageContaining("crash after mining the root");
      long epochStart = Epoch.parse(mined[0], AttributionOptions.defaults().epochLength()).start().getEpochSecond();
      var onChain = platform.usagePayout(epochStart);
      assertThat(onChain.committed()).isTrue();

      SettleJob.Result recovered = settle(lakehouse, new SettleJob.Hook() {});
      assertThat(recovered.outcomes()).as("the second settlement was recorded by the crashed run").isEmpty();
      assertThat(recovered.payouts()).singleElement().satisfies(p -> {
        assertThat(p.status()).isEqualTo("final");
        assertThat(p.recovered()).isTrue();
        assertThat(p.root()).isEqualTo(onChain.rootHex());
      });
      SettleJob.Result again = settle(lakehouse, new SettleJob.Hook() {});
      assertThat(again.outcomes()).as("nothing left to settle").isEmpty();
      assertThat(again.payouts()).as("the epoch is paid out once").isEmpty();
      // Funded once: the platform paid the root's total (plus gas) once, and the chain holds one payout.
      assertThat(platform.usagePayout(epochStart).fundedWei()).isEqualTo(onChain.fundedWei());
      assertThat(platform.balanceOf(platform.account())).isLessThan(platformBefore.subtract(onChain.fundedWei()))
          .isGreaterThan(platformBefore.subtract(onChain.fundedWei()).subtract(new BigInteger("10000000000000000")));
      List<Record> payoutRows = read(lakehouse, TableModel.ATTRIBUTION_PAYOUTS);
      assertThat(payoutRows.stream().filter(r -> mined[0].equals(r.getField("epoch"))
          && "final".equals(r.getField("status")))).as("recorded once").hasSize(1);
      // Balances reduced by calls x price exactly once: rich 2 calls, poor 2 of 3 (its balance), nothing more.
      assertThat(platform.apiBalance(INDEX_ASSET, rich.account())).isEqualTo(richBefore.subtract(richCost));
      assertThat(platform.apiBalance(INDEX_ASSET, poor.account())).isEqualTo(BigInteger.ZERO);

      Map<String, Record> finals = new java.util.HashMap<>();
      List<Record> settlementRows = read(lakehouse, TableModel.ATTRIBUTION_SETTLEMENTS);
      for (Record r : settlementRows) {
        if (!r.getField("status").equals("sending") && !r.getField("status").equals("failed")) {
          assertThat(finals.put((String) r.getField("settlement_id"), r)).as("one final row per settlement").isNull();
        }
      }
      String epoch = Epoch.containing(Instant.now().plus(AHEAD), AttributionOptions.defaults().epochLength()).id();
      Record richRow = finals.get(epoch + "/3/" + rich.account());
      Record poorRow = finals.get(epoch + "/3/" + poor.account());
      assertThat(richRow.getField("status")).isEqualTo("settled");
      assertThat(richRow.getField("settled_calls")).isEqualTo(2L);
      assertThat(poorRow.getField("status")).isEqualTo("partial");
      assertThat(poorRow.getField("settled_calls")).isEqualTo(2L);
      assertThat(poorRow.getField("unpaid_calls")).isEqualTo(1L);
      assertThat((String) poorRow.getField("message")).contains("covered 2 of 3 call(s)").contains("1 unpaid");

      // Shares: each settlement's net credit, split exactly, only among contributors of the retrieved records.
      List<Record> shares = read(lakehouse, TableModel.ATTRIBUTION_REVENUE_SHARES);
      for (Record s : List.of(richRow, poorRow)) {
        String id = (String) s.getField("settlement_id");
        List<Record> mine = shares.stream().filter(x -> id.equals(x.getField("settlement_id"))).toList();
        assertThat(mine).isNotEmpty().allSatisfy(x -> {
          assertThat(retrieved).contains((String) x.getField("recipient"));
          assertThat(x.getField("basis")).isEqualTo("usage-rank-v1");
          assertThat(x.getField("status")).as("the payout root's block is final").isEqualTo("final");
        });
        assertThat(mine.stream().map(x -> (BigDecimal) x.getField("amount_wei")).reduce(BigDecimal.ZERO,
            BigDecimal::add)).isEqualByComparingTo((BigDecimal) s.getField("net_wei"));
      }
      String contributor = (String) shares.stream().filter(x -> "usage".equals(x.getField("reason"))).findFirst()
          .orElseThrow().getField("recipient");
      assertThat(ok("earnings", "--address", contributor).out()).contains("usage-rank-v1").contains("rank 1")
          .contains("paid out on chain").contains("claim --epoch " + mined[0]);

      // Claims: the contributor's leaf pays the sum of its shares in the epoch, once; nobody else is owed anything.
      BigInteger owed = shares.stream().filter(x -> mined[0].equals(x.getField("epoch"))
              && contributor.equals(x.getField("recipient")))
          .map(x -> ((BigDecimal) x.getField("amount_wei")).toBigIntegerExact()).reduce(BigInteger.ZERO, BigInteger::add);
      BigInteger before = platform.balanceOf(contributor);
      assertThat(ok("claim", "--epoch", mined[0], "--address", contributor).out())
          .contains("Claimed " + owed + " wei for " + contributor);
      assertThat(platform.balanceOf(contributor)).isEqualTo(before.add(owed));
      CliRun twice = CliRun.run(dir.resolve("data"), "claim", "--epoch", mined[0], "--address", contributor);
      assertThat(twice.code()).isNotZero();
      assertThat(twice.err()).contains("already claimed");
      CliRun nobody = CliRun.run(dir.resolve("data"), "claim", "--epoch", mined[0], "--address",
          "0x00000000000000000000000000000000000000ee");
      assertThat(nobody.code()).isNotZero();
      assertThat(nobody.err()).contains("nothing is owed");
      CliRun noPayout = CliRun.run(dir.resolve("data"), "claim", "--epoch", "2020-01-01");
      assertThat(noPayout.code()).isNotZero();
      assertThat(noPayout.err()).contains("no usage payout committed");

      // Reconcile: the roots on chain (as indexed) match the shares recomputed from the settled usage snapshots.
      ok("index", "--once");
      String clean = ok("reconcile", "--all").out();
      assertThat(clean).contains("MATCH usage_payout " + mined[0]).contains("MATCH usage_calls " + epoch + "/3/")
          .doesNotContain("SHARES_MISMATCH").doesNotContain("CALLS_MISMATCH");
      // Tampering: one retrieved row of a paid call now names another contributor.
      tamperUsage(lakehouse, epoch, rich.account());
      CliRun tampered = CliRun.run(dir.resolve("data"), "reconcile");
      assertThat(tampered.code()).as(tampered.out()).isNotZero();
      assertThat(tampered.out()).contains("SHARES_MISMATCH usage_payout " + mined[0])
          .contains("changed after settlement");
    }
    // The SQL of "Why was I paid this (usage)" runs and returns rows on this data.
    docSectionReturnsRows("## Why was I paid this (usage)", 3);
  }

  /** Every SQL block of docs/sql.md's section {@code heading} runs and returns rows on this data. */
  void docSectionReturnsRows(String heading, int atLeast) throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "sql.md"));
    String section = doc.substring(doc.indexOf(heading));
    section = section.contains("\n## ") ? section.substring(0, section.indexOf("\n## ", 5)) : section;
    List<String> queries = IndexReconcileITCase.sqlBlocks(section);
    assertThat(queries).hasSizeGreaterThanOrEqualTo(atLeast);
    for (String q : queries) {
      assertThat(ok("sql", q, "--format", "csv").out().lines().count()).as("rows of%n%s", q).isGreaterThan(1);
    }
  }

  /**
   * A settlement done after its epoch's root was committed (here: a query answered in the epoch, but settled only
   * after the root) is not left provisional: a top-up root ({@code E+1}, on-chain key start + 1) pays it, once; the
   * contributor claims it with the epoch's own claim command; reconcile checks it like any root.
   */
  @Test
  void aSettlementDoneAfterItsEpochsRootIsPaidByATopUpRootOnce() throws Exception {
    Duration ahead = Duration.ofDays(3); // its own epoch
    BigInteger price = platform.licenseTerms(INDEX_ASSET, LicenseKind.API).priceWei();
    ProvenanceClient early = account("early");
    ProvenanceClient late = account("late");
    early.buyLicense(INDEX_ASSET, LicenseKind.API, price.multiply(BigInteger.TEN), null);
    late.buyLicense(INDEX_ASSET, LicenseKind.API, price.multiply(BigInteger.TEN), null);
    Epoch epoch = Epoch.containing(Instant.now().plus(ahead), AttributionOptions.defaults().epochLength());
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings()))) {
      try (var service = RagQueryService.over(lakehouse, ContentSettings.open(settings()), platform,
          RagOptions.from(settings()), Clock.offset(Clock.systemUTC(), ahead))) {
        service.query(early.account(), new RagQueryService.Request("3", "river level", 3, "early-0", null));
      }
      SettleJob.Result first = settle(lakehouse, new SettleJob.Hook() {}, ahead);
      assertThat(first.payouts()).anySatisfy(p -> {
        assertThat(p.epoch()).isEqualTo(epoch.id());
        assertThat(p.status()).isEqualTo("final");
      });
      // A call of the same epoch that reaches the table only now.
      try (var service = RagQueryService.over(lakehouse, ContentSettings.open(settings()), platform,
          RagOptions.from(settings()), Clock.offset(Clock.systemUTC(), ahead))) {
        service.query(late.account(), new RagQueryService.Request("3", "bird counts", 3, "late-0", null));
      }
      String lateId = epoch.id() + "/3/" + late.account();
      SettleJob.Result second = settle(lakehouse, new SettleJob.Hook() {}, ahead);
      assertThat(second.outcomes()).singleElement().satisfies(o -> {
        assertThat(o.settlementId()).isEqualTo(lateId);
        assertThat(o.status()).isEqualTo("settled");
      });
      assertThat(second.payouts()).singleElement().satisfies(p -> {
        assertThat(p.epoch()).isEqualTo(epoch.id() + "+1");
        assertThat(p.status()).isEqualTo("final");
      });
      long key = epoch.start().getEpochSecond() + 1;
      assertThat(platform.usagePayout(key).committed()).isTrue();
      assertThat(platform.usagePayout(key).rootHex()).isEqualTo(second.payouts().get(0).root());
      List<Record> lateShares = read(lakehouse, TableModel.ATTRIBUTION_REVENUE_SHARES).stream()
          .filter(r -> lateId.equals(r.getField("settlement_id"))).toList();
      assertThat(lateShares).isNotEmpty().allSatisfy(r -> assertThat(r.getField("status")).isEqualTo("final"));
      // Once: another run commits nothing more.
      SettleJob.Result third = settle(lakehouse, new SettleJob.Hook() {}, ahead);
      assertThat(third.outcomes()).isEmpty();
      assertThat(third.payouts()).isEmpty();

      // The contributor claims with the epoch's claim command: its leaves in the root and in the top-up.
      String contributor = (String) lateShares.get(0).getField("recipient");
      BigInteger before = platform.balanceOf(contributor);
      String claimed = ok("claim", "--epoch", epoch.id(), "--address", contributor).out();
      assertThat(claimed).contains("(top-up 1)");
      assertThat(platform.usagePayoutClaimed(key, contributor)).isTrue();
      assertThat(platform.balanceOf(contributor)).isGreaterThan(before);
      CliRun twice = CliRun.run(dir.resolve("data"), "claim", "--epoch", epoch.id(), "--address", contributor);
      assertThat(twice.code()).isNotZero();
      assertThat(twice.err()).contains("already claimed");
    }
    ok("index", "--once");
    assertThat(ok("reconcile", "--all").out()).contains("MATCH usage_payout " + epoch.id() + "+1")
        .contains("MATCH usage_payout " + epoch.id() + ":");
  }

  @Test
  void aPayoutRecordedButNeverBroadcastIsSentOnceByTheNextRun() throws Exception {
    // Its own epoch (two days ahead), so that it does not depend on the other test's.
    Duration ahead = Duration.ofDays(2);
    BigInteger price = platform.licenseTerms(INDEX_ASSET, LicenseKind.API).priceWei();
    ProvenanceClient licensee = account("later");
    licensee.buyLicense(INDEX_ASSET, LicenseKind.API, price.multiply(BigInteger.TEN), null);
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings()));
        var service = RagQueryService.over(lakehouse, ContentSettings.open(settings()), platform,
            RagOptions.from(settings()), Clock.offset(Clock.systemUTC(), ahead))) {
      service.query(licensee.account(), new RagQueryService.Request("3", "wind speed", 3, "later-0", null));
    }
    Epoch epoch = Epoch.containing(Instant.now().plus(ahead), AttributionOptions.defaults().epochLength());
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings()))) {
      // The commit is recorded with its signed bytes, then the process dies before the node sees it.
      assertThatThrownBy(() -> settle(lakehouse, new SettleJob.Hook() {
        @Override
        public void afterPayoutRecorded(String epochId) {
          throw new IllegalStateException("crash before broadcasting the root of " + epochId);
        }
      }, ahead)).hasMessageContaining("crash before broadcasting the root of " + epoch.id());
      assertThat(platform.usagePayout(epoch.start().getEpochSecond()).committed()).isFalse();
      assertThat(read(lakehouse, TableModel.ATTRIBUTION_REVENUE_SHARES).stream()
          .filter(r -> epoch.id().equals(r.getField("epoch"))))
          .isNotEmpty().allSatisfy(r -> assertThat(r.getField("status")).isEqualTo("provisional"));

      // The next run rebroadcasts exactly that transaction: one root, funded once; the shares become final.
      SettleJob.Result next = settle(lakehouse, new SettleJob.Hook() {}, ahead);
      assertThat(next.payouts()).singleElement().satisfies(p -> {
        assertThat(p.epoch()).isEqualTo(epoch.id());
        assertThat(p.status()).isEqualTo("final");
        assertThat(p.recovered()).isTrue();
      });
      var onChain = platform.usagePayout(epoch.start().getEpochSecond());
      assertThat(onChain.rootHex()).isEqualTo(next.payouts().get(0).root());
      assertThat(onChain.fundedWei()).isEqualTo(next.payouts().get(0).totalWei());
      assertThat(read(lakehouse, TableModel.ATTRIBUTION_REVENUE_SHARES).stream()
          .filter(r -> epoch.id().equals(r.getField("epoch"))))
          .allSatisfy(r -> assertThat(r.getField("status")).isEqualTo("final"));
      assertThat(settle(lakehouse, new SettleJob.Hook() {}, ahead).payouts()).isEmpty();
    }
  }

  /** Rewrites attribution.usage with the contributor of one rank-2 row of {@code caller} (all paid) in {@code epoch} changed. */
  static void tamperUsage(Lakehouse lakehouse, String epoch, String caller) throws Exception {
    Table usage = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
    usage.refresh();
    List<Record> rows = read(lakehouse, TableModel.ATTRIBUTION_USAGE);
    Epoch e = Epoch.parse(epoch, AttributionOptions.defaults().epochLength());
    Record victim = rows.stream().filter(r -> "api".equals(r.getField("license_kind"))
        && caller.equals(r.getField("caller"))
        && (Integer) r.getField("rank") == 2
        && e.start().compareTo(((java.time.OffsetDateTime) r.getField("queried_at")).toInstant()) <= 0
        && e.end().isAfter(((java.time.OffsetDateTime) r.getField("queried_at")).toInstant())).findFirst().orElseThrow();
    victim.setField("contributor", "0x00000000000000000000000000000000000000ab");
    List<org.apache.iceberg.DataFile> files = new ArrayList<>();
    try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = usage.newScan().planFiles()) {
      tasks.forEach(t -> files.add(t.file().copy()));
    }
    io.ledgerlake.lakehouse.write.TableAppender.replace(usage, files, rows, Map.of(),
        usage.currentSnapshot().snapshotId());
  }

  static List<Record> read(Lakehouse lakehouse, io.ledgerlake.lakehouse.tables.TableDefinition def)
      throws Exception {
    Table t = lakehouse.table(def);
    t.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(r -> out.add(r.copy()));
    }
    return out;
  }
}
