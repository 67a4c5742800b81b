package io.ledgerlake.lakehouse.coordination;

/**
 * One holder at a time of a named resource (e.g. the writer of {@code label.labels}), across processes. Closing it
 * releases it; a holder that dies without closing loses it (how fast depends on the implementation).
 */
public interface ExclusiveLease extends AutoCloseable {
  String name();

  String holder();

  /** False once another holder may have taken it (e.g. renewals failed past the expiry). */
  boolean held();

  /**
   * Runs {@code action} once, on a background thread, when the lease is found lost (or at once if it already is), so
   * the holder can stop writing before it overlaps its successor. Implementations that cannot lose a lease while
   * their process lives (an OS file lock) never run it.
   */
  void onLost(Runnable action);

  @Override
  void close();
}
