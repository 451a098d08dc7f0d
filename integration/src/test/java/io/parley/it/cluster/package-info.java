/**
 * Several Parley instances acting as one through a real {@code redis-server}: conversations, resumes and presence
 * across instances, and the faults a cluster must survive (an instance killed with SIGKILL, Redis killed and
 * restarted, Redis paused). Instances run in-process ({@code ParleyServer.start}) or, when they must die with
 * SIGKILL, as child JVMs ({@code io.parley.chat.Main}).
 */
package io.parley.it.cluster;
