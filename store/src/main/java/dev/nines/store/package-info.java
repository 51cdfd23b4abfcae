/**
 * The relational state store: silences, the notification log and alert state, kept in SQLite (the
 * embedded default, {@code <data>/nines.db}) or PostgreSQL, behind repositories that the other
 * modules call.
 *
 * <p>Open it with {@link dev.nines.store.Store#open(StoreConfig)}; it runs the schema migrations
 * before it returns. Every write is one transaction. Values are immutable records. Nothing in this
 * package accepts or returns {@code null} unless its Javadoc says so. Errors are {@link
 * dev.nines.store.StoreException}s whose {@link dev.nines.store.StoreException.Kind} tells the
 * caller what went wrong. The schema and the durability promise are described in {@code
 * docs/store.md}.
 */
package dev.nines.store;
