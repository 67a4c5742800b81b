package io.ledgerlake.provenance.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.provenance.ProvenanceConfigException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Remembers, on disk, the one transaction of an account whose outcome is not settled yet, so that a new process
 * (every CLI command is one) also refuses to send before it has been checked. Written before the transaction is
 * handed to the node, deleted when its outcome is known. Format version 1:
 *
 * <pre>
 * {"formatVersion":1,"from":"0x..","nonce":"7","hash":"0x..","signedRawTransaction":"0x..","operation":"A.b"}
 * </pre>
 */
public final class PendingTransactionJournal {
  public static final int FORMAT_VERSION = 1;
  private final Path file;

  public PendingTransactionJournal(Path file) {
    this.file = file;
  }

  /** The journal of one account on one chain under {@code dir}. */
  public static PendingTransactionJournal forAccount(Path dir, long chainId, String from) {
    return new PendingTransactionJournal(dir.resolve(chainId + "-" + from.toLowerCase() + ".json"));
  }

  public Path file() {
    return file;
  }

  public Optional<PendingTransaction> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(Files.readString(file)));
    } catch (IOException e) {
      throw new ProvenanceConfigException("Cannot read pending transaction journal " + file + ": " + e.getMessage(), e);
    }
  }

  public void record(PendingTransaction p) {
    try {
      // Durable before the caller sends: file and directory fsynced, or a crash right after the send could lose
      // the very record that prevents a second send.
      io.ledgerlake.common.AtomicFiles.write(file, toJson(p).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      // Refuse to send what we could not record: an unrecorded send could be repeated by the next process.
      throw new ProvenanceConfigException("Cannot write pending transaction journal " + file + ": "
          + e.getMessage() + "; nothing was sent", e);
    }
  }

  public void clear() {
    try {
      if (Files.deleteIfExists(file)) {
        io.ledgerlake.common.AtomicFiles.syncDirectory(file.toAbsolutePath().getParent());
      }
    } catch (IOException e) {
      throw new ProvenanceConfigException("Cannot delete pending transaction journal " + file + ": " + e.getMessage()
          + ". Its transaction is settled; delete the file by hand", e);
    }
  }

  static String toJson(PendingTransaction p) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("formatVersion", FORMAT_VERSION);
    n.put("from", p.from());
    n.put("nonce", p.nonce().toString());
    n.put("hash", p.hash());
    n.put("signedRawTransaction", p.signedRawTransaction());
    n.put("operation", p.operation());
    return n.toPrettyString() + "\n";
  }

  static PendingTransaction fromJson(String text) throws IOException {
    JsonNode n = new ObjectMapper().readTree(text);
    int version = n.path("formatVersion").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new ProvenanceConfigException("Pending transaction journal format version " + version
          + " is not supported (this build reads " + FORMAT_VERSION + ")");
    }
    return new PendingTransaction(n.path("from").asText(), new BigInteger(n.path("nonce").asText()),
        n.path("hash").asText(), n.path("signedRawTransaction").asText(), n.path("operation").asText());
  }
}
