package io.ledgerlake.provenance.chain;

import io.ledgerlake.provenance.ChainUnavailableException;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.TransactionNotMinedException;
import io.ledgerlake.provenance.TransactionOutcomeUnknownException;
import io.ledgerlake.provenance.TransactionRejectedException;
import io.ledgerlake.provenance.model.TxInfo;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends transactions from one account so that none is ever executed twice by accident.
 *
 * <ol>
 *   <li>Gas is estimated first: a call that would revert fails here, with its decoded reason, and nothing is sent.
 *   <li>The transaction is signed locally with an explicit nonce; its hash is known before the node sees it.
 *   <li>If the node does not answer the send, or stops answering while we wait, the outcome is unknown:
 *       {@link TransactionOutcomeUnknownException} carries the signed transaction, and this sender refuses any new
 *       transaction until {@link #check} or {@link #resume} has settled it (so a caller's naive retry cannot
 *       double-send).
 *   <li>While waiting it tells a transaction that was replaced (its nonce used by another) or dropped (unknown to
 *       the node for {@code dropped-after-ms}) from one that is merely slow, and waits for the configured number
 *       of confirmations, re-reading the receipt each time so a re-org is noticed.
 * </ol>
 */
public final class TransactionSender {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionSender.class);

  private final Web3j web3j;
  private final Credentials credentials;
  private final String from;
  private final long chainId;
  private final ProvenanceOptions options;
  private final RevertDecoder decoder;
  private final Object lock = new Object();
  private final PendingTransactionJournal journal;
  private PendingTransaction inDoubt;

  /** A confirmed successful transaction with its receipt (kept inside the module for event decoding). */
  public record Mined(TxInfo info, TransactionReceipt receipt) {}

  /**
   * @param journal where an unsettled transaction is remembered across processes, or null to keep it in memory
   *     only
   */
  public TransactionSender(
      Web3j web3j,
      Credentials credentials,
      ProvenanceOptions options,
      RevertDecoder decoder,
      PendingTransactionJournal journal) {
    this.web3j = web3j;
    this.credentials = credentials;
    this.from = credentials.getAddress().toLowerCase(Locale.ROOT);
    this.chainId = options.chainId();
    this.options = options;
    this.decoder = decoder;
    this.journal = journal;
    this.inDoubt = journal == null ? null : journal.load().orElse(null);
  }

  /** A sender that keeps an unsettled transaction in memory only. */
  public TransactionSender(Web3j web3j, Credentials credentials, ProvenanceOptions options, RevertDecoder decoder) {
    this(web3j, credentials, options, decoder, null);
  }

  /** The journal is the truth shared by every client of this account, in this process or another. */
  private void reloadJournal() {
    if (journal != null) {
      inDoubt = journal.load().orElse(null);
    }
  }

  private void markInDoubt(PendingTransaction p) {
    if (journal != null) {
      journal.record(p);
    }
    inDoubt = p;
  }

  private void settle() {
    if (journal != null) {
      journal.clear();
    }
    inDoubt = null;
  }

  public String from() {
    return from;
  }

  /** The transaction whose outcome is still unknown, if any. */
  public Optional<PendingTransaction> inDoubt() {
    synchronized (lock) {
      reloadJournal();
      return Optional.ofNullable(inDoubt);
    }
  }

  /**
   * Sends a transaction and waits for its confirmations.
   *
   * @param to contract address, or null to deploy {@code data} as init code
   */
  public Mined send(String contract, String operation, String to, String data, BigInteger value) {
    return send(contract, operation, to, data, value, p -> { });
  }

  /**
   * As {@link #send(String, String, String, String, BigInteger)}, and hands the signed transaction to
   * {@code beforeBroadcast} before the node sees it: a caller that must record the hash durably before the
   * transaction can execute (a settlement whose outcome must be found again after a crash, even once this sender's
   * journal is cleared) does it there. If {@code beforeBroadcast} throws, nothing is sent and nothing is in doubt.
   */
  public Mined send(String contract, String operation, String to, String data, BigInteger value,
      java.util.function.Consumer<PendingTransaction> beforeBroadcast) {
    synchronized (lock) {
      reloadJournal();
      if (inDoubt != null) {
        throw new TransactionOutcomeUnknownException(
            inDoubt, "it must be settled before " + contract + "." + operation + " can be sent", null);
      }
      String op = contract + "." + operation;
      BigInteger gasLimit = estimateGas(contract, operation, to, data, value);
      PendingTransaction pending = sign(op, to, data, value, gasLimit);
      beforeBroadcast.accept(pending);
      markInDoubt(pending); // from here on the node may have it
      broadcast(pending);
      Mined mined = awaitMined(pending, contract, operation, to, data, value);
      settle();
      LOG.info("{} mined in block {} ({} gas): {}", op, mined.info().blockNumber(), mined.info().gasUsed(),
          pending.hash());
      return mined;
    }
  }

  /** A read-only call at the latest block; a revert becomes a decoded {@code ContractRevertedException}. */
  public String call(String contract, String operation, String to, String data) {
    Transaction tx = Transaction.createEthCallTransaction(from, to, data);
    EthCall result;
    try {
      result = web3j.ethCall(tx, DefaultBlockParameterName.LATEST).send();
    } catch (IOException e) {
      throw unavailable("call " + contract + "." + operation, e);
    }
    if (result.hasError()) {
      Response.Error err = result.getError();
      throw decoder.decode(contract, operation, err.getData(), null, err.getMessage());
    }
    return result.getValue();
  }

  /** Asks the node, by hash and nonce, what became of a transaction; settles it when the answer is final. */
  public TransactionState check(PendingTransaction pending) {
    TransactionState state;
    try {
      state = stateOf(pending);
    } catch (IOException e) {
      throw unavailable("check " + pending, e);
    }
    synchronized (lock) {
      // NOT_FOUND is final too: its nonce is unused, so whatever is sent next takes that nonce and at most one of
      // the two can ever execute.
      if (state != TransactionState.PENDING && pending.equals(inDoubt)) {
        settle();
      }
    }
    LOG.info("{} is {}", pending, state);
    return state;
  }

  /**
   * Finishes a transaction whose outcome was unknown: waits for it if the node has it, rebroadcasts the very same
   * signed bytes if it does not (which can only ever execute once), and fails if it was replaced.
   */
  public Mined resume(PendingTransaction pending) {
    synchronized (lock) {
      reloadJournal();
      if (inDoubt != null && !inDoubt.equals(pending)) {
        throw new TransactionOutcomeUnknownException(inDoubt, "settle it before resuming another transaction", null);
      }
      markInDoubt(pending);
      TransactionState state;
      try {
        state = stateOf(pending);
      } catch (IOException e) {
        throw new TransactionOutcomeUnknownException(pending, "node unreachable while resuming: " + e, e);
      }
      if (state == TransactionState.REPLACED) {
        settle();
        throw new TransactionNotMinedException(pending, state);
      }
      if (state == TransactionState.NOT_FOUND) {
        LOG.info("Rebroadcasting {}", pending);
        broadcast(pending);
      }
      String[] parts = pending.operation().split("\\.", 2);
      Mined mined = awaitMined(pending, parts[0], parts.length > 1 ? parts[1] : "", null, null, null);
      settle();
      return mined;
    }
  }

  public BigInteger balanceOf(String address) {
    try {
      return rpc(web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST)).getBalance();
    } catch (IOException e) {
      throw unavailable("read balance of " + address, e);
    }
  }

  private BigInteger estimateGas(String contract, String operation, String to, String data, BigInteger value) {
    Transaction tx = to == null
        ? Transaction.createContractTransaction(from, null, null, null, value, data)
        : Transaction.createFunctionCallTransaction(from, null, null, null, to, value, data);
    EthEstimateGas est;
    try {
      est = web3j.ethEstimateGas(tx).send();
    } catch (IOException e) {
      throw unavailable("estimate gas for " + contract + "." + operation, e);
    }
    if (est.hasError()) {
      Response.Error err = est.getError();
      String msg = err.getMessage() == null ? "" : err.getMessage();
      if (!RevertDecoder.normalizeHex(err.getData()).isEmpty() || msg.toLowerCase(Locale.ROOT).contains("revert")) {
        throw decoder.decode(contract, operation, err.getData(), null, msg);
      }
      throw new TransactionRejectedException(
          "The node refused " + contract + "." + operation + " from " + from + ": " + msg + "; nothing was sent");
    }
    return est.getAmountUsed().multiply(BigInteger.valueOf(options.gasHeadroomPercent())).divide(BigInteger.valueOf(100));
  }

  private PendingTransaction sign(String op, String to, String data, BigInteger value, BigInteger gasLimit) {
    BigInteger nonce;
    BigInteger gasPrice;
    try {
      nonce = rpc(web3j.ethGetTransactionCount(from, DefaultBlockParameterName.PENDING)).getTransactionCount();
      gasPrice = rpc(web3j.ethGasPrice()).getGasPrice();
    } catch (IOException e) {
      throw unavailable("prepare " + op, e);
    }
    RawTransaction raw = to == null
        ? RawTransaction.createContractTransaction(nonce, gasPrice, gasLimit, value, data)
        : RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, value, data);
    String signed = Numeric.toHexString(TransactionEncoder.signMessage(raw, chainId, credentials));
    return new PendingTransaction(from, nonce, Hash.sha3(signed), signed, op);
  }

  private void broadcast(PendingTransaction pending) {
    EthSendTransaction sent;
    try {
      sent = web3j.ethSendRawTransaction(pending.signedRawTransaction()).send();
    } catch (IOException e) {
      throw new TransactionOutcomeUnknownException(pending, "the node did not answer the send (" + e + ")", e);
    }
    if (!sent.hasError()) {
      return;
    }
    String msg = String.valueOf(sent.getError().getMessage());
    String lower = msg.toLowerCase(Locale.ROOT);
    if (lower.contains("already known") || lower.contains("known transaction")) {
      return; // an earlier broadcast of the same bytes arrived
    }
    TransactionState state;
    try {
      state = stateOf(pending);
    } catch (IOException e) {
      throw new TransactionOutcomeUnknownException(pending, "send refused (" + msg + ") and node unreachable", e);
    }
    if (state == TransactionState.MINED_SUCCESS || state == TransactionState.MINED_REVERTED
        || state == TransactionState.PENDING) {
      return; // e.g. "nonce too low" because this very transaction was mined already
    }
    settle();
    throw new TransactionRejectedException(
        "The node refused " + pending + ": " + msg + "; nothing was executed");
  }

  private Mined awaitMined(
      PendingTransaction p, String contract, String operation, String to, String data, BigInteger value) {
    Instant deadline = Instant.now().plus(options.receiptTimeout());
    Instant unknownSince = null;
    IOException lastError = null;
    while (true) {
      if (Instant.now().isAfter(deadline)) {
        throw new TransactionOutcomeUnknownException(
            p, "no confirmed receipt within " + options.receiptTimeout().toMillis() + " ms"
                + (lastError == null ? "" : " (last error: " + lastError + ")"), lastError);
      }
      try {
        Optional<TransactionReceipt> receipt = receiptOf(p.hash());
        if (receipt.isPresent()) {
          TransactionReceipt r = receipt.get();
          BigInteger latest = rpc(web3j.ethBlockNumber()).getBlockNumber();
          long confirmations = latest.subtract(r.getBlockNumber()).longValueExact() + 1;
          if (confirmations >= options.confirmations()) {
            TxInfo info = new TxInfo(p.hash(), r.getBlockNumber().longValueExact(), r.getGasUsed().longValueExact());
            if (!r.isStatusOK()) {
              throw revertedOnChain(p, contract, operation, to, data, value, r);
            }
            return new Mined(info, r);
          }
          unknownSince = null;
        } else if (rpc(web3j.ethGetTransactionByHash(p.hash())).getTransaction().isPresent()) {
          unknownSince = null; // in the pool: just slow
        } else {
          BigInteger used = rpc(web3j.ethGetTransactionCount(p.from(), DefaultBlockParameterName.LATEST))
              .getTransactionCount();
          if (used.compareTo(p.nonce()) > 0 && receiptOf(p.hash()).isEmpty()) {
            settle();
            throw new TransactionNotMinedException(p, TransactionState.REPLACED);
          }
          if (unknownSince == null) {
            unknownSince = Instant.now();
          } else if (Duration.between(unknownSince, Instant.now()).compareTo(options.droppedAfter()) > 0) {
            settle();
            throw new TransactionNotMinedException(p, TransactionState.NOT_FOUND);
          }
        }
        lastError = null;
      } catch (IOException e) {
        lastError = e; // keep polling until the deadline: a short outage is not an unknown outcome yet
      }
      sleep(options.pollInterval());
    }
  }

  private RuntimeException revertedOnChain(
      PendingTransaction p, String contract, String operation, String to, String data, BigInteger value,
      TransactionReceipt r) {
    settle();
    String revertData = null;
    String message = "reverted on chain, gas used " + r.getGasUsed();
    if (to != null && data != null) {
      // Replay on the state before the block to recover the reason (best effort: the block may have changed it).
      try {
        EthCall replay = web3j.ethCall(
            Transaction.createFunctionCallTransaction(from, null, null, null, to, value, data),
            DefaultBlockParameter.valueOf(r.getBlockNumber().subtract(BigInteger.ONE))).send();
        if (replay.hasError()) {
          revertData = replay.getError().getData();
          message = replay.getError().getMessage();
        }
      } catch (IOException e) {
        LOG.debug("Could not replay {} to read its revert reason", p, e);
      }
    }
    return decoder.decode(contract, operation, revertData, p.hash(), message);
  }

  private TransactionState stateOf(PendingTransaction p) throws IOException {
    Optional<TransactionReceipt> receipt = receiptOf(p.hash());
    if (receipt.isPresent()) {
      return receipt.get().isStatusOK() ? TransactionState.MINED_SUCCESS : TransactionState.MINED_REVERTED;
    }
    if (rpc(web3j.ethGetTransactionByHash(p.hash())).getTransaction().isPresent()) {
      return TransactionState.PENDING;
    }
    BigInteger used = rpc(web3j.ethGetTransactionCount(p.from(), DefaultBlockParameterName.LATEST))
        .getTransactionCount();
    if (used.compareTo(p.nonce()) > 0) {
      // Mined between the two reads, or replaced.
      return receiptOf(p.hash()).isPresent() ? stateOf(p) : TransactionState.REPLACED;
    }
    return TransactionState.NOT_FOUND;
  }

  private Optional<TransactionReceipt> receiptOf(String hash) throws IOException {
    return rpc(web3j.ethGetTransactionReceipt(hash)).getTransactionReceipt();
  }

  /** Sends a request; an RPC-level error is reported as an IOException (the node is not behaving). */
  static <R extends Response<?>> R rpc(Request<?, R> request) throws IOException {
    R r = request.send();
    if (r.hasError()) {
      throw new IOException("RPC " + request.getMethod() + " failed: " + r.getError().getMessage());
    }
    return r;
  }

  private ChainUnavailableException unavailable(String what, IOException e) {
    return new ChainUnavailableException(
        "Could not " + what + " at " + options.rpcUrl() + ": " + e.getMessage()
            + ". Nothing was sent; check that the node is running (ledgerlake chain status) and retry", e);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a transaction", e);
    }
  }
}
