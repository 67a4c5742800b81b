package io.ledgerlake.provenance.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.provenance.ContractRevertedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Hash;

/**
 * Turns revert data into a {@link ContractRevertedException}: custom errors of our contracts (selectors read
 * from the full ABIs the build puts on the classpath), {@code Error(string)} and {@code Panic(uint256)}.
 */
public final class RevertDecoder {
  private static final String ERROR_STRING = "08c379a0";
  private static final String PANIC = "4e487b71";
  private static final Map<String, String> HINTS = Map.ofEntries(
      Map.entry("NotOwner", "Administration needs the key of the contract owner"),
      Map.entry("NotAssetOwner", "Only the asset's owner may do this: use the owner's key"),
      Map.entry("NotVersionOwner", "Only the owner of the version's asset may record its receipts"),
      Map.entry("SharesMustSum10000", "The shares of a version must sum to exactly 10000 basis points"),
      Map.entry("ContractPaused", "The contract is paused by its owner; try again after it is unpaused"),
      Map.entry("LicenseNotOffered", "The asset owner has not offered this license kind (setTerms)"),
      Map.entry("WrongPayment", "Pay exactly the price in the asset's license terms"),
      Map.entry("NotMeter", "API usage can only be settled by the asset's metering address (setMeter)"),
      Map.entry("InsufficientApiBalance", "Deposit more to the prepaid API balance"),
      Map.entry("NothingToClaim", "Nothing is owed to this account yet"),
      Map.entry("ReentrantCall", "A contract tried to call back into the contract while it was being paid"),
      Map.entry("RoyaltyStackTooHigh", "The ancestors' royalties exceed the cap; derive from fewer assets"),
      Map.entry("ReceiptsAlreadyRecorded", "A version's receipts can be recorded only once"));

  private final Map<String, ErrorDef> bySelector = new HashMap<>();

  private record ErrorDef(String contract, String name, List<String> names, List<String> types) {}

  /** Reads the ABIs of the given contracts from {@code <resourceDir>/<Name>.full.abi.json}. */
  public RevertDecoder(String resourceDir, List<String> contracts) {
    addAll(resourceDir, contracts);
  }

  /** The four provenance contracts. */
  public static RevertDecoder forProvenanceContracts() {
    return new RevertDecoder(
        "io/ledgerlake/provenance/contracts", List.of("AssetRegistry", "Receipts", "Revenue", "Licensing"));
  }

  /** Adds more contracts (e.g. test contracts) to decode. */
  public RevertDecoder addAll(String resourceDir, List<String> contracts) {
    ObjectMapper json = new ObjectMapper();
    for (String c : contracts) {
      String path = resourceDir + "/" + c + ".full.abi.json";
      try (InputStream in = RevertDecoder.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("ABI resource " + path + " is missing: the build did not compile contract " + c);
        }
        for (JsonNode entry : json.readTree(in)) {
          if (!"error".equals(entry.path("type").asText())) {
            continue;
          }
          List<String> names = new ArrayList<>();
          List<String> types = new ArrayList<>();
          for (JsonNode input : entry.path("inputs")) {
            names.add(input.path("name").asText());
            types.add(input.path("type").asText());
          }
          String signature = entry.path("name").asText() + "(" + String.join(",", types) + ")";
          String selector = Hash.sha3String(signature).substring(2, 10);
          ErrorDef def = new ErrorDef(c, entry.path("name").asText(), names, types);
          // Inherited errors appear in several ABIs: keep each contract's own view, plus a first-seen fallback
          // for errors bubbling up from a contract that was called in turn.
          bySelector.put(c + ":" + selector, def);
          bySelector.putIfAbsent(selector, def);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read ABI resource " + path, e);
      }
    }
    return this;
  }

