/**
 * Transport (T1–T2): sealed tubes packed into a transport box at a site, the box sealed with
 * its count, handed to a courier, tracked to the lab; every step is a custody event with
 * time, actor and position. Boxes whose first sample is older than the limit and that no lab
 * has received are overdue.
 */
package org.epiloop.transport;
