package io.ledgerlake.provenance.model;

import java.util.Locale;

/** The four license kinds; the code is the value stored on chain, the CLI name what users type. */
public enum LicenseKind {
  PARTNERSHIP("partnership"),
  API("api"),
  FULL_ACCESS("full"),
  LONG_TERM("longterm");

  private final String cliName;

  LicenseKind(String cliName) {
    this.cliName = cliName;
  }

  public int code() {
    return ordinal();
  }

  public String cliName() {
    return cliName;
  }

  public static LicenseKind fromCode(int code) {
    LicenseKind[] all = values();
    if (code < 0 || code >= all.length) {
      throw new IllegalArgumentException("Unknown license kind code " + code);
    }
    return all[code];
  }

  /** Parses {@code partnership|api|full|longterm} (case-insensitive). */
  public static LicenseKind fromCliName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (LicenseKind k : values()) {
      if (k.cliName.equals(n)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "Unknown license kind '" + name + "': use one of partnership, api, full, longterm");
  }
}
