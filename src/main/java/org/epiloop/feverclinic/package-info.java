/**
 * Fever clinics (M3): designated hospitals report every fever-clinic visit (the person by ID
 * document, temperature, symptoms, whether a test was taken, its result later). Officials see
 * visits per hospital and hour, visitors with a risk-area arrival or a case contact (the level in
 * force at the visit time, read from monitoring), and visitors not tested within N hours, which
 * are raised as alerts. The hospitals themselves and who reports for which are the directory's.
 */
package org.epiloop.feverclinic;
