/**
 * The notification stages, one class each, listed in order by {@link
 * dev.nines.notify.pipeline.Pipeline}.
 */
@NullMarked
package dev.nines.notify.pipeline;

import org.jspecify.annotations.NullMarked;
