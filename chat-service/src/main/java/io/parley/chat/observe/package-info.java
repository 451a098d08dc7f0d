/** Operations: the service's own metrics (names in one place) and its health checks. */
package io.parley.chat.observe;
