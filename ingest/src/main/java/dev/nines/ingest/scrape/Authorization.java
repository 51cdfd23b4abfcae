package dev.nines.ingest.scrape;

import org.jspecify.annotations.Nullable;

/**
 * {@code authorization}: an {@code Authorization: <type> <credentials>} header, the credentials
 * given inline or in a file read at each scrape.
 *
 * @param type the scheme; default {@code Bearer}
 */
public record Authorization(
    String type, @Nullable String credentials, @Nullable String credentialsFile) {}
