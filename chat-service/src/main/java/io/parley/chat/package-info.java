/**
 * The composition root, and nothing else: {@link io.parley.chat.Main} reads the environment and starts one
 * {@link io.parley.chat.ParleyServer}, which builds the instance in dependency order (socket count, adapters, core,
 * edges, web server); {@code Adapters} picks the implementations of the ports by name and owns the clients they
 * share; {@code ParleyRouting} holds the routes of the public and admin ports.
 *
 * <p>No other package imports this one. The dependency rule (edges, then core, then ports, then pure parts) is
 * written down in the README's "Architecture" section and checked by {@code ArchitectureTest}.
 */
package io.parley.chat;
