/**
 * Delivery to the province (P2, issue 16): every released person result and every amendment
 * leaves the city as a FHIR R4 transaction bundle ({@link org.epiloop.province.ResultBundles}),
 * through an outbox written from the result events and a sender that retries with backoff,
 * parks what the province refuses for an administrator, and records each acknowledgement
 * (ADR 0024).
 */
package org.epiloop.province;
