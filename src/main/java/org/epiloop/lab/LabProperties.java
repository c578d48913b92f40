package org.epiloop.lab;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Lab settings.
 *
 * @param autoReleaseNegativeRuns release without a second person a run whose controls passed
 *     and whose samples are all negative (auto-review, L4)
 */
@ConfigurationProperties("epiloop.lab")
record LabProperties(@DefaultValue("true") boolean autoReleaseNegativeRuns) {}
