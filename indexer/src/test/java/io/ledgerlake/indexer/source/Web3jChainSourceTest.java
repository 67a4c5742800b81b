package io.ledgerlake.indexer.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Web3jChainSourceTest {
  @Test
  void recognisesTheWaysNodesRefuseLargeLogRanges() {
    assertThat(Web3jChainSource.isRangeError("query returned more than 10000 results")).isTrue();
    assertThat(Web3jChainSource.isRangeError("Log response size exceeded.")).isTrue();
    assertThat(Web3jChainSource.isRangeError("block range is too large")).isTrue();
    assertThat(Web3jChainSource.isRangeError("request timed out")).isTrue();
    assertThat(Web3jChainSource.isRangeError("invalid params: unknown block")).isFalse();
    assertThat(Web3jChainSource.isRangeError(null)).isFalse();
  }
}
