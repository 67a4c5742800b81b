package io.ledgerlake.labeling.pii;

import io.ledgerlake.labeling.ResourceLoadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The English BIP-39 word list (2048 words, shipped as a resource; provenance in
 * docs/decisions/labeling-bip39-wordlist.md) and the BIP-39 checksum check.
 */
public final class Bip39Wordlist {
  static final String RESOURCE = "/io/ledgerlake/labeling/pii/bip39-english.txt";
  /** SHA-256 of the canonical english.txt from the BIP-39 specification repository. */
  public static final String EXPECTED_SHA256 = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda";

  private static final Bip39Wordlist ENGLISH = load();

  private final List<String> words;
  private final Map<String, Integer> index;

  private Bip39Wordlist(List<String> words) {
    this.words = List.copyOf(words);
    this.index = new HashMap<>(words.size() * 2);
    for (int i = 0; i < words.size(); i++) {
      index.put(words.get(i), i);
    }
  }

  public static Bip39Wordlist english() {
    return ENGLISH;
  }

  public List<String> words() {
    return words;
  }

  /** Index of a lower-case word, or -1. */
  public int indexOf(String lowerCaseWord) {
    Integer i = index.get(lowerCaseWord);
    return i == null ? -1 : i;
  }

  /** True if the words (all in the list) form a mnemonic of valid length whose checksum bits match. */
  public boolean isValidMnemonic(List<String> mnemonic) {
    int n = mnemonic.size();
    if (n < 12 || n > 24 || n % 3 != 0) {
      return false;
    }
    int totalBits = n * 11;
    int checksumBits = n / 3;
    int entropyBits = totalBits - checksumBits;
    byte[] bits = new byte[totalBits];
    for (int w = 0; w < n; w++) {
      int idx = indexOf(mnemonic.get(w));
      if (idx < 0) {
        return false;
      }
      for (int b = 0; b < 11; b++) {
        bits[w * 11 + b] = (byte) ((idx >> (10 - b)) & 1);
      }
    }
    byte[] entropy = new byte[entropyBits / 8];
    for (int i = 0; i < entropyBits; i++) {
      entropy[i / 8] |= (byte) (bits[i] << (7 - (i % 8)));
    }
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(entropy);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
    for (int i = 0; i < checksumBits; i++) {
      int expected = (hash[i / 8] >> (7 - (i % 8))) & 1;
      if (bits[entropyBits + i] != expected) {
        return false;
      }
    }
    return true;
  }

  private static Bip39Wordlist load() {
    try (InputStream in = Bip39Wordlist.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new ResourceLoadException("BIP-39 word list " + RESOURCE + " is missing from the labeling jar", null);
      }
      List<String> words = new ArrayList<>(2048);
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (!line.isBlank()) {
            words.add(line.strip());
          }
        }
      }
      if (words.size() != 2048) {
        throw new ResourceLoadException("BIP-39 word list has " + words.size() + " words, expected 2048", null);
      }
      return new Bip39Wordlist(words);
    } catch (IOException e) {
      throw new ResourceLoadException("cannot read BIP-39 word list " + RESOURCE, e);
    }
  }
}
