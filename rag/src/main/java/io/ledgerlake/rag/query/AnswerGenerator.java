package io.ledgerlake.rag.query;

import java.util.List;

/**
 * Optional answer generation from retrieved passages (off by default): a language model writes an answer that cites
 * the passages by number, [1] .. [k], each number standing for a record CID. {@link ChatCompletionsGenerator} talks to
 * any OpenAI-compatible chat-completions endpoint.
 */
public interface AnswerGenerator {
  /** A generated answer and the passages it cites (in the order of their numbers). */
  record GeneratedAnswer(String text, String model, List<Citation> citations) {
    public GeneratedAnswer {
      citations = List.copyOf(citations);
    }
  }

  /** Citation {@code [number]} of an answer: the passage's record CID and chunk. */
  record Citation(int number, String recordCid, int chunk) {}

  GeneratedAnswer generate(String question, List<RagRetriever.Passage> passages);
}
