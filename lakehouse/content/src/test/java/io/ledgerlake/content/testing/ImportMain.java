package io.ledgerlake.content.testing;

import io.ledgerlake.content.Profile;
import io.ledgerlake.content.unixfs.BlockSink;
import io.ledgerlake.content.unixfs.FileImporter;

/** Prints the CID of a seeded input; run in a small-heap JVM to show import memory is bounded. */
public final class ImportMain {
  private ImportMain() {}

  public static void main(String[] args) throws Exception {
    Profile profile = Profile.parse(args[0]);
    int seed = Integer.parseInt(args[1]);
    long size = Long.parseLong(args[2]);
    System.out.println(new FileImporter(profile, BlockSink.DISCARD).importFrom(new SeededBytes(seed, size)).cid());
  }
}
