/**
 * Grid follow-up (M2, M4): the work of community grid workers. Every declaration becomes one
 * follow-up task for the workers of the grid it names (arrivals, close contacts, other
 * declarations), with a due time; a worker records the visit or call, may place the person under
 * home observation, which keeps a daily diary of temperature and symptoms for N days (the
 * resident can enter it too); a task not done by its due time is escalated to its district as
 * an alert. The grids themselves and who covers which are the directory's.
 */
package org.epiloop.grid;
