package io.ledgerlake.sqlserver;

import java.util.Optional;
import java.util.Set;

/**
 * Which datasets a login may not read, asked once per statement so that a dataset made private (or an address added
 * to an allowlist) counts from the next statement on. The platform's answer comes from the upload API's dataset
 * definitions ({@code DatasetFiles#unreadableBy}, wired by the CLI); this module does not read them itself so that it
 * does not depend on the upload server.
 */
@FunctionalInterface
public interface DatasetVisibility {
  /**
   * @param address the login's EVM address (lower case), or empty for a login without one (the service account)
   * @return ids of the private datasets it may not read; throws when the definitions cannot be read, so that a
   *     statement fails rather than runs unfiltered
   */
  Set<String> hiddenFrom(Optional<String> address);
}
