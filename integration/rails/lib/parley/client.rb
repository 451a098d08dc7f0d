# frozen_string_literal: true

require "json"
require "net/http"
require "uri"
require_relative "errors"
require_relative "config"
require_relative "signature"
require_relative "version"

module Parley
  # The server API (protocol §2), called from the monolith over the chat service's internal admin
  # port. Every request is signed with the API secret; a non-2xx answer raises ApiError, a network
  # failure or timeout raises ConnectionError. Answers are the parsed JSON (Hashes with String keys).
  #
  # One short-lived HTTP connection per call, so an instance can be shared by every thread of a
  # Rails process without locking.
  class Client
    API_PREFIX = "/api/v1"

    def initialize(config = Parley.config, admin_url: config.admin_url, api_secret: config.api_secret,
                   open_timeout: config.open_timeout, read_timeout: config.read_timeout)
      raise ConfigError, "#{Config.env_name(:admin_url)} is required for the server API client" if admin_url.to_s.strip.empty?
      raise ConfigError, "#{Config.env_name(:api_secret)} is required for the server API client" if api_secret.to_s.empty?

      @base = URI(admin_url.to_s.chomp("/"))
      raise ConfigError, "#{Config.env_name(:admin_url)} must be an http(s) URL" unless @base.is_a?(URI::HTTP) && @base.host

      @secret = api_secret.to_s
      @open_timeout = open_timeout
      @read_timeout = read_timeout
    end

    # Posts a message to a room: a user message when `user` ({id:, name:}) is given, else a system
    # message. The same `ref` is de-duplicated by Parley, which makes a retry safe.
    # => {"id" => "...", "ts" => 1700000000000}
    def publish(room, text:, user: nil, meta: nil, ref: nil)
      body = { text: text }
      body[:user] = { id: (user[:id] || user["id"]).to_s, name: user[:name] || user["name"] }.compact if user
      body[:meta] = meta if meta
      body[:ref] = ref if ref
      post("#{room_path(room)}/messages", body)
    end

    # => {"room" => "r", "members" => [{"id" => "42", "name" => "Ada", "connections" => 2}]}
    def presence(room)
      get("#{room_path(room)}/presence")
    end

    # The retained history: after `since` (a message id), or the last `limit` messages.
    # => {"room" => "r", "messages" => [...], "complete" => true}
    def messages(room, since: nil, limit: nil)
      query = { since: since, limit: limit }.compact
      get("#{room_path(room)}/messages", query)
    end

    # Closes every connection of the user on every instance (close code 4403). With `revoke`, the
    # user's tokens issued before now are refused until they expire: call it on logout or ban.
    def disconnect(user_id, reason:, revoke: false)
      body = { reason: reason }
      body[:revoke] = true if revoke
      post("#{API_PREFIX}/users/#{escape(user_id)}/disconnect", body)
      true
    end

    # => {"connections" => n, "rooms" => n, "instances" => n}
    def stats
      get("#{API_PREFIX}/stats")
    end

    # Messages the monolith refused with a 4xx, each with "status" and "error".
    # => {"messages" => [...]}
    def dead_letters
      get("#{API_PREFIX}/dead-letters")
    end

    # Sends dead letters back to the history outbox: the given ids, or all of them.
    # => {"replayed" => n}
    def replay_dead_letters(ids = nil)
      post("#{API_PREFIX}/dead-letters/replay", ids.nil? ? {} : { ids: Array(ids).map(&:to_s) })
    end

    private

    def room_path(room)
      "#{API_PREFIX}/rooms/#{escape(room)}"
    end

    # Room names and user ids are one path segment each. Every byte outside A-Z a-z 0-9 _ . : ~ -
    # is percent-escaped, so a valid room name goes out as written (and signed as written), and an
    # invalid one reaches the API as one segment and gets its 400, never another route.
    def escape(segment)
      segment.to_s.b.gsub(/[^A-Za-z0-9_.:~-]/n) { |byte| format("%%%02X", byte.ord) }
    end

    def get(path, query = {})
      target = base_path + path
      target += "?#{URI.encode_www_form(query)}" unless query.empty?
      request(Net::HTTP::Get.new(target), "")
    end

    def post(path, payload)
      req = Net::HTTP::Post.new(base_path + path)
      req["Content-Type"] = "application/json"
      request(req, JSON.generate(payload))
    end

    # A base URL with a path (a proxy mounting Parley under /chat-admin) prefixes every target.
    def base_path
      @base.path.to_s
    end

    def request(req, body)
      req.body = body unless body.empty?
      req["Accept"] = "application/json"
      req["User-Agent"] = "parley-ruby/#{VERSION}"
      # req.path is the request target exactly as Net::HTTP writes it on the wire: what we sign.
      req[Signature::HEADER] = Signature.sign(@secret, req.method, req.path, body)
      handle(perform(req))
    end

    def perform(req)
      Net::HTTP.start(@base.host, @base.port, use_ssl: @base.scheme == "https",
                                              open_timeout: @open_timeout, read_timeout: @read_timeout,
                                              write_timeout: @read_timeout) do |http|
        http.request(req)
      end
    rescue Net::OpenTimeout, Net::ReadTimeout, Net::WriteTimeout, SystemCallError, IOError, SocketError,
           OpenSSL::SSL::SSLError, EOFError => e
      # The target, not the message: messages of some errors echo the request line.
      raise ConnectionError, "Parley server API #{req.method} #{req.path.split('?').first}: #{e.class.name}"
    end

    def handle(response)
      status = response.code.to_i
      parsed = parse(response.body)
      return parsed || {} if status.between?(200, 299)

      if parsed.is_a?(Hash) && parsed["error"]
        raise ApiError.new(status: status, code: parsed["error"], message: parsed["message"].to_s, body: parsed)
      end

      raise ApiError.new(status: status, code: "http_#{status}", message: response.body.to_s[0, 200], body: response.body)
    end

    def parse(text)
      return nil if text.nil? || text.strip.empty?

      JSON.parse(text)
    rescue JSON::ParserError
      nil
    end
  end
end
