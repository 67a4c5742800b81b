package io.ledgerlake.sqlserver;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.spark.SqlRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL service: one long-lived Spark session over the lakehouse catalog, served to PostgreSQL clients (psql,
 * pgjdbc, BI tools) over the PostgreSQL wire protocol v3. Plain blocking sockets with a thread per connection: a
 * connection runs one statement at a time and a statement holds Spark for far longer than any thread switch costs, so
 * an event loop would buy nothing here (docs/decisions/sql-service-protocol.md).
 */
public final class SqlService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqlService.class);

  private final SparkSession spark;
  private final SqlRunner runner;
  private final CatalogQueries catalogQueries;
  private final SqlServiceOptions options;
  private final Authenticator authenticator;
  private final DatasetVisibility visibility;
  private final ServerSocket socket;
  private final Thread acceptor;
  private final ScheduledExecutorService timer;
  private final Map<Integer, PgConnection> connections = new ConcurrentHashMap<>();
  private final AtomicInteger nextProcessId = new AtomicInteger(1);
  private final SecureRandom random = new SecureRandom();
  private final CountDownLatch closed = new CountDownLatch(1);

  private SqlService(SparkSession spark, SqlServiceOptions options, Authenticator authenticator,
      DatasetVisibility visibility) throws IOException {
    this.spark = requireNonNull(spark, "spark");
    this.options = requireNonNull(options, "options");
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.visibility = requireNonNull(visibility, "visibility");
    this.runner = new SqlRunner(spark, options.allowWrites());
    this.catalogQueries = new CatalogQueries(catalog(spark));
    this.socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(options.bind()), options.port()), 64);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ledgerlake-sql-timer"));
    this.acceptor = daemon(this::acceptLoop, "ledgerlake-sql-accept");
  }

  /**
   * The Spark session the service needs: the lakehouse session with Iceberg's table cache off, so that every statement
   * loads the table's current metadata and sees commits made after the service started (a catalog lookup per table
   * per statement, a few milliseconds on the embedded catalog).
   */
  public static SparkSession session(LakehouseOptions lakehouse, SparkOptions spark) {
    return LakehouseSpark.session(lakehouse, spark, Map.of("cache-enabled", "false"));
  }

  /**
   * Binds the port and starts accepting connections.
   *
   * @param visibility which private datasets a login may not read (used when {@link SqlServiceOptions#rowSecurity()})
   */
  public static SqlService start(SparkSession spark, SqlServiceOptions options, Authenticator authenticator,
      DatasetVisibility visibility) {
    SqlService service;
    try {
      service = new SqlService(spark, options, authenticator, visibility);
    } catch (IOException e) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, e, "cannot listen on %s:%d (%s); pick another port with %s or "
          + "--port", options.bind(), options.port(), e.getMessage(), SqlServiceOptions.PORT);
    }
    service.acceptor.start();
    LOG.info("SQL service listening on {}:{}", options.bind(), service.port());
    return service;
  }

  /** The bound port (the real one when the options asked for port 0). */
  public int port() {
    return socket.getLocalPort();
  }

  public String host() {
    return options.bind();
  }

  /** Blocks until {@link #close} is called. */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing the listening socket", e);
    }
    connections.values().forEach(PgConnection::abort);
    timer.shutdownNow();
    closed.countDown();
  }

  SqlRunner runner() {
    return runner;
  }

  CatalogQueries catalogQueries() {
    return catalogQueries;
  }

  /**
   * The lakehouse catalog for JDBC metadata queries. Names only and schemas: no rows, so row security has nothing to
   * filter; SHOW commands and schema lookups run no Spark job.
   */
  static CatalogQueries.Catalog catalog(SparkSession spark) {
    return new CatalogQueries.Catalog() {
      @Override
      public List<String> namespaces() {
        return spark.sql("SHOW NAMESPACES").collectAsList().stream().map(r -> r.getString(0)).toList();
      }

      @Override
      public List<String> tables(String namespace) {
        return spark.sql("SHOW TABLES IN " + quote(namespace)).collectAsList().stream()
            .filter(r -> !r.getBoolean(r.fieldIndex("isTemporary")))
            .map(r -> r.getString(r.fieldIndex("tableName"))).toList();
      }

      @Override
      public List<CatalogQueries.Column> columns(String namespace, String table) {
        org.apache.spark.sql.types.StructType schema;
        try {
          schema = spark.table(quote(namespace) + "." + quote(table)).schema();
        } catch (RuntimeException e) { // dropped since it was listed
          LOG.debug("no schema for {}.{}", namespace, table, e);
          return List.of();
        }
        List<CatalogQueries.Column> out = new java.util.ArrayList<>();
        for (org.apache.spark.sql.types.StructField f : schema.fields()) {
          out.add(new CatalogQueries.Column(f.name(), PgTypes.oid(f.dataType()), PgTypes.typmod(f.dataType()),
              !f.nullable(), f.getComment().isDefined() ? f.getComment().get() : null));
        }
        return out;
      }
    };
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  SparkSession spark() {
    return spark;
  }

  SqlServiceOptions options() {
    return options;
  }

  Authenticator authenticator() {
    return authenticator;
  }

  DatasetVisibility visibility() {
    return visibility;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /** Registers a connection that passed the connection limit; returns false when the service is full. */
  boolean register(PgConnection connection) {
    synchronized (connections) {
      if (connections.size() >= options.maxConnections()) {
        return false;
      }
      connections.put(connection.processId(), connection);
      return true;
    }
  }

  void unregister(PgConnection connection) {
    connections.remove(connection.processId(), connection);
  }

  /** A CancelRequest: cancels the statement of the connection with this key, if the secret matches. */
  void cancel(int processId, int secret) {
    PgConnection target = connections.get(processId);
    if (target != null && target.secret() == secret) {
      target.cancel(PgConnection.CancelReason.USER);
    } else {
      LOG.info("CancelRequest for unknown process {} ignored", processId);
    }
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (SocketException closing) {
        break;
      } catch (IOException e) {
        LOG.warn("accepting a SQL connection failed", e);
        continue;
      }
      int processId = nextProcessId.getAndIncrement();
      PgConnection connection = new PgConnection(this, client, processId, random.nextInt());
      daemon(connection, "ledgerlake-sql-" + processId).start();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
