/**
 * The sample bank (L7): when a run is released, the tubes to keep — positives, inconclusives and
 * a sample of the negatives, by named policy rules — wait for a storage position (freezer, rack,
 * box, position) given by scan; each kept tube has a retention period; tubes past it are
 * disposed of in batches, each with who and when. The bank's steps join a tube's chain of
 * custody ({@link org.epiloop.samplebank.BankCustody}).
 */
package org.epiloop.samplebank;
