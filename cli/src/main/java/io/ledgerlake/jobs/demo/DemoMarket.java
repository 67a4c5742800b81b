package io.ledgerlake.jobs.demo;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.content.ContentStore;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.publish.DatasetPublisher;
import io.ledgerlake.jobs.publish.PublishModelJob;
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
  public void runModel(String modelId, DatasetPublisher.Publication dataset) throws Exception {
    PublishModelJob.Result model = new JobRunner(lakehouse, indent(out))
        .run(new PublishModelJob(content, chain), new PublishModelJob.Params(modelId, 0));
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
