/** The Ruby monolith kit run against a real Parley instance: the Rails side of the integration, proven end to end. */
package io.parley.it.rails;
