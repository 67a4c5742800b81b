package io.ledgerlake.indexer.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Decodes one ABI value straight from the hex text of a log's data (or a topic), without web3j's reflective
 * decoder: backfills decode every log, and web3j's generic path (regexes and {@code String.format} per byte)
 * dominated the indexer's CPU time. Covers the types the LedgerLake contracts use: {@code uintN}, {@code intN},
 * {@code address}, {@code bool}, {@code bytesN}, {@code bytes}, {@code string} and {@code T[]} of those static
 * types. Output is the JSON form {@link AbiEventDecoder} documents, identical to its web3j path.
 */
@FunctionalInterface
interface WordDecoder {
  JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Hex characters per 32-byte ABI word. */
  int WORD = 64;

  /**
   * Decodes the value whose head is word {@code index} of the ABI encoding that starts at character {@code base}
   * of {@code hex}.
   */
  JsonNode decode(String hex, int base, int index);

  /** The decoder for ABI type {@code type}, or null when only web3j's generic decoder handles it. */
  static WordDecoder forType(String type) {
    if (type.endsWith("[]")) {
      WordDecoder element = staticType(type.substring(0, type.length() - 2));
      if (element == null) {
        return null;
      }
      return (hex, base, index) -> {
        int start = base + 2 * offset(hex, base, index);
        int length = intAt(hex, start);
        ArrayNode out = NODES.arrayNode(length);
        for (int i = 0; i < length; i++) {
          out.add(element.decode(hex, start + WORD, i));
        }
        return out;
      };
    }
    if (type.equals("string")) {
      return (hex, base, index) -> NODES.textNode(new String(dynamicBytes(hex, base, index),
          StandardCharsets.UTF_8));
    }
    if (type.equals("bytes")) {
      return (hex, base, index) -> NODES.textNode("0x" + HexFormat.of().formatHex(dynamicBytes(hex, base, index)));
    }
    return staticType(type);
  }

  /** A one-word type, or null. */
  private static WordDecoder staticType(String type) {
    if (type.equals("address")) {
      return (hex, base, index) -> {
        int end = base + (index + 1) * WORD;
        return NODES.textNode("0x" + hex.substring(end - 40, end).toLowerCase());
      };
    }
    if (type.equals("bool")) {
      return (hex, base, index) -> NODES.booleanNode(unsigned(hex, base, index).signum() != 0);
    }
    if (type.startsWith("uint") && bits(type.substring(4)) > 0) {
      return WordDecoder::unsignedNode;
    }
    if (type.startsWith("int") && bits(type.substring(3)) > 0) {
      return (hex, base, index) -> {
        BigInteger v = unsigned(hex, base, index);
        return NODES.numberNode(v.testBit(255) ? v.subtract(BigInteger.ONE.shiftLeft(256)) : v);
      };
    }
    if (type.startsWith("bytes") && type.length() > 5) {
      int n = Integer.parseInt(type.substring(5));
      if (n < 1 || n > 32) {
        return null;
      }
      return (hex, base, index) -> {
        int start = base + index * WORD;
        return NODES.textNode("0x" + hex.substring(start, start + 2 * n).toLowerCase());
      };
    }
    return null;
  }

  private static int bits(String suffix) {
    if (suffix.isEmpty()) {
      return 256;
    }
    try {
      int b = Integer.parseInt(suffix);
      return b > 0 && b <= 256 && b % 8 == 0 ? b : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static JsonNode unsignedNode(String hex, int base, int index) {
    int start = base + index * WORD;
    checkWord(hex, start);
    // Most values fit a long: skip BigInteger when the high 48 hex digits are zero and the rest is < 2^63.
    int low = start + WORD - 16;
    boolean small = hex.charAt(low) < '8';
    for (int i = start; small && i < low; i++) {
      small = hex.charAt(i) == '0';
    }
    if (small) {
      return NODES.numberNode(Long.parseLong(hex, low, low + 16, 16));
    }
    return NODES.numberNode(new BigInteger(hex.substring(start, start + WORD), 16));
  }

  private static BigInteger unsigned(String hex, int base, int index) {
    int start = base + index * WORD;
    checkWord(hex, start);
    return new BigInteger(hex.substring(start, start + WORD), 16);
  }

  private static void checkWord(String hex, int start) {
    if (start < 0 || start + WORD > hex.length()) {
      throw new IndexOutOfBoundsException("ABI word at hex offset " + start + " is past the end (" + hex.length()
          + " characters)");
    }
  }

  /** The byte offset a dynamic value's head word points to, relative to the start of the encoding. */
  private static int offset(String hex, int base, int index) {
    return intAt(hex, base + index * WORD);
  }

  private static int intAt(String hex, int start) {
    checkWord(hex, start);
    for (int i = start; i < start + WORD - 8; i++) {
      if (hex.charAt(i) != '0') {
        throw new IllegalArgumentException("ABI offset or length at hex offset " + start + " is too large");
      }
    }
    int v = Integer.parseUnsignedInt(hex, start + WORD - 8, start + WORD, 16);
    if (v < 0) {
      throw new IllegalArgumentException("ABI offset or length at hex offset " + start + " is too large");
    }
    return v;
  }

  private static byte[] dynamicBytes(String hex, int base, int index) {
    int start = base + 2 * offset(hex, base, index);
    int length = intAt(hex, start);
    int from = start + WORD;
    if (from + 2L * length > hex.length()) {
      throw new IndexOutOfBoundsException("ABI bytes of length " + length + " run past the end of the data");
    }
    return HexFormat.of().parseHex(hex, from, from + 2 * length);
  }
}
