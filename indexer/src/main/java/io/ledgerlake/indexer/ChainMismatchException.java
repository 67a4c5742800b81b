package io.ledgerlake.indexer;

import io.ledgerlake.common.ErrorCategory;

/** The node serves another chain than the one the lakehouse's chain tables were indexed from. */
public final class ChainMismatchException extends IndexerException {
  public ChainMismatchException(long indexedChainId, long nodeChainId, String rpc) {
    super(ErrorCategory.USER_ERROR, "chain.events was indexed from chain " + indexedChainId + " but the node at " + rpc
        + " serves chain " + nodeChainId + "; point ledgerlake.provenance.rpc-url at a node of chain "
        + indexedChainId + ", or use another lakehouse data directory for chain " + nodeChainId, null);
  }
}
