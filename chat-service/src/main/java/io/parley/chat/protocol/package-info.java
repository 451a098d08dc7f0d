/**
 * The WebSocket wire format, and only here: client frames as sealed records, server frames as sealed records, and
 * the codec between them and JSON text. Nothing outside this package builds or parses frame JSON.
 */
package io.parley.chat.protocol;
