package dev.nines.server;

import dev.nines.server.cli.NinesCommand;

/** The entry point of the Nines jar: {@code java -jar nines.jar <command>}. */
public final class Main {
  private Main() {}

  /** Runs one command and exits with its status. */
  public static void main(String[] args) {
    System.exit(NinesCommand.commandLine().execute(args));
  }
}
