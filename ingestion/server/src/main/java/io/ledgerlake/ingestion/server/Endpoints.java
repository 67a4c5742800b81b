package io.ledgerlake.ingestion.server;

import java.io.IOException;

/**
 * One group of the upload API's own routes (auth, datasets, uploads, submissions). {@link HttpApi} routes a request
 * to the first group that takes it, then to the registered {@link ApiExtension}s: the same shape, except that a
 * group works on the {@link Exchange} itself (tus needs raw headers and streamed bodies) while an extension sees
 * the narrower {@link ApiRequest}. Every failure still goes through {@link HttpApi}'s one error mapping.
 */
interface Endpoints {
  /**
   * Answers the request if {@code path} is one of this group's routes and returns true; returns false, having read
   * and written nothing, otherwise.
   *
   * @param method the request method, upper-cased
   */
  boolean handle(Exchange ex, String method, String path) throws IOException;
}
