# frozen_string_literal: true

require "jwt"
require "openssl"
require "securerandom"
require_relative "errors"
require_relative "config"

module Parley
  # Mints the tokens a browser presents to Parley in its `auth` frame (protocol §1).
  #
  #   issuer = Parley::TokenIssuer.new(config)
  #   issuer.issue(user_id: 42, name: "Ada", rooms: ["lobby", "team-7:*"])
  #
  # The claims: `sub` (the user id as a string), `name` (at most 64 characters), `rooms` (when
  # given: the rooms the user may join, an entry ending in `*` being a prefix; when nil, Parley's
  # default room policy decides), `iat`, `exp`, a random `jti`, and `iss`/`aud` when configured.
  class TokenIssuer
    # HMAC secrets must be at least as long as the hash (Parley, through jjwt, refuses shorter ones).
    HMAC_MIN_BYTES = { "HS256" => 32, "HS384" => 48, "HS512" => 64 }.freeze
    ASYMMETRIC = %w[RS256 ES256].freeze
    RSA_MIN_BITS = 2048
    NAME_LIMIT = 64
    ROOM_ENTRY = /\A(?:[A-Za-z0-9_.:-]{1,64}|[A-Za-z0-9_.:-]{0,63}\*)\z/

    attr_reader :algorithm, :key_id

    def initialize(config = Parley.config)
      @config = config
      @algorithm = config.jwt_algorithm
      @signing_key = load_signing_key
      @key_id = config.jwt_key_id || (asymmetric? ? thumbprint : nil)
    end

    def issue(user_id:, name:, rooms: nil, ttl: nil, now: Time.now)
      sub = user_id.to_s
      raise ArgumentError, "user_id is required" if user_id.nil? || sub.strip.empty?

      iat = now.to_i
      claims = { "sub" => sub, "iat" => iat, "exp" => iat + Config.seconds(ttl || @config.token_ttl, :token_ttl), "jti" => SecureRandom.uuid }
      claims["name"] = name.to_s[0, NAME_LIMIT] unless name.nil? || name.to_s.empty?
      claims["rooms"] = room_claim(rooms) unless rooms.nil?
      claims["iss"] = @config.jwt_issuer if @config.jwt_issuer
      claims["aud"] = @config.jwt_audience if @config.jwt_audience

      headers = @key_id ? { kid: @key_id } : {}
      JWT.encode(claims, @signing_key, @algorithm, headers)
    end

    # The public half of the signing key as a JWKS document, for an app that serves its own
    # `/.well-known/jwks.json` and points PARLEY_JWKS_URL at it. Pass the public keys that are
    # still valid (the previous one during a rotation, the next one before it) as `also`.
    def jwks(also: [])
      raise ConfigError, "a JWKS is for RS256/ES256 keys; #{@algorithm} uses a shared secret, never publish it" unless asymmetric?

      keys = [jwk(@signing_key, @key_id)] + Array(also).map { |pem| jwk(read_key(pem, "jwks(also:)"), nil) }
      { "keys" => keys.uniq { |k| k["kid"] } }
    end

    def asymmetric?
      ASYMMETRIC.include?(@algorithm)
    end

    private

    def room_claim(rooms)
      Array(rooms).map do |room|
        entry = room.to_s
        raise ArgumentError, "#{entry.inspect} is not a room name (A-Z a-z 0-9 _ . : -, at most 64) or a prefix ending in *" unless ROOM_ENTRY.match?(entry)

        entry
      end
    end

    def load_signing_key
      if HMAC_MIN_BYTES.key?(@algorithm)
        hmac_secret
      elsif asymmetric?
        private_key
      else
        raise ConfigError, "#{Config.env_name(:jwt_algorithm)}: #{@algorithm.inspect} is not one of #{(HMAC_MIN_BYTES.keys + ASYMMETRIC).join(', ')}"
      end
    end

    def hmac_secret
      secret = @config.jwt_secret.to_s
      min = HMAC_MIN_BYTES.fetch(@algorithm)
      raise ConfigError, "#{Config.env_name(:jwt_secret)} is required for #{@algorithm}" if secret.empty?
      raise ConfigError, "#{Config.env_name(:jwt_secret)} must be at least #{min} bytes for #{@algorithm}" if secret.bytesize < min

      secret
    end

    def private_key
      source = @config.jwt_private_key
      env = "#{Config.env_name(:jwt_private_key)} (or #{Config::PRIVATE_KEY_FILE_ENV})"
      raise ConfigError, "#{env} is required for #{@algorithm}" if source.nil? || source.to_s.strip.empty?

      key = read_key(source, env)
      check_key(key, env)
      key
    end

    def read_key(source, env)
      return source if source.is_a?(OpenSSL::PKey::PKey)

      OpenSSL::PKey.read(source.to_s)
    rescue OpenSSL::PKey::PKeyError, ArgumentError
      raise ConfigError, "#{env}: not a PEM key"
    end

    def check_key(key, env)
      case @algorithm
      when "RS256"
        raise ConfigError, "#{env}: RS256 needs an RSA private key" unless key.is_a?(OpenSSL::PKey::RSA) && key.private?
        raise ConfigError, "#{env}: RS256 needs an RSA key of at least #{RSA_MIN_BITS} bits" if key.n.num_bits < RSA_MIN_BITS
      when "ES256"
        unless key.is_a?(OpenSSL::PKey::EC) && key.private_key? && key.group.curve_name == "prime256v1"
          raise ConfigError, "#{env}: ES256 needs an EC P-256 private key"
        end
      end
    end

    def jwk(key, kid)
      exported = JWT::JWK.new(key, kid: kid || thumbprint_of(key)).export # public members only
      exported.transform_keys(&:to_s).merge("use" => "sig", "alg" => alg_for(key))
    end

    def alg_for(key)
      key.is_a?(OpenSSL::PKey::RSA) ? "RS256" : "ES256"
    end

    # RFC 7638 thumbprint: a kid that changes exactly when the key does.
    def thumbprint
      thumbprint_of(@signing_key)
    end

    def thumbprint_of(key)
      JWT::JWK::Thumbprint.new(JWT::JWK.new(key)).generate
    end
  end
end
