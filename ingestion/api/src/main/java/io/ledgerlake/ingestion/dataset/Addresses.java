package io.ledgerlake.ingestion.dataset;

import java.util.Locale;
import java.util.regex.Pattern;

/** EVM addresses as contributor identities: compared and stored in lower case (checksums are a display concern). */
public final class Addresses {
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private Addresses() {}

  public static String normalize(String address) {
    if (address == null || !ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException(
          "'" + address + "' is not an EVM address; expected 0x followed by 40 hex digits");
    }
    return address.toLowerCase(Locale.ROOT);
  }
}
