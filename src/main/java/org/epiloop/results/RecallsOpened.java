package org.epiloop.results;

import java.util.List;
import java.util.UUID;

/**
 * Recalls were stored (members of a positive pool, samples without a valid result). Published
 * with every batch of person results that recalls someone, again on redelivery: the notice
 * listener texts each recall once.
 *
 * @param bindingIds the recalled samplings (a recall's key)
 */
public record RecallsOpened(List<UUID> bindingIds) {}
