/** Routing and grouping: the dispatcher and its aggregation groups with their timers. */
@NullMarked
package dev.nines.notify.dispatch;

import org.jspecify.annotations.NullMarked;
