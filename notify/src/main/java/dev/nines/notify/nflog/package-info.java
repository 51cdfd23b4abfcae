/** The notification log: what was last sent for each group to each integration. */
@NullMarked
package dev.nines.notify.nflog;

import org.jspecify.annotations.NullMarked;
