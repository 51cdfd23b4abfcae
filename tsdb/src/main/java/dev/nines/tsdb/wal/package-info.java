/**
 * The segmented write-ahead log: writer with fsync policies, replay with damage handling, and
 * checkpoints. The format is documented in {@code docs/formats/wal.md}.
 */
package dev.nines.tsdb.wal;
