/**
 * The in-memory head of the tsdb: active series with their open and recent chunks, the postings
 * index, the appender that writes through the WAL, and the querier over it. Design, locks and the
 * write-path order are in {@code docs/tsdb.md}.
 */
package dev.nines.tsdb.head;
