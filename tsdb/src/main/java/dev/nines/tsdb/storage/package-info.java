/**
 * The storage seam: how the rest of Nines reads and writes series without knowing how the tsdb
 * keeps them. Ingest writes through {@link dev.nines.tsdb.storage.Appendable}; PromQL and the HTTP
 * API read through {@link dev.nines.tsdb.storage.Queryable}. Both are implemented by the embedded
 * engine and, later, by remote storage.
 */
package dev.nines.tsdb.storage;
