package io.ledgerlake.provenance.licence;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.model.Addresses;
import io.ledgerlake.provenance.model.LicenseKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Licence checks by live calls to the Licensing contract's {@code hasValidLicense} at the latest block (not through the
 * indexed chain.* tables, whose freshness depends on the indexer running and on finality settings). A positive answer
 * is cached per (account, assets) for {@code ttl}: that is the staleness bound — a licence that expires, or an API
 * balance that runs out, is noticed at most {@code ttl} late. A refusal is never cached, so a licence bought a moment
 * ago works at once. See docs/decisions/rag-query-api.md.
 */
public final class ChainLicenceGate implements LicenceGate {
  private static final Map<String, LicenseKind> KIND = Map.of("full", LicenseKind.FULL_ACCESS, "longterm",
      LicenseKind.LONG_TERM, "partnership", LicenseKind.PARTNERSHIP, "api", LicenseKind.API);

  private record Cached(Licence licence, Instant until) {}

  private final ProvenanceClient chain;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public ChainLicenceGate(ProvenanceClient chain, Duration ttl, Clock clock) {
    this.chain = requireNonNull(chain, "chain");
    this.ttl = requireNonNull(ttl, "ttl");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Optional<Licence> allowing(String account, List<Long> assetIds) {
    String who = Addresses.normalize(account);
    String key = who + "|" + assetIds;
    Instant now = clock.instant();
    Cached hit = cache.get(key);
    if (hit != null && now.isBefore(hit.until())) {
      return Optional.of(hit.licence());
    }
    for (long asset : assetIds) {
      for (String kind : KINDS) {
        if (chain.hasValidLicense(asset, who, KIND.get(kind))) {
          Licence licence = new Licence(kind, asset);
          if (!ttl.isZero()) {
            cache.put(key, new Cached(licence, now.plus(ttl)));
          }
          return Optional.of(licence);
        }
      }
    }
    cache.remove(key);
    return Optional.empty();
  }
}
