# frozen_string_literal: true

require "openssl"
require_relative "errors"

module Parley
  # The Parley-Signature scheme (protocol §4), used in both directions: the monolith signs its
  # server API calls, Parley signs its history and event posts.
  #
  #   Parley-Signature: t=<unix seconds>,v1=<hex>
  #   hex = HMAC-SHA256(secret, "#{t}.#{METHOD}.#{path_and_query}.#{body}")
  #
  # `path_and_query` is the request target exactly as sent (`/api/v1/rooms/r/messages?limit=5`),
  # the body is the raw bytes (empty for GET). Signing the method and target as well as the body
  # means a captured signature cannot be replayed against another endpoint.
  module Signature
    HEADER = "Parley-Signature"
    # Receivers refuse a `t` further than this from their clock, in either direction.
    TOLERANCE = 300
    SCHEME = "v1"

    module_function

    # Returns the header value for a request. `time` is a Time or unix seconds.
    def sign(secret, method, path_and_query, body, time = Time.now)
      t = time.to_i
      "t=#{t},#{SCHEME}=#{hex(secret, t, method, path_and_query, body)}"
    end

    # Returns true when `header` carries a v1 signature made with one of `secrets` (two during a
    # rotation) at a time within `tolerance` seconds of `now`; raises SignatureError otherwise.
    def verify(header, method, path_and_query, body, secrets:, tolerance: TOLERANCE, now: Time.now)
      keys = Array(secrets).compact.map(&:to_s).reject(&:empty?)
      raise ArgumentError, "no secret to verify Parley signatures with" if keys.empty?

      t, candidates = parse(header)
      if (now.to_i - t).abs > tolerance
        raise SignatureError.new(:stale, "signature timestamp is more than #{tolerance} s away from this clock")
      end

      expected = keys.map { |key| hex(key, t, method, path_and_query, body) }
      # Compare every pair, without stopping at the first match, so timing says nothing about
      # which secret or which candidate matched.
      matched = expected.product(candidates).map { |want, got| secure_compare(want, got) }.any?
      raise SignatureError.new(:mismatch, "signature does not match") unless matched

      true
    end

    # Splits `t=...,v1=...` into the timestamp and the v1 values (several are allowed, so a sender
    # in the middle of a rotation may sign with both secrets). Unknown schemes are ignored.
    def parse(header)
      raise SignatureError.new(:missing, "#{HEADER} header is missing") if header.nil? || header.strip.empty?

      pairs = header.split(",").map { |part| part.strip.split("=", 2) }
      t_values = pairs.select { |k, _| k == "t" }.map { |_, v| v.to_s }
      candidates = pairs.select { |k, v| k == SCHEME && !v.to_s.empty? }.map(&:last)
      unless t_values.size == 1 && t_values.first.match?(/\A\d{1,12}\z/) && !candidates.empty?
        raise SignatureError.new(:malformed, "#{HEADER} header is not t=<unix seconds>,#{SCHEME}=<hex>")
      end

      [Integer(t_values.first, 10), candidates]
    end

    def hex(secret, t, method, path_and_query, body)
      # Concatenate as bytes: the body may be binary or UTF-8 and must be signed exactly as sent.
      payload = String.new(encoding: Encoding::BINARY)
      payload << t.to_s << "." << method.to_s.upcase.b << "." << path_and_query.to_s.b << "." << body.to_s.b
      OpenSSL::HMAC.hexdigest("SHA256", secret.to_s, payload)
    end

    # Constant-time comparison of two strings of any length.
    def secure_compare(a, b)
      return OpenSSL.secure_compare(a, b) if OpenSSL.respond_to?(:secure_compare)

      # Older openssl gems: hash both sides first so lengths match, then compare every byte.
      da = OpenSSL::Digest::SHA256.digest(a)
      db = OpenSSL::Digest::SHA256.digest(b)
      diff = 0
      da.bytes.zip(db.bytes) { |x, y| diff |= x ^ y }
      diff.zero? && a == b
    end
  end
end
