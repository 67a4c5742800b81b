package io.ledgerlake.cli.chain;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import java.math.BigInteger;
import picocli.CommandLine.Command;

@Command(
    name = "claim",
    mixinStandardHelpOptions = true,
    description = "Claim the revenue owed to this account's receipts (pull payment).")
public final class ClaimCommand extends LakehouseCommand {
  @Override
  public Integer call() {
    try (ProvenanceClient chain = ChainSettings.client(settings(), false)) {
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
}
