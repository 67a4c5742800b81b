package io.ledgerlake.platform.demo;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.content.ContentStore;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.publish.DatasetPublisher;
import io.ledgerlake.jobs.publish.PublishDerivedJob;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.provenance.model.LicenseTerms;
import io.ledgerlake.provenance.model.Receipt;
import io.ledgerlake.provenance.model.TxInfo;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

/**
 * The market half of the demo: publish the dataset version on chain, sell a full-access license,
 * and explain where the payment went (license → asset version → receipts → contributors).
 */
public final class DemoMarket {
  /** 0.01 ETH: the demo's full-access price. */
  public static final BigInteger PRICE_WEI = new BigInteger("10000000000000000");

  private final Lakehouse lakehouse;
  private final ContentStore content;
  private final ProvenanceClient chain;
  private final PrintWriter out;

  public DemoMarket(Lakehouse lakehouse, ContentStore content, ProvenanceClient chain, PrintWriter out) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.content = requireNonNull(content, "content");
    this.chain = requireNonNull(chain, "chain");
    this.out = requireNonNull(out, "out");
  }

  /** Publishes when there is something new, then buys the license once and explains the payout. */
  public DatasetPublisher.Publication run(String datasetId, boolean newRecords) {
    out.printf("Step 6/%d: publish the dataset version on chain (%s), sell a license, explain the payout%n", Demo.STEPS, chain.options().rpcUrl());
    DatasetPublisher publisher = new DatasetPublisher(lakehouse, content, chain, indent(out));
    List<DatasetPublisher.Publication> previous = publisher.publications(datasetId);
    DatasetPublisher.Publication current;
    if (newRecords || previous.isEmpty()) {
      DatasetPublisher.Result r = publisher.publish(datasetId);
      current = new DatasetPublisher.Publication(r.tag(), r.assetId(), r.versionId(), r.manifestCid(), r.receiptTokenIds());
    } else {
      current = previous.get(previous.size() - 1);
      out.printf("  already published as %s (asset %d, version %d)%n", current.tag(), current.assetId(), current.versionId());
    }

    long asset = current.assetId();
    if (!chain.hasValidLicense(asset, chain.account(), LicenseKind.FULL_ACCESS)) {
      chain.setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.FULL_ACCESS, PRICE_WEI, Duration.ZERO, ""));
      TxInfo tx = chain.buyLicense(asset, LicenseKind.FULL_ACCESS, BigInteger.ZERO, null);
      out.printf("  %s bought full access to asset %d for %s ETH (tx %s)%n", chain.account(), asset, eth(PRICE_WEI), tx.hash());
    } else {
      out.printf("  %s already holds full access to asset %d%n", chain.account(), asset);
    }
    out.printf("  payout of version %d (manifest %s), revenue %s ETH:%n", current.versionId(), current.manifestCid(), eth(chain.versionRevenue(current.versionId())));
    for (long token : current.receiptTokenIds()) {
      Receipt receipt = chain.receipt(token);
      out.printf("    receipt #%d  %s  %-13s %5d bps  owed %s ETH%n",
          token, receipt.contributor(), receipt.role().name().toLowerCase(), receipt.shareBps(), eth(chain.owedToToken(token)));
    }
    return current;
  }

  /**
   * Registers the trained model as a derived asset of {@code dataset} (once), sells a licence on it (once), and shows
   * the dataset version's receipts credited with the royalty the model payment owes them.
   */
  public void runModel(String modelId, DatasetPublisher.Publication dataset,
      io.ledgerlake.lakehouse.spark.SparkOptions spark) throws Exception {
    PublishDerivedJob.Result model = new JobRunner(lakehouse, indent(out)).run(
        new PublishDerivedJob(content, chain, PublishDerivedJob.Kind.MODEL), new PublishDerivedJob.Params(modelId, 0));
    long asset = model.assetId();
    if (!chain.hasValidLicense(asset, chain.account(), LicenseKind.FULL_ACCESS)) {
      BigInteger before = chain.versionRevenue(dataset.versionId());
      chain.setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.FULL_ACCESS, PRICE_WEI, Duration.ZERO, ""));
      TxInfo tx = chain.buyLicense(asset, LicenseKind.FULL_ACCESS, BigInteger.ZERO, null);
      out.printf("  %s bought full access to model asset %d for %s ETH (tx %s)%n", chain.account(), asset, eth(PRICE_WEI), tx.hash());
      out.printf("  royalty to the dataset version %d (%s): %s ETH%n", dataset.versionId(), dataset.tag(),
          eth(chain.versionRevenue(dataset.versionId()).subtract(before)));
    } else {
      out.printf("  %s already holds full access to model asset %d%n", chain.account(), asset);
    }
    out.printf("  dataset version %d revenue %s ETH; its contributors' receipts:%n", dataset.versionId(),
        eth(chain.versionRevenue(dataset.versionId())));
    for (long token : dataset.receiptTokenIds()) {
      Receipt receipt = chain.receipt(token);
      out.printf("    receipt #%d  %s  %-13s %5d bps  owed %s ETH%n",
          token, receipt.contributor(), receipt.role().name().toLowerCase(), receipt.shareBps(), eth(chain.owedToToken(token)));
    }
    callModel(asset, spark);
  }

  /** The demo's model calls, with fixed call ids: a second demo run retries them, and nothing is metered twice. */
  static final List<List<String>> MODEL_INPUTS = List.of(
      List.of("The river rose two metres overnight after the storm."),
      List.of("Panels on the roof produced more power than last week.", "Volunteers counted forty herons."));

  /**
   * The model as a metered service: the second licensee prepays API calls on the model asset and calls it twice as
   * {@code POST /v1/models/predict} does (licence checked on chain, one attribution.model_calls row per call); the
   * platform account becomes the model's meter, so the settle job charges the calls with the RAG queries' epoch.
   */
  private void callModel(long asset, io.ledgerlake.lakehouse.spark.SparkOptions spark) {
    BigInteger perCall = PRICE_WEI.divide(BigInteger.valueOf(100));
    if (!chain.licenseTerms(asset, LicenseKind.API).enabled()) {
      chain.setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.API, perCall, Duration.ZERO, ""));
    }
    if (!chain.meterOf(asset).equals(chain.account())) {
      chain.setMeter(asset, chain.account());
    }
    try (ProvenanceClient second = ProvenanceClient.connect(chain.options(), chain.deployment(), SECOND_LICENSEE_KEY);
        var service = new io.ledgerlake.training.serve.ModelCallService(lakehouse,
            new io.ledgerlake.provenance.licence.ChainLicenceGate(chain, Duration.ZERO, java.time.Clock.systemUTC()),
            new io.ledgerlake.training.serve.SparkModelPredictor(lakehouse.options(), spark),
            java.time.Clock.systemUTC())) {
      buyApiLicence(second, asset, perCall, "model");
      for (int c = 0; c < MODEL_INPUTS.size(); c++) {
        var o = service.call(second.account(), new io.ledgerlake.training.serve.ModelCallService.Request(
            Long.toString(asset), MODEL_INPUTS.get(c), "demo-model-" + asset + "-c" + (c + 1)));
        List<String> answers = new java.util.ArrayList<>();
        o.predictions().forEach(p -> answers.add(String.format(java.util.Locale.ROOT, "%s (%.2f)", p.label(),
            p.probability())));
        out.printf("  model call %s by %s on %d input(s) (licence %s; %s): %s%n", o.callId(), second.account(),
            MODEL_INPUTS.get(c).size(), o.licence().kind(), o.recorded() ? "call metered"
                : "a retry: metered before, not again", String.join(", ", answers));
      }
    }
  }

  /**
   * The second API licensee: anvil's publicly known development account #5 (funded on the local chain; never for
   * real money), so the usage epoch has two licensees, each settled on its own balance.
   */
  static final String SECOND_LICENSEE_KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

  /** The demo's questions, with fixed query ids: a second demo run retries them, and nothing is recorded twice. */
  static final List<String> QUESTIONS = List.of("How high is the river today?", "Which birds were counted?",
      "How much power did the solar panels produce?");

  /**
   * Embeds the curated text of {@code dataset}'s version, builds its HNSW index, registers the index as a derived
   * asset, buys an API licence on it (prepaid for calls), and runs three licence-gated queries as the API does; prints
   * the usage rows they recorded and which contributors were retrieved.
   */
  public void runRag(DatasetPublisher.Publication dataset, String datasetId,
      io.ledgerlake.lakehouse.spark.SparkOptions spark, io.ledgerlake.rag.RagOptions options) throws Exception {
    JobRunner runner = new JobRunner(lakehouse, indent(out));
    var embedded = runner.run(new io.ledgerlake.rag.embed.EmbedJob(spark, options),
        new io.ledgerlake.rag.embed.EmbedJob.Params(datasetId, dataset.tag()));
    out.printf("  embedded %d record(s) as %d chunk(s) with %s (%d already embedded)%n", embedded.embeddedRecords(),
        embedded.chunks(), embedded.modelId(), embedded.skippedRecords());
    var index = runner.run(new io.ledgerlake.rag.index.IndexBuildJob(spark, options,
        io.ledgerlake.rag.index.IndexStore.inDataDir(content, lakehouse.options().dataDir())),
        new io.ledgerlake.rag.index.IndexBuildJob.Params(datasetId, dataset.tag()));
    out.printf("  HNSW index %s: %d vector(s)%s%n", index.indexCid(), index.vectors(),
        index.reused() ? " (unchanged inputs: the existing index)" : "");
    PublishDerivedJob.Result published = runner.run(
        new PublishDerivedJob(content, chain, PublishDerivedJob.Kind.INDEX), new PublishDerivedJob.Params(index.indexCid(), 0));
    long asset = published.assetId();
    BigInteger perCall = PRICE_WEI.divide(BigInteger.valueOf(100));
    if (!chain.licenseTerms(asset, LicenseKind.API).enabled()) {
      chain.setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.API, perCall, Duration.ZERO, ""));
    }
    java.util.Map<String, Integer> retrieved = new java.util.TreeMap<>();
    try (ProvenanceClient second = ProvenanceClient.connect(chain.options(), chain.deployment(), SECOND_LICENSEE_KEY);
        var service = io.ledgerlake.rag.query.RagQueryService.over(lakehouse, content, chain, options,
            java.time.Clock.systemUTC())) {
      // Two licensees, each with its own prepaid balance; the second asks the first question only.
      buyApiLicence(chain, asset, perCall, "index");
      buyApiLicence(second, asset, perCall, "index");
      for (int q = 0; q < QUESTIONS.size(); q++) {
        ask(service, chain.account(), asset, q, "demo-" + dataset.tag() + "-q" + (q + 1), retrieved);
      }
      ask(service, second.account(), asset, 0, "demo-" + dataset.tag() + "-l2-q1", retrieved);
    }
    out.printf("  attribution.usage: one row per retrieved record; contributors retrieved: %s%n", retrieved);
    settleUsage(asset);
  }

  private void buyApiLicence(ProvenanceClient licensee, long asset, BigInteger perCall, String kind) {
    if (licensee.hasValidLicense(asset, licensee.account(), LicenseKind.API)) {
      out.printf("  %s already holds an API licence on %s asset %d%n", licensee.account(), kind, asset);
      return;
    }
    TxInfo tx = licensee.buyLicense(asset, LicenseKind.API, PRICE_WEI, null);
    out.printf("  %s deposited %s ETH for API calls on %s asset %d at %s ETH per call (tx %s)%n",
        licensee.account(), eth(PRICE_WEI), kind, asset, eth(perCall), tx.hash());
  }

  private void ask(io.ledgerlake.rag.query.RagQueryService service, String caller, long asset, int q, String queryId,
      java.util.Map<String, Integer> retrieved) {
    var o = service.query(caller, new io.ledgerlake.rag.query.RagQueryService.Request(
        Long.toString(asset), QUESTIONS.get(q), 3, queryId, null));
    out.printf("  query %s by %s \"%s\" (licence %s; %s):%n", o.queryId(), caller, QUESTIONS.get(q),
        o.licence().kind(), o.recorded() ? "usage recorded" : "a retry: recorded before, not again");
    for (var p : o.answer().passages()) {
      out.printf(java.util.Locale.ROOT, "    %d. %.3f %s by %s: %s%n", p.rank(), p.score(), shortCid(p.recordCid()),
          p.contributor(), p.text().length() > 60 ? p.text().substring(0, 60) + "..." : p.text());
      retrieved.merge(p.contributor(), 1, Integer::sum);
    }
  }

  /**
   * Settles the API calls just made: the platform account becomes the index asset's meter (once), and the settle job
   * runs with its clock moved past the end of today's epoch — the demo cannot wait for midnight UTC; a real
   * deployment settles ended epochs only. A second demo run finds the epoch settled and sends nothing.
   */
  private void settleUsage(long asset) throws Exception {
    if (!chain.meterOf(asset).equals(chain.account())) {
      TxInfo tx = chain.setMeter(asset, chain.account());
      out.printf("  %s is now the meter of asset %d (tx %s)%n", chain.account(), asset, tx.hash());
    }
    var options = io.ledgerlake.jobs.attribution.AttributionOptions.defaults();
    java.time.Instant now = java.time.Instant.now();
    java.time.Instant end = io.ledgerlake.jobs.attribution.Epoch.containing(now, options.epochLength()).end();
    java.time.Clock afterEpoch = java.time.Clock.offset(java.time.Clock.systemUTC(),
        java.time.Duration.between(now, end).plusSeconds(1));
    var settled = new JobRunner(lakehouse, indent(out), afterEpoch).run(
        new io.ledgerlake.jobs.attribution.SettleJob(chain, options),
        new io.ledgerlake.jobs.attribution.SettleJob.Params(null));
    out.printf("  settled %d epoch settlement(s); 'ledgerlake earnings --address A' explains each contributor's"
        + " share%n", settled.outcomes().size());
    claimUsagePayout();
  }

  /**
   * The epoch's shares went on chain as one funded Merkle root (the settle job's last step); one contributor's leaf
   * is claimed with the proof computed from the lakehouse — sent by the platform, paid to the contributor, who may
   * claim the same way itself with 'ledgerlake claim --epoch E'. A second demo run finds it claimed.
   */
  private void claimUsagePayout() {
    var payouts = io.ledgerlake.jobs.attribution.Payouts.latest(lakehouse).values().stream()
        .filter(p -> p.status().equals(io.ledgerlake.jobs.attribution.Payouts.FINAL)).toList();
    if (payouts.isEmpty()) {
      out.printf("  no usage payout committed yet%n");
      return;
    }
    var payout = payouts.get(payouts.size() - 1); // latest epoch
    var tree = io.ledgerlake.jobs.attribution.Payouts.tree(lakehouse, payout);
    out.printf("  usage payout of epoch %s on chain: root %s, %d contributor(s), %s ETH (tx %s)%n", payout.epoch(),
        payout.root(), payout.leaves(), eth(payout.totalWei()), payout.txHash());
    var leaf = tree.leaf(0);
    if (chain.usagePayoutClaimed(leaf.epoch(), leaf.account())) {
      out.printf("  %s already claimed its %s wei of epoch %s%n", leaf.account(), leaf.amountWei(), payout.epoch());
      return;
    }
    var claimed = chain.claimUsagePayout(leaf);
    out.printf("  claimed %s wei for contributor %s with a proof of %d hash(es) (tx %s)%n", claimed.value(),
        leaf.account(), leaf.proof().size(), claimed.tx().hash());
  }

  private static String shortCid(String cid) {
    return cid.length() > 16 ? cid.substring(0, 8) + "..." + cid.substring(cid.length() - 6) : cid;
  }

  private static String eth(BigInteger wei) {
    return new BigDecimal(wei).movePointLeft(18).stripTrailingZeros().toPlainString();
  }

  private static PrintWriter indent(PrintWriter out) {
    return new PrintWriter(new java.io.Writer() {
      private boolean lineStart = true;

      @Override
      public void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
          if (lineStart) {
            out.write("  ");
            lineStart = false;
          }
          out.write(buf[i]);
          if (buf[i] == '\n') {
            lineStart = true;
          }
        }
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {
        flush();
      }
    }, true);
  }
}
