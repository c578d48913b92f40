/**
 * Results (P1, L5): released runs become one result per person sampled — a positive pool
 * recalls its members for single-tube retests, a positive single tube is a critical result —
 * residents see their family's results and are notified, and anyone can query a result by
 * document and name.
 */
package org.epiloop.results;
