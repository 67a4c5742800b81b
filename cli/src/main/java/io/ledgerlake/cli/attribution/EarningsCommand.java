package io.ledgerlake.cli.attribution;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.jobs.attribution.AttributionOptions;
import io.ledgerlake.jobs.attribution.Earnings;
import io.ledgerlake.lakehouse.Lakehouse;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "earnings", mixinStandardHelpOptions = true,
    description = {"Why a contributor was paid what from usage: each share with its epoch, asset, settlement,",
        "the paid queries that retrieved the contributor's records and the formula's inputs",
        "(docs/sql.md, \"Why was I paid this (usage)\"); and its shares of settled model calls, which follow the",
        "model's lineage (\"Why was I paid this (model calls)\")."})
public final class EarningsCommand extends LakehouseCommand {
  @Option(names = "--address", required = true, paramLabel = "A", description = "Contributor address (0x...).")
  String address;

  @Override
  public Integer call() {
    try (Lakehouse lakehouse = openLakehouse()) {
      List<Earnings.Explained> all = Earnings.of(lakehouse, address, AttributionOptions.from(settings()));
      List<Earnings.FromModelCalls> models = Earnings.fromModelCalls(lakehouse, address);
      if (all.isEmpty() && models.isEmpty()) {
        out().printf("No usage shares for %s yet.%n", address.toLowerCase(Locale.ROOT));
        return 0;
      }
      printModelCalls(models);
      if (all.isEmpty()) {
        return 0;
      }
      java.math.BigInteger total = java.math.BigInteger.ZERO;
      for (Earnings.Explained e : all) {
        total = total.add(e.amountWei());
        out().printf(Locale.ROOT, "epoch %s  asset %s  %s wei (%d bps, %s)  %s%n", e.epoch(), e.assetId(),
            e.amountWei(), e.bps(), e.status(), e.basis());
        out().printf(Locale.ROOT, "  settlement %s: %d call(s) by %s, net credit %s wei, tx %s (block %d)%n",
            e.settlementId(), e.settledCalls(), e.licensee(), e.netWei(), e.txHash(), e.blockNumber());
        out().printf(Locale.ROOT, "  weight %.6f of %.6f (sum of 1/rank over %d retrieved row(s)):%n", e.weight(),
            e.totalWeight(), e.uses().size());
        for (Earnings.Use u : e.uses()) {
          out().printf(Locale.ROOT, "    query %s  rank %d  1/rank %.6f  record %s%n", u.queryId(), u.rank(),
              1.0 / u.rank(), u.recordCid());
        }
      }
      out().printf("Total %s wei from usage%n", total);
      // Where the money is: each epoch's payout root on chain, claimable with a proof from these rows.
      java.util.Map<String, io.ledgerlake.jobs.attribution.Payouts.Row> payouts =
          io.ledgerlake.jobs.attribution.Payouts.latest(lakehouse);
      for (String epoch : new java.util.TreeSet<>(all.stream().map(Earnings.Explained::epoch).toList())) {
        var p = payouts.get(epoch);
        if (p != null && p.status().equals(io.ledgerlake.jobs.attribution.Payouts.FINAL)) {
          out().printf("epoch %s paid out on chain: root %s (tx %s); claim with 'ledgerlake claim --epoch %s'%n",
              epoch, p.root(), p.txHash(), epoch);
        } else {
          out().printf("epoch %s not paid out on chain yet (shares provisional)%n", epoch);
        }
      }
      return 0;
    }
  }

  /** Shares of settled model calls: they follow the model's lineage and are claimable through the receipts. */
  private void printModelCalls(List<Earnings.FromModelCalls> models) {
    java.math.BigInteger total = java.math.BigInteger.ZERO;
    for (Earnings.FromModelCalls m : models) {
      total = total.add(m.amountWei());
      out().printf(Locale.ROOT, "epoch %s  model asset %s  %s wei (%s of %s asset %s version %d, %d bps of %s wei"
          + " %s)  model-receipts-v1%n", m.epoch(), m.modelAssetId(), m.amountWei(), m.role(),
          m.reason().equals("direct") ? "receipt on" : "royalty receipt on", m.assetId(), m.version(), m.bps(),
          m.creditWei(), m.reason().equals("direct") ? "credited to the model's version" : "of royalty");
      out().printf(Locale.ROOT, "  settlement %s: %d model call(s) by %s, tx %s; claim with 'ledgerlake claim'"
          + " (receipts)%n", m.settlementId(), m.settledCalls(), m.licensee(), m.txHash());
    }
    if (!models.isEmpty()) {
      out().printf("Total %s wei from model calls%n", total);
    }
  }
}
