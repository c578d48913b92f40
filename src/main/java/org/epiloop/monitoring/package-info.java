/**
 * Monitoring (M1, M5, H1): risk areas by region code with the level in force over time, and
 * self-declarations — arrival from a region, symptoms, contact with a case — made by residents
 * for themselves or their family, or uploaded by grid workers. The colour rules read these facts
 * through {@link org.epiloop.monitoring.Declarations}; every declaration is announced as {@link
 * org.epiloop.monitoring.DeclarationMade} so that follow-up work is created for its grid.
 */
package org.epiloop.monitoring;
