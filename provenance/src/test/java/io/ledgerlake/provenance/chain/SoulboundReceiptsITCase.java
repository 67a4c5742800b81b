package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.contracts.Receipts;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptShare;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/** Receipts are ERC-721 tokens that can never move (ERC-5192 "locked"). */
class SoulboundReceiptsITCase extends AnvilTestBase {
  private final Web3j web3j = ProvenanceClient.openRpc(CHAIN.options());
  private final TransactionSender holder = new TransactionSender(web3j, Credentials.create(CHAIN.key(2)),
      CHAIN.options(), RevertDecoder.forProvenanceContracts());
  private final Receipts receipts = Receipts.load(CHAIN.deployment().receipts(), web3j,
      new ReadonlyTransactionManager(web3j, holder.from()), new DefaultGasProvider());

  @AfterEach
  void closeRpc() {
    web3j.shutdown();
  }

  private Object view(RemoteFunctionCall<?> fn) {
    return fn.decodeFunctionResponse(holder.call("Receipts", "view", CHAIN.deployment().receipts(),
        fn.encodeFunctionCall())).get(0).getValue();
  }

  @Test
  void receiptsAreLockedAndCannotBeTransferred() {
    ProvenanceClient owner = client(1);
    long a = owner.registerAsset(AssetKind.DATASET, 0, "m").value();
    long v = owner.registerVersion(a, ContentCommitment.ofCidText("v"), List.of()).value();
    BigInteger token = BigInteger.valueOf(owner.recordReceipts(v, List.of(
        new ReceiptShare(account(2), ContributorRole.DATA_PROVIDER, 10_000))).value().get(0));

    assertThat(view(receipts.supportsInterface(HexFormat.of().parseHex("b45a3c0e")))).isEqualTo(true); // ERC-5192
    assertThat(view(receipts.supportsInterface(HexFormat.of().parseHex("80ac58cd")))).isEqualTo(true); // ERC-721
    assertThat(view(receipts.locked(token))).isEqualTo(true);
    assertThat(view(receipts.ownerOf(token))).isEqualTo(account(2));
    assertThat(view(receipts.balanceOf(account(2)))).isEqualTo(BigInteger.ONE);

    String transfer = org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("transferFrom",
        List.of(new org.web3j.abi.datatypes.Address(account(2)), new org.web3j.abi.datatypes.Address(account(3)),
            new org.web3j.abi.datatypes.generated.Uint256(token)), List.of()));
    assertThatThrownBy(() -> holder.send("Receipts", "transferFrom", CHAIN.deployment().receipts(), transfer,
        BigInteger.ZERO)).hasMessageContaining("Soulbound(tokenId=" + token + ")");
    assertThat(view(receipts.ownerOf(token))).isEqualTo(account(2));
  }
}
