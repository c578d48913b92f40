/**
 * Health codes (H1–H4): each person's green, yellow or red code, decided by an ordered list
 * of named rules over test results, recalls, confirmed cases, contacts, officials'
 * overrides and declarations (arrivals read with the risk level in force at the arrival time,
 * declared fevers, grid workers' uploads); shown as a short-lived signed token (EdDSA/Ed25519 JWS) that checkpoints verify online
 * or offline against the published keys; venue check-ins answer with the colour.
 */
package org.epiloop.healthcode;
