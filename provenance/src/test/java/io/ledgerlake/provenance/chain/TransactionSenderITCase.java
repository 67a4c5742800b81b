package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.TransactionNotMinedException;
import io.ledgerlake.provenance.TransactionOutcomeUnknownException;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import io.ledgerlake.provenance.testing.FaultyRpcProxy;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

class TransactionSenderITCase extends AnvilTestBase {
  private long nonceOf(String account) throws Exception {
    return Long.decode(CHAIN.rpc().call("eth_getTransactionCount", account, "latest").asText());
  }

  private long assetCount() throws Exception {
    // assetCount() selector
    String out = CHAIN.rpc().call("eth_call", java.util.Map.of("to", CHAIN.deployment().assetRegistry(),
        "data", "0x" + org.web3j.crypto.Hash.sha3String("assetCount()").substring(2, 10)), "latest").asText();
    return new BigInteger(out.substring(2), 16).longValueExact();
  }

  @Test
  void nodeGoingAwayAfterReceivingGivesOutcomeUnknownNotADuplicate() throws Exception {
    try (FaultyRpcProxy proxy = new FaultyRpcProxy(URI.create(CHAIN.rpcUrl()))) {
      ProvenanceOptions viaProxy = CHAIN.options().toBuilder().rpcUrl(proxy.url()).build();
      try (ProvenanceClient c = CHAIN.client(1, viaProxy)) {
        long nonceBefore = nonceOf(account(1));
        long assetsBefore = assetCount();
        proxy.failNextSend(FaultyRpcProxy.Fault.DROP_RESPONSE);

        TransactionOutcomeUnknownException unknown = org.junit.jupiter.api.Assertions.assertThrows(
            TransactionOutcomeUnknownException.class, () -> c.registerAsset(AssetKind.DATASET, 0, "m"));
        assertThat(unknown.pending().operation()).isEqualTo("AssetRegistry.registerAsset");
        assertThat(unknown.getMessage()).contains("Do not send it again");

        // a naive retry is refused instead of sending a second transaction
        assertThatThrownBy(() -> c.registerAsset(AssetKind.DATASET, 0, "m"))
            .isInstanceOf(TransactionOutcomeUnknownException.class);
        assertThat(c.unsettledTransaction()).contains(unknown.pending());
        // so is a retry from a fresh client (a new CLI process): the journal on disk remembers the transaction
        try (ProvenanceClient restarted = CHAIN.client(1, viaProxy)) {
          assertThat(restarted.unsettledTransaction()).contains(unknown.pending());
          assertThatThrownBy(() -> restarted.registerAsset(AssetKind.DATASET, 0, "m"))
              .isInstanceOf(TransactionOutcomeUnknownException.class);
        }

        assertThat(c.checkTransaction(unknown.pending())).isEqualTo(TransactionState.MINED_SUCCESS);
        assertThat(c.unsettledTransaction()).isEmpty();
        assertThat(java.nio.file.Files.list(viaProxy.journalDir())).isEmpty();
        assertThat(nonceOf(account(1))).isEqualTo(nonceBefore + 1);
        assertThat(assetCount()).isEqualTo(assetsBefore + 1);
        assertThat(proxy.sendsForwarded()).isEqualTo(1);
        // settled: the client works again
        assertThat(c.registerAsset(AssetKind.DATASET, 0, "m").value()).isEqualTo(assetsBefore + 2);
      }
    }
  }

