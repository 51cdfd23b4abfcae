/**
 * Alertmanager's configuration format: the route tree ({@link dev.nines.notify.config.Route}),
 * inhibition rules, time intervals and receivers.
 */
@NullMarked
package dev.nines.notify.config;

import org.jspecify.annotations.NullMarked;
