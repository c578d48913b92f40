/**
 * Custody search (T1, L7; item 8 of issue 14): "where is tube X / box Y" answered for staff
 * from the steps each stage reports — sampling, transport, lab — in one time line.
 */
package org.epiloop.custody;
