package org.epiloop.dashboard;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Thresholds of the command centre's computed alerts and the screen's refresh.
 *
 * @param backlogGrace a lab's backlog only alarms once its oldest pending tube waited this long
 * @param slowFraction a site is slow when its last hour is below this share of its peers' median
 * @param slowMinMedian SITE_SLOW needs the peers' median last hour to be at least this
 * @param slowMinPeers SITE_SLOW needs at least this many sites sampling in the last hour
 * @param refresh how often the screen asks for new figures
 * @param snapshotMaxAge a view is computed at most this often, however many screens ask; older
 *     snapshots are refreshed behind the requests (0 = compute on every request)
 * @param snapshotStaleLimit a snapshot older than this (nobody looked for a while) is never
 *     served; the request waits for fresh figures
 */
@ConfigurationProperties("epiloop.dashboard")
record DashboardProperties(
    @DefaultValue("30m") Duration backlogGrace,
    @DefaultValue("0.3") double slowFraction,
    @DefaultValue("10") int slowMinMedian,
    @DefaultValue("3") int slowMinPeers,
    @DefaultValue("5s") Duration refresh,
    @DefaultValue("3s") Duration snapshotMaxAge,
    @DefaultValue("60s") Duration snapshotStaleLimit) {}
