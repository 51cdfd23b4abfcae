/** Batched, transactional writes of the pipeline's state to the store. */
@NullMarked
package dev.nines.notify.persist;

import org.jspecify.annotations.NullMarked;
