package io.ledgerlake.provenance.licence;

import java.util.List;
import java.util.Optional;

/**
 * Does an account hold a licence that allows using an asset — retrieving from a RAG index or dataset, calling a
 * model? One gate for every metered service, so a licence means the same everywhere. The kinds that do: full access, a non-expired
 * long-term licence, an approved (non-expired) partnership, or an API licence with prepaid balance for at least one
 * call. {@link ChainLicenceGate} asks the chain.
 */
public interface LicenceGate {
  /** Licence kinds in the order they are tried (the first that holds is recorded with the usage). */
  List<String> KINDS = List.of("full", "longterm", "partnership", "api");

  /** A licence that allows the request: its kind ({@link #KINDS}) and the asset it is on. */
  record Licence(String kind, long assetId) {}

  /** The first licence of {@code account} on one of {@code assetIds} (tried in order) that allows use. */
  Optional<Licence> allowing(String account, List<Long> assetIds);
}
