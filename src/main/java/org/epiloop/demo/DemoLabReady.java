package org.epiloop.demo;

/**
 * Published on every start of the demo city, after its seed, for its lab: modules that keep a
 * lab's own records (quality, environment) seed their demo part when the lab has none yet, so a
 * fresh demo's lab director page is not empty and a demo city seeded before those modules existed
 * gets them too. The demo module names no such module (they depend on it, not it on them).
 *
 * @param labCode the demo lab
 */
public record DemoLabReady(String labCode) {}
