package io.ledgerlake.cli.content;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.gateway.TrustlessGateway;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the content store as an IPFS Trustless Gateway until Ctrl-C:",
      "GET /ipfs/{cid}?format=raw|car (or Accept: application/vnd.ipld.raw|car)."
    })
public final class GatewayCommand extends LakehouseCommand {
  @Option(names = "--port", description = "Port on 127.0.0.1 (default: ledgerlake.content.gateway.port, 8080; 0 picks a free one).")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    ContentStore store = ContentSettings.open(settings());
    try (TrustlessGateway gateway = port == null ? store.startGateway() : store.startGateway(port)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      out().printf("Trustless gateway at %s/ipfs/{cid} (Ctrl-C to stop)%n", gateway.baseUri());
      out().flush();
      stop.await();
    }
    return 0;
  }
}
