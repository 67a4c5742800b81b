package io.ledgerlake.provenance.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** Checks and normalises account addresses (0x + 40 hex digits, kept in lower case). */
public final class Addresses {
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private Addresses() {}

  public static String normalize(String address) {
    if (address == null || !ADDRESS.matcher(address.trim()).matches()) {
      throw new IllegalArgumentException(
          "Not an account address: '" + address + "' (expected 0x followed by 40 hex digits)");
    }
    return address.trim().toLowerCase(Locale.ROOT);
  }
}
