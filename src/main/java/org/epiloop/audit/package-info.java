/**
 * Audit trail: who read or changed personal data or results, when, and why. Other modules
 * call {@link org.epiloop.audit.AuditTrail}; rows are never updated or deleted.
 */
package org.epiloop.audit;
