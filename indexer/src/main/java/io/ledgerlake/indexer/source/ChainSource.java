package io.ledgerlake.indexer.source;

import io.ledgerlake.indexer.ChainSourceException;
import java.util.List;

/**
 * What the indexer reads from a node. The indexer core depends only on this interface, so tests can wrap a real
 * node to inject failures. Every method throws {@link ChainSourceException} when the node cannot answer.
 */
public interface ChainSource {
  /** The chain id the node serves. */
  long chainId();

  /** The number of the newest block. */
  long headBlockNumber();

  /** The header of canonical block {@code number}; fails if the node has no such block. */
  BlockHeader header(long number);

  /**
   * Logs emitted by {@code addresses} in blocks {@code from..to} (inclusive), in chain order. Fails with
   * {@link ChainSourceException#rangeTooLarge()} when the node refuses the range as too large.
   */
  List<RawLog> logs(long from, long to, List<String> addresses);

  /** Where the node is, for messages. */
  String describe();
}
