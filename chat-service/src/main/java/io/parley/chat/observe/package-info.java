/**
 * Operations: the service's own metrics (names in one place), the log format and the admin access log. Used from
 * every layer; it depends only on the pure parts ({@code config}, {@code protocol}).
 */
package io.parley.chat.observe;
