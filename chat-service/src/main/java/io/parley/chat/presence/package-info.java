/**
 * The {@link io.parley.chat.presence.PresenceStore} port: who is in which room across the cluster, counted per user
 * so that several tabs are one member; memory and Redis implementations, chosen by the composition root.
 */
package io.parley.chat.presence;
