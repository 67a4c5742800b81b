package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.provenance.ContractRevertedException;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

class RevertDecoderTest {
  private final RevertDecoder decoder = RevertDecoder.forProvenanceContracts();

  private static String word(long v) {
    return String.format("%064x", v);
  }

  @Test
  void decodesCustomErrorsWithArguments() {
    String data = "0x" + Hash.sha3String("SharesMustSum10000(uint256)").substring(2, 10) + word(9_999);
    ContractRevertedException e = decoder.decode("Receipts", "recordReceipts", "\"" + data + "\"", null, "x");
    assertThat(e.errorName()).isEqualTo("SharesMustSum10000");
    assertThat(e.arguments()).containsExactly("sumBps=9999");
    assertThat(e.getMessage()).isEqualTo("Receipts rejected recordReceipts: SharesMustSum10000(sumBps=9999) "
        + "(nothing was sent). The shares of a version must sum to exactly 10000 basis points");
  }

  @Test
  void decodesAddressesAndTransactionHash() {
    String data = Hash.sha3String("NotOwner(address)").substring(0, 10) + "000000000000000000000000" + "ab".repeat(20);
    ContractRevertedException e = decoder.decode("Revenue", "pause", data, "0xfeed", null);
    assertThat(e.arguments()).containsExactly("caller=0x" + "ab".repeat(20));
    assertThat(e.transactionHash()).contains("0xfeed");
    assertThat(e.getMessage()).contains("(transaction 0xfeed reverted)");
  }

  @Test
  void decodesErrorStringPanicAndUnknown() {
    String reason = "re-entry blocked";
    String hex = java.util.HexFormat.of().formatHex(reason.getBytes());
    String data = "0x08c379a0" + word(32) + word(reason.length()) + String.format("%-64s", hex).replace(' ', '0');
    assertThat(decoder.decode("X", "f", data, null, null).arguments()).containsExactly(reason);
    assertThat(decoder.decode("X", "f", "0x4e487b71" + word(0x11), null, null).arguments())
        .containsExactly("0x11 arithmetic overflow or underflow");
    assertThat(decoder.decode("X", "f", "0xdeadbeef", null, "node said no").errorName()).isEqualTo("UnknownError");
    assertThat(decoder.decode("X", "f", null, null, "execution reverted").arguments())
        .containsExactly("execution reverted");
  }
}
