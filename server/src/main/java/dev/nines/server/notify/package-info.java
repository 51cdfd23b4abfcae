/**
 * The notify module wired into the server: the Alertmanager configuration file, the rule engine's
 * alerts, reload, and the integrations the receivers get.
 */
@NullMarked
package dev.nines.server.notify;

import org.jspecify.annotations.NullMarked;
