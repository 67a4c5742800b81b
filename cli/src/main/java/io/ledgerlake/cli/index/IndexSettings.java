package io.ledgerlake.cli.index;

import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.indexer.Indexer;
import io.ledgerlake.indexer.IndexerOptions;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.local.LocalChain;
import java.nio.file.Files;

/**
 * Indexer options with the CLI's precedence, and the indexer for the configured chain: the node at
 * {@code ledgerlake.provenance.rpc-url} when one is set, else the local anvil chain of the data
 * directory ({@code ledgerlake chain up}).
 */
public final class IndexSettings {

  private IndexSettings() {}

  public static IndexerOptions options(Settings settings) {
    return IndexerOptions.from(settings);
  }

  /** Provenance options pointing at the chain to index; a missing chain is a user error. */
  public static ProvenanceOptions chain(Settings settings) {
    ProvenanceOptions options = ChainSettings.options(settings);
    if (!ChainSettings.external(settings)) {
      LocalChain.Running running =
          LocalChain.running(options)
              .orElseThrow(
                  () ->
                      new LakehouseException(
                          ErrorCategory.USER_ERROR,
                          "no chain to index: start the local one with 'ledgerlake chain up', or set %s to an EVM node",
                          ProvenanceOptions.RPC_URL));
      options = LocalChain.clientOptions(options, running);
    }
    if (!Files.exists(options.deploymentFile())) {
      throw new LakehouseException(
          ErrorCategory.USER_ERROR,
          "no deployment file at %s: deploy the contracts ('ledgerlake chain up' does) or set %s",
          options.deploymentFile(),
          ProvenanceOptions.DEPLOYMENT_FILE);
    }
    return options;
  }

  /**
   * The chain indexer for {@code up}: following the configured chain, or off with the reason when there is none
   * (no external node and the local one is not up, or no deployment file).
   */
  public static io.ledgerlake.platform.PlatformService follower(io.ledgerlake.lakehouse.LakehouseOptions lakehouse, Settings settings) {
    ProvenanceOptions chain;
    try {
      chain = chain(settings);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(IndexSettings.class).info("Chain indexer not started: {}", e.getMessage());
      return io.ledgerlake.platform.PlatformService.off("Chain indexer",
          "no chain: 'ledgerlake chain up', then restart");
    }
    return io.ledgerlake.platform.IndexFollower.start(lakehouse, chain, options(settings));
  }

  /** An indexer for the configured chain; closing it closes the node connection. */
  public static Indexer connect(Lakehouse lakehouse, Settings settings) {
    return Indexer.connect(lakehouse, chain(settings), options(settings));
  }
}
