/**
 * Supplies (G1): swabs, tubes by pool size, PPE and PCR reactions held at warehouses, sites and
 * labs; their use settled from what sampling and the lab already record (tubes opened and
 * positions handed out at a site, wells plated at a lab) by a job in its own transaction, never
 * in the binding's; requests from sites, approved and dispatched from a warehouse by officials,
 * picked up by a courier and received at the site, each step on the request's custody; and a
 * shortage forecast for a campaign from the planner's numbers. See docs/adr/0033.
 */
package org.epiloop.supplies;
