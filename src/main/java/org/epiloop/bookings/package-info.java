/**
 * Booked submissions (L9): sampling sites book delivery slots at a lab for an expected number of
 * tubes; the boxes a lab receives count as arrivals in the matching slot (from
 * {@link org.epiloop.lab.BoxReceived}), so the lab sees expected versus arrived per slot. From
 * each lab's day (received plus still booked) against its capacity, a routing suggestion sends
 * new boxes from an overloaded lab toward labs with free capacity (courier page, command centre).
 */
package org.epiloop.bookings;
