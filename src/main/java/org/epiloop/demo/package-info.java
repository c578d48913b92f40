/**
 * Demo city: on first start (unless {@code EPILOOP_DEMO=false}) seeds districts, sites, a
 * lab, staff accounts and a few residents through the modules' own services, and prints
 * where to open Epiloop and how to log in.
 */
package org.epiloop.demo;
