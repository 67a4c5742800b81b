package io.ledgerlake.provenance.testing;

import io.ledgerlake.provenance.chain.ProvenanceClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Each test runs on a snapshot of the shared chain, reverted afterwards. */
public abstract class AnvilTestBase {
  protected static final TestChain CHAIN = TestChain.get();
  private final List<ProvenanceClient> clients = new ArrayList<>();
  private String snapshot;

  @BeforeEach
  void takeSnapshot() {
    snapshot = CHAIN.snapshot();
  }

  @AfterEach
  void revertSnapshot() {
    clients.forEach(ProvenanceClient::close);
    clients.clear();
    CHAIN.revert(snapshot);
  }

  /** A client signing with dev account {@code i}, closed after the test. */
  protected ProvenanceClient client(int i) {
    ProvenanceClient c = CHAIN.client(i);
    clients.add(c);
    return c;
  }

  protected String account(int i) {
    return CHAIN.account(i);
  }
}
