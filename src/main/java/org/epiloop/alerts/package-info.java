/**
 * Alerts for officials: critical results raised by other modules and kept until resolved,
 * together with alerts computed on read (boxes overdue in transport).
 */
package org.epiloop.alerts;
