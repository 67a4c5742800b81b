package io.ledgerlake.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} alone, for commands that take a {@code --version TAG} of their own: picocli's standard help
 * options also declare {@code --version}, and with the command's own option of that name {@code --help} stopped
 * working (it reported the missing required options instead). Use as {@code @Mixin HelpOption help;}.
 */
public final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;
}
