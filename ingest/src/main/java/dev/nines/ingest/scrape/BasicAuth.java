package dev.nines.ingest.scrape;

import org.jspecify.annotations.Nullable;

/**
 * {@code basic_auth}: a user name and either a password or a file holding it (read at each scrape,
 * trailing newline removed).
 */
public record BasicAuth(
    String username, @Nullable String password, @Nullable String passwordFile) {}
