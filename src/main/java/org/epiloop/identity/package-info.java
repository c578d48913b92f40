/**
 * Identity (R1, X2): persons with their identity document, name and phone — stored only
 * encrypted and found by keyed hash — ID-number validation (GB 11643), the family persons
 * of resident accounts, and signed appointment codes. Other modules use {@link
 * org.epiloop.identity.Persons} and {@link org.epiloop.identity.AppointmentCodes}.
 */
package org.epiloop.identity;
