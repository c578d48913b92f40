/**
 * Security (X1): staff accounts and bearer tokens, residents' one-time-code login, and the
 * HTTP security rules. Every authenticated request carries an {@link
 * org.epiloop.shared.Actor} as its principal; scope checks (site, lab, family) are made in
 * the services against it.
 */
package org.epiloop.security;
