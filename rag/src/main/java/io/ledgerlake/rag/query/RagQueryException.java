package io.ledgerlake.rag.query;

import io.ledgerlake.jobs.attribution.MeteredRequestException;

/**
 * Why a licence-gated RAG query was not answered: 400 empty or too long question, k out of range, malformed query id;
 * 404 no such asset or no published index (of the asked version); 402 no licence that allows retrieval; 409 a query
 * id reused for another question. Nothing is recorded for a refused query.
 */
public final class RagQueryException extends MeteredRequestException {
  public RagQueryException(Reason reason, String format, Object... args) {
    super(reason, format, args);
  }
}
