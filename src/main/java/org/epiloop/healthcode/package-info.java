/**
 * Health codes (H1–H4): each person's green, yellow or red code, decided by an ordered list
 * of named rules over test results, recalls, confirmed cases, contacts and officials'
 * overrides; shown as a short-lived signed token (EdDSA/Ed25519 JWS) that checkpoints verify online
 * or offline against the published keys; venue check-ins answer with the colour.
 */
package org.epiloop.healthcode;
