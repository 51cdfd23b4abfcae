/**
 * Compressed chunks of samples: the Gorilla-style float encoding and its reusable iterator. The
 * byte format is documented in {@code docs/formats/chunks.md}.
 */
package dev.nines.tsdb.chunk;
