/** Backfill: turning files of timestamped samples into tsdb blocks. */
@NullMarked
package dev.nines.ingest.backfill;

import org.jspecify.annotations.NullMarked;
