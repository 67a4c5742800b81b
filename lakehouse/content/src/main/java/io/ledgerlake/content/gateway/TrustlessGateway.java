package io.ledgerlake.content.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ledgerlake.content.BlockIntegrityException;
import io.ledgerlake.content.BlockNotFoundException;
import io.ledgerlake.content.ContentIoException;
import io.ledgerlake.content.InvalidCidException;
import io.ledgerlake.content.blockstore.FsBlockstore;
import io.ledgerlake.content.car.CarWriter;
import io.ledgerlake.content.car.DagScope;
import io.ledgerlake.content.multiformats.Cid;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IPFS Trustless Gateway (https://specs.ipfs.tech/http-gateways/trustless-gateway/) over the
 * JDK's built-in HTTP server: {@code GET|HEAD /ipfs/{cid}} answered as a single verifiable block
 * ({@code ?format=raw} or {@code Accept: application/vnd.ipld.raw}) or as a CAR v1 stream
 * ({@code ?format=car} or {@code Accept: application/vnd.ipld.car}, with {@code dag-scope}
 * all/entity/block). Clients verify everything against the CID, so no deserialized responses are
 * offered: other requests get 406.
 *
 * <p>The URL never becomes a file path: the CID is parsed, and the block store derives the
 * location from the multihash, so there is nothing to traverse.
 */
public final class TrustlessGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrustlessGateway.class);
  public static final String RAW = "application/vnd.ipld.raw";
  public static final String CAR = "application/vnd.ipld.car";
  static final String IMMUTABLE = "public, max-age=29030400, immutable";

  private final FsBlockstore store;
  private final HttpServer server;
  private final ExecutorService executor;

  private TrustlessGateway(FsBlockstore store, HttpServer server, ExecutorService executor) {
    this.store = store;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving {@code store} on {@code bind:port} ({@code port} 0 picks a free port).
   *
   * @throws ContentIoException if the address cannot be bound
   */
  public static TrustlessGateway start(FsBlockstore store, String bind, int port) {
    Objects.requireNonNull(store, "store");
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bind, port), 64);
    } catch (IOException e) {
      throw new ContentIoException("bind the gateway to", bind + ":" + port, e);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "ledgerlake-gateway-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    TrustlessGateway gw = new TrustlessGateway(store, server, executor);
    server.createContext("/", gw::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info("Trustless gateway serving {} on http://{}:{}/ipfs/", store.root(), bind, gw.port());
    return gw;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI baseUri() {
    return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    LOG.info("Trustless gateway on port {} stopped", port());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      serve(ex);
    } catch (IOException e) {
      // the client went away mid-stream; nothing to answer
      LOG.debug("Gateway response aborted: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.error("Gateway failed on {}", ex.getRequestURI(), e);
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      error(ex, 405, "only GET and HEAD are supported");
      return;
    }
    String path = ex.getRequestURI().getRawPath();
    if (!path.startsWith("/ipfs/")) {
      error(ex, 404, "not found: this gateway serves /ipfs/{cid} only");
      return;
    }
    String rest = path.substring("/ipfs/".length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.isEmpty() || rest.contains("/") || rest.contains("%") || rest.contains("\\")) {
      error(ex, 400, "expected /ipfs/{cid} with a single CID and no sub-path");
      return;
    }
    Cid cid;
    try {
      cid = Cid.parse(rest);
    } catch (InvalidCidException e) {
      error(ex, 400, e.getMessage());
      return;
    }
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    String format = query.get("format");
    String type;
    if (format != null) {
      if (format.equals("raw")) {
        type = RAW;
      } else if (format.equals("car")) {
        type = CAR;
      } else {
        error(ex, 400, "unsupported format '" + format + "': use raw or car");
        return;
      }
    } else {
      type = fromAccept(ex.getRequestHeaders().getFirst("Accept"));
      if (type == null) {
        error(ex, 406, "this is a trustless gateway: request " + RAW + " or " + CAR
            + " (Accept header or ?format=raw|car)");
        return;
      }
      if (type.equals("unsupported-car")) {
        error(ex, 400, "only CAR version=1 is supported");
        return;
      }
    }
    if (type.equals(RAW)) {
      serveRaw(ex, cid, head);
    } else {
      DagScope scope;
      try {
        scope = DagScope.parse(query.getOrDefault("dag-scope", "all"));
      } catch (IllegalArgumentException e) {
        error(ex, 400, e.getMessage());
        return;
      }
      if (query.containsKey("entity-bytes")) {
        error(ex, 400, "entity-bytes is not supported; request the whole entity");
        return;
      }
      serveCar(ex, cid, scope, head);
    }
  }

  /** Picks raw or car from an Accept header (null if neither is acceptable). */
  static String fromAccept(String accept) {
    if (accept == null) {
      return null;
    }
    for (String part : accept.split(",")) {
      String[] params = part.strip().split(";");
      String media = params[0].strip().toLowerCase(Locale.ROOT);
      if (media.equals(RAW)) {
        return RAW;
      }
      if (media.equals(CAR)) {
        for (int i = 1; i < params.length; i++) {
          String p = params[i].strip().toLowerCase(Locale.ROOT);
          if (p.startsWith("version=") && !p.equals("version=1")) {
            return "unsupported-car";
          }
        }
        return CAR;
      }
    }
    return null;
  }

  private void serveRaw(HttpExchange ex, Cid cid, boolean head) throws IOException {
    byte[] block;
    try {
      block = store.get(cid);
    } catch (BlockNotFoundException e) {
      error(ex, 404, "block " + cid + " is not on this gateway");
      return;
    } catch (BlockIntegrityException e) {
      LOG.error("Refusing to serve corrupt block {}", cid);
      error(ex, 500, "the stored copy of " + cid + " failed verification");
      return;
    }
    String etag = "\"" + cid + ".raw\"";
    Headers h = commonHeaders(ex, cid, etag);
    h.set("Content-Type", RAW);
    h.set("Content-Disposition", "attachment; filename=\"" + cid + ".bin\"");
    if (notModified(ex, etag)) {
      return;
    }
    if (head) {
      h.set("Content-Length", String.valueOf(block.length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, block.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(block);
    }
  }

  private void serveCar(HttpExchange ex, Cid cid, DagScope scope, boolean head) throws IOException {
    if (!store.has(cid)) {
      error(ex, 404, "DAG root " + cid + " is not on this gateway");
      return;
    }
    String etag = "\"" + cid + ".car." + scope.id() + ".dfs.n\"";
    Headers h = commonHeaders(ex, cid, etag);
    h.set("Content-Type", CAR + "; version=1; order=dfs; dups=n");
    h.set("Content-Disposition", "attachment; filename=\"" + cid + ".car\"");
    if (notModified(ex, etag)) {
      return;
    }
    if (head) {
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
      CarWriter.write(store, cid, scope, out);
    } catch (BlockNotFoundException | BlockIntegrityException e) {
      // Headers are gone already: the only honest signal left is to abort the stream, so the
      // client sees a truncated CAR rather than a complete-looking one.
      LOG.error("Aborting CAR stream for {}: {}", cid, e.getMessage());
      throw new IOException(e.getMessage(), e);
    }
  }

  private static Headers commonHeaders(HttpExchange ex, Cid cid, String etag) {
    Headers h = ex.getResponseHeaders();
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Cache-Control", IMMUTABLE);
    h.set("Etag", etag);
    h.set("X-Ipfs-Path", "/ipfs/" + cid);
    h.set("X-Ipfs-Roots", cid.toString());
    h.set("Vary", "Accept");
    h.set("Access-Control-Allow-Origin", "*");
    return h;
  }

  private static boolean notModified(HttpExchange ex, String etag) throws IOException {
    String inm = ex.getRequestHeaders().getFirst("If-None-Match");
    if (inm != null && (inm.strip().equals(etag) || inm.strip().equals("*"))) {
      ex.sendResponseHeaders(304, -1);
      return true;
    }
    return false;
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", "text/plain; charset=utf-8");
    h.set("X-Content-Type-Options", "nosniff");
    h.remove("Cache-Control");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }
}
