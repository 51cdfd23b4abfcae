/**
 * The console: a few server-rendered HTML pages (overview, alert hygiene) from jte templates
 * precompiled at build time, with no JavaScript and nothing loaded from elsewhere.
 */
@NullMarked
package dev.nines.server.console;

import org.jspecify.annotations.NullMarked;
