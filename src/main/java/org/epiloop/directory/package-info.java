/**
 * Directory (S1): districts, sampling sites with coordinates, and labs with their daily
 * capacity. Other modules read it through {@link org.epiloop.directory.Directory}.
 */
package org.epiloop.directory;
