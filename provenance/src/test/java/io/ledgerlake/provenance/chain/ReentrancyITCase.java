package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.ContractRevertedException;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptShare;
import io.ledgerlake.provenance.testcontracts.ReentrantClaimer;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/** A malicious receipt holder (a contract) whose receive() re-enters Revenue.claimReceipts while being paid. */
class ReentrancyITCase extends AnvilTestBase {
  private final Web3j web3j = ProvenanceClient.openRpc(CHAIN.options());
  private final TransactionSender attackerEoa = new TransactionSender(web3j, Credentials.create(CHAIN.key(8)),
      CHAIN.options(), RevertDecoder.forProvenanceContracts()
          .addAll("io/ledgerlake/provenance/testcontracts", List.of("ReentrantClaimer")));

  @AfterEach
  void closeRpc() {
    web3j.shutdown();
  }

  private ReentrantClaimer deployAttacker(boolean strict) {
    String data = "0x" + ReentrantClaimer.BINARY + FunctionEncoder.encodeConstructor(
        List.<Type>of(new Address(CHAIN.deployment().revenue()), new Bool(strict)));
    String address = attackerEoa.send("ReentrantClaimer", "deploy", null, data, BigInteger.ZERO)
        .receipt().getContractAddress();
    return ReentrantClaimer.load(address, web3j, new ReadonlyTransactionManager(web3j, attackerEoa.from()),
        new DefaultGasProvider());
  }

  /** Publishes a version where the attacker holds 40% and account 2 60%, and pays 1,000,003 wei for it. */
  private long fundedTokenOf(ReentrantClaimer attacker) {
    ProvenanceClient owner = client(1);
    long a = owner.registerAsset(AssetKind.DATASET, 0, "m").value();
    PublishedVersion v = owner.publishVersion(a, ContentCommitment.ofCidText("v"), List.of(), List.of(
        new ReceiptShare(attacker.getContractAddress(), ContributorRole.DATA_PROVIDER, 4_000),
        new ReceiptShare(account(2), ContributorRole.DATA_PROVIDER, 6_000)));
    client(5).pay(a, BigInteger.valueOf(1_000_003));
    return v.tokenIds().get(0);
  }

  private Object read(ReentrantClaimer c, RemoteFunctionCall<?> fn) {
    return fn.decodeFunctionResponse(
        attackerEoa.call("ReentrantClaimer", "view", c.getContractAddress(), fn.encodeFunctionCall()))
        .get(0).getValue();
  }

  @Test
  void reentryIsBlockedAndTheAttackerIsPaidOnce() {
    ReentrantClaimer attacker = deployAttacker(false);
    long token = fundedTokenOf(attacker);
    BigInteger owed = client(1).owedToToken(token);
    assertThat(owed).isEqualTo(BigInteger.valueOf(400_001)); // floor(1,000,003 * 4000 / 10000)

    attackerEoa.send("ReentrantClaimer", "attack", attacker.getContractAddress(),
        attacker.attack(List.of(BigInteger.valueOf(token))).encodeFunctionCall(), BigInteger.ZERO);

    assertThat(read(attacker, attacker.reentryAttempted())).isEqualTo(true);
    assertThat(read(attacker, attacker.reentrySucceeded())).isEqualTo(false);
    String selector = Hash.sha3String("ReentrantCall()").substring(2, 10);
    assertThat(HexFormat.of().formatHex((byte[]) read(attacker, attacker.reentryError()))).isEqualTo(selector);
    assertThat(read(attacker, attacker.timesPaid())).isEqualTo(BigInteger.ONE);
    assertThat(client(1).balanceOf(attacker.getContractAddress())).isEqualTo(owed);
    assertThat(client(1).owedToToken(token)).isZero();
    // the honest contributor's money is intact
    assertThat(client(2).claim().orElseThrow().value()).isEqualTo(BigInteger.valueOf(600_002));
  }

  @Test
  void anAttackerThatInsistsOnReentryGetsNothing() {
    ReentrantClaimer attacker = deployAttacker(true);
    long token = fundedTokenOf(attacker);
    BigInteger owed = client(1).owedToToken(token);
    assertThatThrownBy(() -> attackerEoa.send("ReentrantClaimer", "attack", attacker.getContractAddress(),
        attacker.attack(List.of(BigInteger.valueOf(token))).encodeFunctionCall(), BigInteger.ZERO))
        .isInstanceOfSatisfying(ContractRevertedException.class,
            e -> assertThat(e.errorName()).isEqualTo("TransferFailed"));
    assertThat(client(1).balanceOf(attacker.getContractAddress())).isZero();
    assertThat(client(1).owedToToken(token)).isEqualTo(owed); // still owed, nothing lost
  }
}
