/**
 * The command centre (D1–D2): the whole loop on one screen for officials — what was sampled,
 * sealed, is in transport, received, tested and reported, per district, site and lab; hourly
 * trends; turnaround percentiles; lab backlogs with their risk; slow sites; alerts; CSV export.
 *
 * <p>A read model: it reads the counters that the stages keep in their own transactions
 * ({@code site_sampling}, {@code stage_counts}, {@code turnaround_counts}) and a few indexed
 * state columns (open tubes, boxes in transport, pending lab tubes), never counts the day's
 * millions of rows per request (docs/adr/0010).
 */
package org.epiloop.dashboard;
