/**
 * Platform: application-wide settings, the clock, and the embedded PostgreSQL server that
 * starts when no external database is configured.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.epiloop.platform;
