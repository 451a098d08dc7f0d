# frozen_string_literal: true

require "json"
require "net/http"
require "uri"
require_relative "errors"
require_relative "config"
require_relative "signature"
require_relative "signer"
require_relative "users"
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
    # The largest page the history endpoint returns.
    MAX_PAGE = 1000

    def initialize(config = Parley.config, admin_url: config.admin_url, api_secret: config.api_secret,
                   open_timeout: config.open_timeout, read_timeout: config.read_timeout, retries: config.retries,
                   signer: nil)
      raise ConfigError, "#{Config.env_name(:admin_url)} is required for the server API client" if admin_url.to_s.strip.empty?
      raise ConfigError, "#{Config.env_name(:api_secret)} is required for the server API client" if api_secret.to_s.empty?

      @base = URI(admin_url.to_s.chomp("/"))
      raise ConfigError, "#{Config.env_name(:admin_url)} must be an http(s) URL" unless @base.is_a?(URI::HTTP) && @base.host

      @signer = signer || Signer.new(api_secret.to_s)
      @open_timeout = open_timeout
      @read_timeout = read_timeout
      @retries = retries
    end

    # Posts a message to a room: a user message when `user` is given (a model or any object with
    # #id and #name, or a Hash {id:, name:}), else a system message. The same `ref` is
    # de-duplicated by Parley, which makes a retry safe: with a `ref`, a publish that could not
    # reach Parley is tried again (signed again) up to `retries` times.
    # => {"id" => "...", "ts" => 1700000000000}
    def publish(room, text:, user: nil, meta: nil, ref: nil)
      body = { text: text }
      body[:user] = Users.wire(user) if user
      body[:meta] = meta if meta
      body[:ref] = ref.to_s if ref
      post("#{room_path(room)}/messages", body, retry_on_connection_error: !ref.nil?)
    end

    # => {"room" => "r", "members" => [{"id" => "42", "name" => "Ada", "connections" => 2}]}
    def presence(room)
      get("#{room_path(room)}/presence")
    end

    # One page of the retained history: after `since` (a message id), or the last `limit`
    # messages. `complete` is false when messages after `since` were lost to retention; `more` is
    # true when messages after this page exist (page on with the last id, or use #each_message).
    # => {"room" => "r", "messages" => [...], "complete" => true, "more" => false}
    def messages(room, since: nil, limit: nil)
      query = { since: since, limit: limit }.compact
      get("#{room_path(room)}/messages", query)
    end

    # Every retained message after `since`, oldest first, fetched page by page while Parley says
    # there is `more`. Without a block, an Enumerator.
    def each_message(room, since:, page_size: MAX_PAGE, &block)
      return enum_for(:each_message, room, since: since, page_size: page_size) unless block

      cursor = since
      loop do
        page = messages(room, since: cursor, limit: page_size)
        batch = page.fetch("messages", [])
        batch.each(&block)
        break unless page["more"] && !batch.empty?

        cursor = batch.last.fetch("id")
      end
    end

    # Closes every connection of the user on every instance (close code 4403). With `revoke`, the
    # user's tokens issued before now are refused until they expire: call it on logout or ban.
    # Never retried by the client: a repeated revocation would also refuse tokens issued between
    # the two calls.
    def disconnect(user, reason:, revoke: false)
      body = { reason: reason }
      body[:revoke] = true if revoke
      post("#{API_PREFIX}/users/#{escape(Users.id_of(user))}/disconnect", body)
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

    # Reads change nothing, so they are tried again when Parley could not be reached.
    def get(path, query = {})
      target = base_path + path
      target += "?#{URI.encode_www_form(query)}" unless query.empty?
      call(Net::HTTP::Get, target, "", retry_on_connection_error: true)
    end

    def post(path, payload, retry_on_connection_error: false)
      call(Net::HTTP::Post, base_path + path, JSON.generate(payload), retry_on_connection_error: retry_on_connection_error)
    end

    # A base URL with a path (a proxy mounting Parley under /chat-admin) prefixes every target.
    def base_path
      @base.path.to_s
    end

    # Every attempt is a new request with a new signature: Parley refuses a signature it has seen.
    # A request refused as a replay (another process sent an identical one in the same second)
    # did nothing, so it is always tried again.
    def call(request_class, target, body, retry_on_connection_error:)
      attempt = 0
      begin
        attempt += 1
        handle(perform(build(request_class, target, body)))
      rescue ConnectionError
        raise unless retry_on_connection_error && attempt <= @retries

        retry
      rescue ApiError => e
        raise unless e.replayed? && attempt <= @retries

        retry
      end
    end

    def build(request_class, target, body)
      req = request_class.new(target)
      unless body.empty?
        req.body = body
        req["Content-Type"] = "application/json"
      end
      req["Accept"] = "application/json"
      req["User-Agent"] = "parley-rails/#{VERSION}"
      # req.path is the request target exactly as Net::HTTP writes it on the wire: what we sign.
      req[Signature::HEADER] = @signer.sign(req.method, req.path, body)
      req
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
