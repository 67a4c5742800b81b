package io.ledgerlake.content.kubo;

import io.ledgerlake.content.Profile;
import io.ledgerlake.content.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Client for the Kubo RPC API v0 (https://docs.ipfs.tech/reference/kubo/rpc/) over
 * {@code java.net.http}. Every RPC call is a POST with query-string arguments; file uploads are
 * {@code multipart/form-data} streamed from the caller's input. {@link #add} passes every import
 * parameter of the {@link Profile}, so the node derives the same CID we do.
 */
public final class KuboClient {
  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  public KuboClient(URI base, Duration timeout) {
    this.base = Objects.requireNonNull(base, "base");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** The add arguments that pin down the CID a Kubo node computes for a profile. */
  public static Map<String, String> addParameters(Profile profile, boolean pin) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("cid-version", String.valueOf(profile.cidVersion()));
    p.put("raw-leaves", String.valueOf(profile.rawLeaves()));
    p.put("chunker", "size-" + profile.chunkSize());
    p.put("hash", "sha2-256");
    p.put("trickle", "false");
    p.put("max-file-links", String.valueOf(profile.maxLinks()));
    p.put("max-hamt-fanout", String.valueOf(Profile.HAMT_FANOUT));
    p.put("inline", "false");
    p.put("pin", String.valueOf(pin));
    p.put("quieter", "true");
    return Collections.unmodifiableMap(p);
  }

  /** Adds one file; returns the root CID Kubo reports. */
  public Cid add(String fileName, InputStream content, Profile profile, boolean pin) {
    String boundary = "ledgerlake-" + UUID.randomUUID();
    String head = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"" + encodeFileName(fileName) + "\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    InputStream body = new SequenceInputStream(Collections.enumeration(List.of(
        new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)), content,
        new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)))));
    HttpRequest req = request("add", addParameters(profile, pin))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
        .build();
    String text = sendText("add", req);
    // One JSON object per line; with quieter=true only the root is reported, but be lenient.
    String last = null;
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        last = line;
      }
    }
    if (last == null) {
      throw new KuboException("add", "empty response", null);
    }
    return cidField("add", parseObject("add", last), "Hash");
  }

  public Cid add(Path file, Profile profile, boolean pin) {
    try (InputStream in = Files.newInputStream(file)) {
      return add(file.getFileName().toString(), in, profile, pin);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Recursively pins {@code cid}; returns the pins Kubo reports. */
  public List<Cid> pinAdd(Cid cid) {
    Map<String, Object> r = parseObject("pin/add", sendText("pin/add",
        request("pin/add", Map.of("arg", cid.toString(), "recursive", "true")).POST(HttpRequest.BodyPublishers.noBody()).build()));
    return cidList("pin/add", r.get("Pins"));
  }

  public List<Cid> pinRm(Cid cid) {
    Map<String, Object> r = parseObject("pin/rm", sendText("pin/rm",
        request("pin/rm", Map.of("arg", cid.toString(), "recursive", "true")).POST(HttpRequest.BodyPublishers.noBody()).build()));
    return cidList("pin/rm", r.get("Pins"));
  }

  /** Recursive pins on the node, CID to pin type. */
  public Map<Cid, String> pinLs() {
    Map<String, Object> r = parseObject("pin/ls", sendText("pin/ls",
        request("pin/ls", Map.of("type", "recursive")).POST(HttpRequest.BodyPublishers.noBody()).build()));
    Object keys = r.get("Keys");
    if (!(keys instanceof Map<?, ?> m)) {
      throw new KuboException("pin/ls", "response has no Keys object", null);
    }
    Map<Cid, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object type = e.getValue() instanceof Map<?, ?> v ? v.get("Type") : null;
      out.put(parseCid("pin/ls", String.valueOf(e.getKey())), String.valueOf(type));
    }
    return out;
  }

  /** The file bytes of {@code cid} (the node reassembles them; verify with our own CID if it matters). */
  public byte[] cat(Cid cid) {
    return sendBytes("cat", request("cat", Map.of("arg", cid.toString())).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  public byte[] blockGet(Cid cid) {
    return sendBytes("block/get", request("block/get", Map.of("arg", cid.toString())).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /** Imports a CAR (used to replicate directories, whose CIDs Kubo does not recompute). Returns the roots. */
  public List<Cid> dagImport(InputStream car, boolean pinRoots) {
    String boundary = "ledgerlake-" + UUID.randomUUID();
    String head = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"import.car\"\r\n"
        + "Content-Type: application/vnd.ipld.car\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    InputStream body = new SequenceInputStream(Collections.enumeration(List.of(
        new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)), car,
        new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)))));
    HttpRequest req = request("dag/import", Map.of("pin-roots", String.valueOf(pinRoots)))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
        .build();
    List<Cid> roots = new ArrayList<>();
    for (String line : sendText("dag/import", req).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Object root = parseObject("dag/import", line).get("Root");
      if (root instanceof Map<?, ?> m && m.get("Cid") instanceof Map<?, ?> c && c.get("/") != null) {
        roots.add(parseCid("dag/import", String.valueOf(c.get("/"))));
      }
    }
    return roots;
  }

  private HttpRequest.Builder request(String command, Map<String, String> args) {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, String> e : args.entrySet()) {
      q.append(q.length() == 0 ? '?' : '&')
          .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    String b = base.toString().replaceAll("/+$", "");
    return HttpRequest.newBuilder(URI.create(b + "/api/v0/" + command + q)).timeout(timeout);
  }

  private String sendText(String what, HttpRequest req) {
    return new String(sendBytes(what, req), StandardCharsets.UTF_8);
  }

  private byte[] sendBytes(String what, HttpRequest req) {
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new KuboException(what, "could not reach " + base + " (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KuboException(what, "interrupted", e);
    }
    if (resp.statusCode() / 100 != 2) {
      String body = new String(resp.body(), StandardCharsets.UTF_8);
      String message = body;
      try {
        Object m = Json.object(body).get("Message");
        if (m != null) {
          message = m.toString();
        }
      } catch (IllegalArgumentException ignored) {
        // not JSON: keep the raw body
      }
      throw new KuboException(what, "HTTP " + resp.statusCode() + ": " + message.strip(), null);
    }
    return resp.body();
  }

  private static Map<String, Object> parseObject(String what, String text) {
    try {
      return Json.object(text.strip());
    } catch (IllegalArgumentException e) {
      throw new KuboException(what, "unexpected response '" + text.strip() + "' (" + e.getMessage() + ")", e);
    }
  }

  private static Cid cidField(String what, Map<String, Object> m, String field) {
    Object v = m.get(field);
    if (v == null) {
      throw new KuboException(what, "response has no " + field + " field", null);
    }
    return parseCid(what, v.toString());
  }

  private static List<Cid> cidList(String what, Object v) {
    if (!(v instanceof List<?> l)) {
      throw new KuboException(what, "response has no Pins list", null);
    }
    List<Cid> out = new ArrayList<>();
    for (Object o : l) {
      out.add(parseCid(what, String.valueOf(o)));
    }
    return out;
  }

  private static Cid parseCid(String what, String s) {
    try {
      return Cid.parse(s);
    } catch (RuntimeException e) {
      throw new KuboException(what, "node returned an invalid CID '" + s + "'", e);
    }
  }

  private static String encodeFileName(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
