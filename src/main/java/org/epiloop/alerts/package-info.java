/**
 * Alerts for officials: critical results and other alerts raised by other modules, kept until
 * resolved (OPEN → ACKNOWLEDGED → RESOLVED, each step with who, when and a note, audited),
 * together with alerts computed on read (boxes overdue in transport). A newly raised alert pages
 * the on-duty officials by SMS once and reaches the open command screens at once through a
 * server-sent event stream fed by PostgreSQL notifications.
 */
package org.epiloop.alerts;
