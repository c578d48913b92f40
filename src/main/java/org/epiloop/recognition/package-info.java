/**
 * Mutual recognition (P4, ADR 0025): partners (role PARTNER: a neighbouring city, a hospital lab)
 * send results of outside labs as FHIR R4 bundles in the city's exchange profile, validated by
 * HAPI's validator and the profile's rules; accepted results count like local ones. A small FHIR
 * read API lets officials, and partners for the persons whose results they sent, read released
 * results, every read audited and rate-limited. FHIR endpoints answer {@code OperationOutcome}.
 */
package org.epiloop.recognition;
