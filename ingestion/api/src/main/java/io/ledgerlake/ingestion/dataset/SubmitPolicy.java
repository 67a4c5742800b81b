package io.ledgerlake.ingestion.dataset;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Who may submit to a dataset. The owner always may; {@code OPEN} admits any signed-in contributor, {@code ALLOWLIST}
 * only the listed addresses.
 */
public record SubmitPolicy(Mode mode, List<String> allowlist) {
  public enum Mode {
    OPEN,
    ALLOWLIST
  }

  public SubmitPolicy {
    requireNonNull(mode, "mode");
    allowlist = requireNonNull(allowlist, "allowlist").stream().map(Addresses::normalize).distinct().toList();
  }

  public static SubmitPolicy open() {
    return new SubmitPolicy(Mode.OPEN, List.of());
  }

  public static SubmitPolicy allowlist(List<String> addresses) {
    return new SubmitPolicy(Mode.ALLOWLIST, addresses);
  }

  public boolean admits(String owner, String contributor) {
    String who = Addresses.normalize(contributor);
    return mode == Mode.OPEN || who.equals(Addresses.normalize(owner)) || allowlist.contains(who);
  }
}
