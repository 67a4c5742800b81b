package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.IngestionOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the open connections per client IP address ({@code ledgerlake.ingestion.http.max-connections-per-client}):
 * a connection beyond the bound is closed as soon as it is opened, before anything is read from it, so one address
 * cannot hold every connection the server is willing to keep. A bean of the connector: Jetty calls it for every
 * connection it opens and closes.
 */
final class ClientConnectionLimit implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnectionLimit.class);

  private final long maxPerClient;
  private final Map<InetAddress, AtomicLong> open = new ConcurrentHashMap<>();
  /** The address of each counted connection: once closed, an endpoint no longer knows its remote address. */
  private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();

  ClientConnectionLimit(long maxPerClient) {
    this.maxPerClient = maxPerClient;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress client = clientOf(connection);
    if (client == null) {
      return;
    }
    counted.put(connection, client);
    long count = open.computeIfAbsent(client, k -> new AtomicLong()).incrementAndGet();
    if (count > maxPerClient) {
      long total = refused.incrementAndGet();
      // Rate-limited logging: the first refusal and every 100th after it.
      if (total == 1 || total % 100 == 0) {
        LOG.warn("Closed a connection from {}: it already has {} open, the limit is {} ({}); {} refused so far",
            client.getHostAddress(), count - 1, maxPerClient, IngestionOptions.HTTP_MAX_CONNECTIONS_PER_CLIENT, total);
      }
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress client = counted.remove(connection);
    if (client == null) {
      return;
    }
    open.computeIfPresent(client, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  /** Open connections of one client address (for tests and diagnostics). */
  long openConnections(InetAddress client) {
    AtomicLong count = open.get(client);
    return count == null ? 0 : count.get();
  }

  private static InetAddress clientOf(Connection connection) {
    SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
