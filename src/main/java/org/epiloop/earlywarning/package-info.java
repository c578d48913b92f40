/**
 * Early warning (D4): named, ordered rules evaluated per district and grid over the positives,
 * the fever-clinic visits and the declared fevers of the recent past — a cluster of positives, a
 * surge of fever-clinic visits against the district's own baseline, several declared fevers in
 * one grid. A rule that fires opens an episode with a readable reason and raises one alert for
 * it; the episode ends when the rule goes quiet. Also the heat data of the command-centre map:
 * positives, fever-clinic visits and declared fevers by district or grid and day.
 */
package org.epiloop.earlywarning;
