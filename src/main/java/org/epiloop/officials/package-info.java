/**
 * The officials' workbench (V3, H1, H4, L5 for health officials): the page at {@code /official}
 * and the one read it needs of its own — a person found by document number, for a typed reason,
 * audited, answered masked with their samplings, results, code colour and open recall. Cases,
 * tracing lists, overrides, rules and alerts are the other modules' endpoints, which the page
 * calls directly.
 */
package org.epiloop.officials;
