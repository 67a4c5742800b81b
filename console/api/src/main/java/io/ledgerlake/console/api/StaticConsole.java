package io.ledgerlake.console.api;

import io.ledgerlake.ingestion.server.ApiRequest;
import io.ledgerlake.ingestion.server.ResourceNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web console's static files, from the class path directory {@value #ROOT} (the console/web module's jar, built
 * by the Maven build from its npm sources): {@code GET /} redirects to {@code /console/}; {@code /console/} and every
 * path under it that names no file are the single page ({@code index.html}, which routes in the browser). Nothing
 * comes from a CDN: the page's Content-Security-Policy allows only this origin.
 */
final class StaticConsole {
  static final String ROOT = "ledgerlake-console/";
  static final String PREFIX = "/console/";

  /** Only this origin; no inline script or style (the console has none), no framing. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/-]*");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "json", "application/json",
      "png", "image/png",
      "ico", "image/x-icon",
      "map", "application/json");

  private final ClassLoader loader;

  StaticConsole(ClassLoader loader) {
    this.loader = loader;
  }

  /** True if the console is built into this server (its index page is on the class path). */
  boolean available() {
    return loader.getResource(ROOT + "index.html") != null;
  }

  boolean handle(ApiRequest request) throws IOException {
    String path = request.path();
    if (path.equals("/") || path.equals("/console")) {
      request.requireMethod("GET");
      request.sendBytes(302, new byte[0], "text/plain", Map.of("Location", PREFIX));
      return true;
    }
    if (!path.startsWith(PREFIX)) {
      return false;
    }
    request.requireMethod("GET");
    String rel = path.substring(PREFIX.length());
    // Class path names only: no '..', no empty segments, nothing outside the console's directory.
    if (!SAFE_PATH.matcher(rel).matches() || rel.contains("..") || rel.contains("//")) {
      throw new ResourceNotFoundException("No such console file: " + path);
    }
    String name = rel.isEmpty() ? "index.html" : rel;
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    String ext = dot > slash ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    byte[] body = read(ROOT + name);
    if (body == null && ext.isEmpty()) {
      // a page of the single-page app (e.g. /console/datasets/ds-x): the browser routes it
      name = "index.html";
      ext = "html";
      body = read(ROOT + name);
    }
    if (body == null) {
      throw new ResourceNotFoundException(available()
          ? "No such console file: " + path
          : "The web console is not built into this server (module console/web); build it with ./mvnw package");
    }
    String type = TYPES.getOrDefault(ext, "application/octet-stream");
    request.sendBytes(200, body, type, Map.of(
        "Content-Security-Policy", CSP,
        "X-Content-Type-Options", "nosniff",
        "Referrer-Policy", "no-referrer",
        // The build names files without content hashes, so browsers revalidate rather than keep a stale console.
        "Cache-Control", "no-cache"));
    return true;
  }

  private byte[] read(String resource) throws IOException {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    }
  }
}
