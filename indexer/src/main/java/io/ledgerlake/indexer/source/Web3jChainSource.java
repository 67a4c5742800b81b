package io.ledgerlake.indexer.source;

import io.ledgerlake.indexer.ChainSourceException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/** A {@link ChainSource} over JSON-RPC with web3j. */
public final class Web3jChainSource implements ChainSource, AutoCloseable {
  private final Web3j web3j;
  private final URI rpcUrl;

  private Web3jChainSource(Web3j web3j, URI rpcUrl) {
    this.web3j = web3j;
    this.rpcUrl = rpcUrl;
  }

  public static Web3jChainSource connect(URI rpcUrl, Duration timeout) {
    OkHttpClient http = new OkHttpClient.Builder()
        .callTimeout(timeout)
        .readTimeout(timeout)
        .build();
    return new Web3jChainSource(Web3j.build(new HttpService(rpcUrl.toString(), http)), rpcUrl);
  }

  @Override
  public long chainId() {
    return checked("eth_chainId", () -> web3j.ethChainId().send()).getChainId().longValueExact();
  }

  @Override
  public long headBlockNumber() {
    return checked("eth_blockNumber", () -> web3j.ethBlockNumber().send()).getBlockNumber().longValueExact();
  }

  @Override
  public BlockHeader header(long number) {
    EthBlock.Block b = checked("eth_getBlockByNumber(" + number + ")", () -> web3j.ethGetBlockByNumber(
        DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false).send()).getBlock();
    if (b == null) {
      throw new ChainSourceException("the node at " + rpcUrl + " has no block " + number
          + " (it was reset or pruned); check ledgerlake.provenance.rpc-url", false, null);
    }
    return new BlockHeader(b.getNumber().longValueExact(), b.getHash(), b.getParentHash(),
        Instant.ofEpochSecond(b.getTimestamp().longValueExact()));
  }

  @Override
  public List<RawLog> logs(long from, long to, List<String> addresses) {
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
        DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), addresses);
    EthLog response = checked("eth_getLogs(" + from + ".." + to + ")", () -> web3j.ethGetLogs(filter).send());
    List<RawLog> out = new ArrayList<>(response.getLogs().size());
    for (EthLog.LogResult<?> r : response.getLogs()) {
      Log l = (Log) r.get();
      if (l.isRemoved()) {
        continue; // only filters report removed logs; kept for nodes that set the flag anyway
      }
      out.add(new RawLog(l.getBlockNumber().longValueExact(), l.getBlockHash(), l.getTransactionHash(),
          l.getLogIndex().intValueExact(), l.getAddress(), l.getTopics(), l.getData()));
    }
    return out;
  }

  @Override
  public String describe() {
    return rpcUrl.toString();
  }

  @Override
  public void close() {
    web3j.shutdown();
  }

  private interface Call<T> {
    T send() throws IOException;
  }

  private <T extends Response<?>> T checked(String what, Call<T> call) {
    T r;
    try {
      r = call.send();
    } catch (SocketTimeoutException e) {
      throw new ChainSourceException(what + " timed out at " + rpcUrl, true, e);
    } catch (IOException e) {
      throw new ChainSourceException(what + " failed at " + rpcUrl + ": " + e.getMessage()
          + "; is the node running?", false, e);
    } catch (RuntimeException e) {
      // web3j wraps transport failures (e.g. connection refused) in unchecked exceptions too
      throw new ChainSourceException(what + " failed at " + rpcUrl + ": " + e.getMessage(), false, e);
    }
    if (r.hasError()) {
      String msg = r.getError().getMessage();
      throw new ChainSourceException(what + " was refused by " + rpcUrl + ": " + msg, isRangeError(msg), null);
    }
    return r;
  }

  /** The wordings public nodes and clients use when a log query is too large (geth, erigon, anvil, providers). */
  static boolean isRangeError(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return m.contains("too many") || m.contains("range") || m.contains("limit exceeded")
        || m.contains("timeout") || m.contains("timed out") || m.contains("response size") || m.contains("10000");
  }
}