  @Test
  void sendThatNeverArrivedIsRebroadcastWithTheSameBytes() throws Exception {
    try (FaultyRpcProxy proxy = new FaultyRpcProxy(URI.create(CHAIN.rpcUrl()))) {
      ProvenanceOptions viaProxy = CHAIN.options().toBuilder().rpcUrl(proxy.url()).build();
      try (ProvenanceClient c = CHAIN.client(1, viaProxy)) {
        long nonceBefore = nonceOf(account(1));
        proxy.failNextSend(FaultyRpcProxy.Fault.DROP_REQUEST);
        TransactionOutcomeUnknownException unknown = org.junit.jupiter.api.Assertions.assertThrows(
            TransactionOutcomeUnknownException.class, () -> c.registerAsset(AssetKind.DATASET, 0, "m"));
        assertThat(proxy.sendsForwarded()).isZero();
        assertThat(nonceOf(account(1))).isEqualTo(nonceBefore);

        assertThat(c.resume(unknown.pending()).hash()).isEqualTo(unknown.pending().hash());
        assertThat(nonceOf(account(1))).isEqualTo(nonceBefore + 1);
        assertThat(c.checkTransaction(unknown.pending())).isEqualTo(TransactionState.MINED_SUCCESS);
      }
    }
  }

  @Test
  void droppedTransactionIsDetected() throws Exception {
    ProvenanceClient c = client(1);
    CHAIN.call("evm_setAutomine", false);
    try {
      CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> c.registerAsset(AssetKind.DATASET, 0, "m"));
      String hash = awaitPendingHash();
      CHAIN.call("anvil_dropTransaction", hash);
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TransactionNotMinedException.class)
          .satisfies(e -> assertThat(((TransactionNotMinedException) e.getCause()).state())
              .isEqualTo(TransactionState.NOT_FOUND));
    } finally {
      CHAIN.call("evm_setAutomine", true);
    }
  }

  @Test
  void replacedTransactionIsDetected() throws Exception {
    ProvenanceClient c = client(1);
    CHAIN.call("evm_setAutomine", false);
    try {
      CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> c.registerAsset(AssetKind.DATASET, 0, "m"));
      String hash = awaitPendingHash();
      var tx = CHAIN.rpc().call("eth_getTransactionByHash", hash);
      BigInteger nonce = Numeric.decodeQuantity(tx.path("nonce").asText());
      BigInteger gasPrice = Numeric.decodeQuantity(tx.path("gasPrice").asText());
      // same nonce, plain transfer, higher fee: replaces it in the pool
      RawTransaction replacement = RawTransaction.createEtherTransaction(nonce, gasPrice.multiply(BigInteger.TWO),
          BigInteger.valueOf(21_000), account(9), BigInteger.ONE);
      String signed = Numeric.toHexString(
          TransactionEncoder.signMessage(replacement, CHAIN.options().chainId(), Credentials.create(CHAIN.key(1))));
      CHAIN.call("eth_sendRawTransaction", signed);
      CHAIN.call("evm_mine");
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TransactionNotMinedException.class)
          .satisfies(e -> assertThat(((TransactionNotMinedException) e.getCause()).state())
              .isEqualTo(TransactionState.REPLACED));
    } finally {
      CHAIN.call("evm_setAutomine", true);
    }
  }

  @Test
  void waitsForTheConfiguredConfirmations() throws Exception {
    ProvenanceOptions three = CHAIN.options().toBuilder().confirmations(3).build();
    try (ProvenanceClient c = CHAIN.client(1, three)) {
      CompletableFuture<Long> f =
          CompletableFuture.supplyAsync(() -> c.registerAsset(AssetKind.DATASET, 0, "m").tx().blockNumber());
      Thread.sleep(500);
      assertThat(f).isNotDone(); // mined (automine) but only 1 confirmation
      CHAIN.call("anvil_mine", 1);
      Thread.sleep(300);
      assertThat(f).isNotDone();
      CHAIN.call("anvil_mine", 1);
      long block = f.get(5, TimeUnit.SECONDS);
      long latest = Long.decode(CHAIN.rpc().call("eth_blockNumber").asText());
      assertThat(latest - block + 1).isEqualTo(3);
    }
  }

  private String awaitPendingHash() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      var pending = CHAIN.rpc().call("eth_getBlockByNumber", "pending", false).path("transactions");
      if (pending.size() > 0) {
        return pending.get(0).asText();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no pending transaction appeared");
  }
}
