/**
 * Persistent, immutable blocks: a folder with a metadata file, an index (symbols, series, postings)
 * and chunk segment files, written once by {@link dev.nines.tsdb.block.BlockWriter} and read
 * through memory maps by {@link dev.nines.tsdb.block.Block}, which is a {@link
 * dev.nines.tsdb.storage.Queryable}. Deletions are tombstones applied at read time. Formats are
 * documented in {@code docs/formats/block.md}, {@code index.md} and {@code tombstones.md}.
 */
package dev.nines.tsdb.block;
