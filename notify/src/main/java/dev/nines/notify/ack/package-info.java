/** Acknowledgements of alerts, per fingerprint and per group. */
@NullMarked
package dev.nines.notify.ack;

import org.jspecify.annotations.NullMarked;
