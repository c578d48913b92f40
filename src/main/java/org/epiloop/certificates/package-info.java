/**
 * Result certificates (P3, ADR 0025): a resident (for a person on their account) or an official
 * (audited, with a reason) downloads a PDF certificate of a released result, in Chinese and
 * English with an embedded subset of the bundled Noto Sans SC font, carrying a QR code with a
 * compact Ed25519-signed token (its own key, key id and purpose); anyone verifies it at the public
 * page {@code /verify}, online (the result's value now: REVOKED once amended or superseded) or
 * offline with the published keys.
 */
package org.epiloop.certificates;
