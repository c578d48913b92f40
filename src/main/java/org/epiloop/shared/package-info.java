/**
 * Shared kernel: value types and infrastructure every module uses — the acting {@link
 * org.epiloop.shared.Actor}, problem responses ({@link org.epiloop.shared.ApiException}),
 * masking of personal data, and encryption/keyed hashing of personal data.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.epiloop.shared;
