/**
 * Typed configuration. Defaults live in {@code application.yaml}; every key can be overridden by an environment
 * variable named by one rule ({@code parley.presence.ttl} -> {@code PARLEY_PRESENCE_TTL}). A bad value stops the
 * start with one line that names the variable.
 */
package io.parley.chat.config;
