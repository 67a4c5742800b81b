package io.ledgerlake.cli.chain;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.jobs.attribution.AttributionOptions;
import io.ledgerlake.jobs.attribution.Epoch;
import io.ledgerlake.jobs.attribution.Payouts;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.chain.UsagePayoutState;
import io.ledgerlake.provenance.merkle.UsagePayoutTree;
import io.ledgerlake.provenance.model.Addresses;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "claim",
    mixinStandardHelpOptions = true,
    description = {"Claim the revenue owed to this account's receipts (pull payment), or with --epoch E its usage",
        "payout of epoch E: the proof is computed from the lakehouse's shares and checked against the root on chain."})
public final class ClaimCommand extends LakehouseCommand {
  @Option(names = "--epoch", paramLabel = "E",
      description = "Claim the usage payout of this settlement epoch (e.g. 2025-01-31).")
  String epoch;

  @Option(names = "--address", paramLabel = "A",
      description = "With --epoch: the contributor to claim for (default: this account); the money goes to it.")
  String address;

  @Override
  public Integer call() {
    try (ProvenanceClient chain = ChainSettings.client(settings(), false)) {
      if (epoch != null) {
        return claimUsage(chain);
      }
      BigInteger owed = chain.claimable();
      var claimed = chain.claim();
      if (claimed.isEmpty()) {
        out().printf("Nothing to claim for %s.%n", chain.account());
      } else {
        out().printf("Claimed %s wei for %s (tx %s); owed before: %s wei%n", claimed.get().value(), chain.account(), claimed.get().tx().hash(), owed);
      }
    }
    return 0;
  }

  private int claimUsage(ProvenanceClient chain) {
    Epoch e = Epoch.parse(epoch, AttributionOptions.from(settings()).epochLength());
    String who;
    try {
      who = Addresses.normalize(address == null ? chain.account() : address);
    } catch (IllegalArgumentException ex) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "--address: %s", ex.getMessage());
    }
    // The epoch's own root, then its top-ups (settlements done after the root): a leaf in each that pays this account.
    List<UsagePayoutTree> trees = new ArrayList<>();
    try (Lakehouse lakehouse = openLakehouse()) {
      List<Payouts.Row> payouts = Payouts.committedWithTopUps(lakehouse, e.id());
      if (payouts.isEmpty()) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "epoch %s has no usage payout committed on chain yet:"
            + " it is committed by `ledgerlake attribution settle` once the epoch has ended and its settlements are"
            + " done", e.id());
      }
      for (Payouts.Row payout : payouts) {
        trees.add(Payouts.tree(lakehouse, payout));
      }
    }
    int owedIn = 0;
    int claimedNow = 0;
    for (UsagePayoutTree tree : trees) {
      var found = tree.leafOf(who);
      if (found.isEmpty()) {
        continue;
      }
      owedIn++;
      UsagePayoutTree.Leaf leaf = found.get();
      UsagePayoutState onChain = chain.usagePayout(tree.epoch());
      if (!onChain.rootHex().equals(tree.rootHex())) {
        throw new LakehouseException(ErrorCategory.INTERNAL, "the root of epoch %s (key %d) on chain is %s, the"
            + " lakehouse's shares give %s: nothing claimed; run ledgerlake reconcile", e.id(), tree.epoch(),
            onChain.rootHex(), tree.rootHex());
      }
      if (chain.usagePayoutClaimed(tree.epoch(), who)) {
        continue;
      }
      var claimed = chain.claimUsagePayout(leaf);
      claimedNow++;
      out().printf("Claimed %s wei for %s from the usage payout of epoch %s%s (tx %s, block %d)%n", claimed.value(),
          who, e.id(), tree.epoch() == e.start().getEpochSecond() ? ""
              : " (top-up " + (tree.epoch() - e.start().getEpochSecond()) + ")", claimed.tx().hash(),
          claimed.tx().blockNumber());
    }
    if (owedIn == 0) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "nothing is owed to %s in epoch %s: its payout pays"
          + " other contributors for the use of their records (see `ledgerlake earnings --address %s`)", who, e.id(),
          who);
    }
    if (claimedNow == 0) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%s has already claimed what epoch %s owes it: nothing"
          + " more is owed", who, e.id());
    }
    return 0;
  }
}
