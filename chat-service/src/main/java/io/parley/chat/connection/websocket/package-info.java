/**
 * RFC 6455 on Helidon's HTTP/1 upgrade SPI: the handshake, frame reading with every check the RFC asks of a server,
 * message assembly from bytes, and one writer per socket. Parley owns this layer (instead of Helidon's WebSocket
 * module) so that the end of a socket always reaches the application, a decided close always cuts the TCP connection,
 * and fan-out writes pre-encoded payloads. Knows nothing of chat: {@link
 * io.parley.chat.connection.websocket.SocketHandler} is the seam to the protocol logic.
 */
package io.parley.chat.connection.websocket;
