package dev.nines.notify.receiver;

import dev.nines.notify.Integration;

/**
 * What every receiver integration has from its configuration entry: its kind, its position among
 * the receiver's entries of that kind, and {@code send_resolved}. Subclasses only send.
 */
abstract class ConfiguredIntegration implements Integration {
  private final String name;
  private final int index;
  private final boolean sendResolved;

  ConfiguredIntegration(String name, int index, boolean sendResolved) {
    this.name = name;
    this.index = index;
    this.sendResolved = sendResolved;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int index() {
    return index;
  }

  @Override
  public final boolean sendResolved() {
    return sendResolved;
  }
}