  /**
   * Decodes revert data (0x-hex, may be empty) of a call to {@code contract.operation}.
   *
   * @param txHash the mined transaction, or null when the revert was seen before sending
   * @param fallbackMessage the node's message, used when the data cannot be decoded
   */
  public ContractRevertedException decode(
      String contract, String operation, String data, String txHash, String fallbackMessage) {
    String hex = normalizeHex(data);
    if (hex.length() < 8) {
      String reason = fallbackMessage == null || fallbackMessage.isBlank() ? "no revert data" : fallbackMessage;
      return new ContractRevertedException(contract, operation, "Revert", List.of(reason), txHash, null);
    }
    String selector = hex.substring(0, 8).toLowerCase();
    byte[] body = HexFormat.of().parseHex(hex.substring(8));
    if (selector.equals(ERROR_STRING)) {
      return new ContractRevertedException(contract, operation, "Error", List.of(decodeString(body, 0)), txHash, null);
    }
    if (selector.equals(PANIC)) {
      BigInteger code = word(body, 0);
      return new ContractRevertedException(
          contract, operation, "Panic", List.of("0x" + code.toString(16) + " " + panicText(code)), txHash,
          "This is a bug in the contract or its caller");
    }
    ErrorDef def = bySelector.getOrDefault(contract + ":" + selector, bySelector.get(selector));
    if (def == null) {
      return new ContractRevertedException(
          contract, operation, "UnknownError", List.of("0x" + hex), txHash, fallbackMessage);
    }
    List<String> args = new ArrayList<>();
    for (int i = 0; i < def.types().size(); i++) {
      String name = def.names().get(i);
      args.add((name.isEmpty() ? "" : name + "=") + decodeStatic(def.types().get(i), body, i));
    }
    return new ContractRevertedException(
        def.contract().equals(contract) ? contract : contract + " (via " + def.contract() + ")",
        operation, def.name(), args, txHash, HINTS.get(def.name()));
  }

  /** web3j hands over the JSON "data" field as raw JSON text, i.e. possibly with quotes around the hex. */
  static String normalizeHex(String data) {
    if (data == null) {
      return "";
    }
    String d = data.trim();
    if (d.length() >= 2 && d.startsWith("\"") && d.endsWith("\"")) {
      d = d.substring(1, d.length() - 1);
    }
    if (d.startsWith("0x") || d.startsWith("0X")) {
      d = d.substring(2);
    }
    return d.matches("[0-9a-fA-F]*") && d.length() % 2 == 0 ? d : "";
  }

  private static String decodeStatic(String type, byte[] body, int slot) {
    BigInteger w = word(body, slot);
    if (type.equals("address")) {
      return "0x" + String.format("%40s", w.toString(16)).replace(' ', '0');
    }
    if (type.equals("bool")) {
      return Boolean.toString(w.signum() != 0);
    }
    if (type.startsWith("bytes")) {
      return "0x" + String.format("%64s", w.toString(16)).replace(' ', '0');
    }
    if (type.startsWith("int")) {
      return w.testBit(255) ? w.subtract(BigInteger.ONE.shiftLeft(256)).toString() : w.toString();
    }
    return w.toString(); // uintN
  }

  private static BigInteger word(byte[] body, int slot) {
    int from = slot * 32;
    if (body.length < from + 32) {
      return BigInteger.ZERO;
    }
    byte[] w = new byte[32];
    System.arraycopy(body, from, w, 0, 32);
    return new BigInteger(1, w);
  }

  private static String decodeString(byte[] body, int slot) {
    int offset = word(body, slot).intValueExact();
    int len = word(body, offset / 32).intValueExact();
    if (body.length < offset + 32 + len) {
      return "(malformed reason)";
    }
    return new String(body, offset + 32, len, StandardCharsets.UTF_8);
  }

  private static String panicText(BigInteger code) {
    return switch (code.intValue()) {
      case 0x01 -> "assertion failed";
      case 0x11 -> "arithmetic overflow or underflow";
      case 0x12 -> "division by zero";
      case 0x21 -> "invalid enum value";
      case 0x32 -> "array index out of bounds";
      case 0x41 -> "out of memory";
      default -> "panic";
    };
  }
}
