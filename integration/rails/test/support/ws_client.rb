# frozen_string_literal: true

require "base64"
require "digest/sha1"
require "json"
require "securerandom"
require "socket"
require "uri"
require_relative "inbox"

# A minimal RFC 6455 client, enough to play the browser in the live tests: the opening handshake,
# masked text frames out, text/ping/close frames in (continuations reassembled), pongs answered.
# A reader thread feeds every JSON frame into #frames; a close frame or a dropped socket sets
# #close_code (1006 when the socket died without one).
class WsClient
  GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
  OPCODES = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xA }.freeze

  class HandshakeError < StandardError; end

  attr_reader :frames, :close_code, :close_reason

  # `base_url` is the chat service's public http(s) URL; the socket goes to its /ws.
  def self.connect(base_url, timeout: 10)
    new(URI.join(base_url.to_s.sub(%r{/?\z}, "/"), "ws"), timeout)
  end

  def initialize(uri, timeout)
    raise ArgumentError, "only plain ws:// (http://) URLs on a test network" unless uri.scheme == "http"

    @socket = Socket.tcp(uri.host, uri.port, connect_timeout: timeout)
    @write_lock = Mutex.new
    @frames = Inbox.new
    @closed = Inbox.new
    handshake(uri, timeout)
    @reader = Thread.new { read_loop }
  end

  def send_json(payload)
    send_frame(:text, JSON.generate(payload))
  end

  # The next frame (a Hash) after the ones already taken; nil if none arrives within `timeout`.
  def next_frame(timeout: 10)
    frames.shift(timeout: timeout)
  end

  # Skips frames until one matches; nil if none arrives within `timeout`.
  def await(timeout: 10)
    loop do
      frame = next_frame(timeout: timeout)
      return nil if frame.nil?
      return frame if yield(frame)
    end
  end

  # Waits for the connection to close; returns the close code (nil if still open at the deadline).
  def await_close(timeout: 10)
    @closed.find(timeout: timeout) { true }
  end

  def close(code = 1000)
    send_frame(:close, [code].pack("n")) unless @close_code
  rescue IOError, SystemCallError
    nil
  ensure
    await_close(timeout: 2)
    @socket.close unless @socket.closed?
    @reader.join(2)
  end

  private

  def handshake(uri, timeout)
    key = Base64.strict_encode64(SecureRandom.random_bytes(16))
    @socket.write("GET #{uri.request_uri} HTTP/1.1\r\nHost: #{uri.host}:#{uri.port}\r\nUpgrade: websocket\r\n" \
                  "Connection: Upgrade\r\nSec-WebSocket-Key: #{key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
    head = read_head(timeout)
    status = head[/\AHTTP\/1\.1 (\d{3})/, 1]
    raise HandshakeError, "upgrade refused: #{head.lines.first&.strip}" unless status == "101"

    accept = head[/^sec-websocket-accept:\s*(\S+)/i, 1]
    expected = Base64.strict_encode64(Digest::SHA1.digest(key + GUID))
    raise HandshakeError, "bad Sec-WebSocket-Accept" unless accept == expected
  end

  # Reads byte by byte up to the blank line, so no frame byte is consumed with the headers.
  def read_head(timeout)
    head = +""
    until head.end_with?("\r\n\r\n")
      raise HandshakeError, "no handshake answer within #{timeout} s" unless @socket.wait_readable(timeout)

      byte = @socket.read(1)
      raise HandshakeError, "connection closed during the handshake" if byte.nil?

      head << byte
    end
    head
  end

  def send_frame(type, payload)
    data = payload.b
    mask = SecureRandom.random_bytes(4)
    header = [0x80 | OPCODES.fetch(type)].pack("C")
    header << if data.bytesize < 126
                [0x80 | data.bytesize].pack("C")
              elsif data.bytesize < 65_536
                [0x80 | 126, data.bytesize].pack("Cn")
              else
                [0x80 | 127, data.bytesize].pack("CQ>")
              end
    masked = data.bytes.each_with_index.map { |byte, i| byte ^ mask.getbyte(i % 4) }.pack("C*")
    @write_lock.synchronize { @socket.write(header + mask + masked) }
  end

  def read_loop
    message = nil
    loop do
      fin, opcode, payload = read_frame
      case opcode
      when OPCODES[:text], OPCODES[:continuation]
        message = opcode == OPCODES[:text] ? payload : (message || +"") + payload
        next unless fin

        @frames << JSON.parse(message.force_encoding(Encoding::UTF_8))
        message = nil
      when OPCODES[:ping]
        send_frame(:pong, payload)
      when OPCODES[:close]
        finish(payload.bytesize >= 2 ? payload.unpack1("n") : 1005, payload.byteslice(2..).to_s.force_encoding(Encoding::UTF_8))
        begin
          send_frame(:close, payload.byteslice(0, 2).to_s)
        rescue IOError, SystemCallError
          nil
        end
        return
      end
    end
  rescue EOFError, IOError, SystemCallError
    finish(1006, "connection dropped")
  end

  def read_frame
    b0, b1 = read_exactly(2).unpack("CC")
    length = b1 & 0x7F
    length = read_exactly(2).unpack1("n") if length == 126
    length = read_exactly(8).unpack1("Q>") if length == 127
    mask = (b1 & 0x80).zero? ? nil : read_exactly(4)
    payload = length.zero? ? +"" : read_exactly(length)
    payload = payload.bytes.each_with_index.map { |byte, i| byte ^ mask.getbyte(i % 4) }.pack("C*") if mask
    [(b0 & 0x80) != 0, b0 & 0x0F, payload]
  end

  def read_exactly(n)
    data = @socket.read(n)
    raise EOFError, "socket closed" if data.nil? || data.bytesize < n

    data
  end

  def finish(code, reason)
    return if @close_code

    @close_code = code
    @close_reason = reason
    @closed << code
  end
end
