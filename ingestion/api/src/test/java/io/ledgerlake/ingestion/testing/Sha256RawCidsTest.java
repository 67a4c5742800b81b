package io.ledgerlake.ingestion.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Sha256RawCidsTest {
  @Test
  void emptyInputGivesTheWellKnownRawCid() {
    // `ipfs add --raw-leaves --cid-version 1` of an empty file, a widely published value.
    assertThat(Sha256RawCids.cidOf(new byte[0]))
        .isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
  }
}
