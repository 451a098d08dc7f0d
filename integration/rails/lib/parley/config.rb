# frozen_string_literal: true

require "openssl"
require_relative "errors"
require_relative "signature"

module Parley
  # Everything the monolith needs to know about its Parley deployment. Build it from the
  # environment (Config.from_env), from keywords, or both:
  #
  #   Parley::Config.from_env(token_ttl: 900)
  #
  # Nothing is checked here beyond the shape of the values: each part checks what it needs when it
  # is built (the token issuer its key, the client its URL and secret, the verifier its secrets),
  # so an app that only issues tokens does not need an API secret.
  class Config
    # attribute => environment variable; the variable names are the ones the guide documents.
    ENV_NAMES = {
      chat_url: "PARLEY_CHAT_URL",
      admin_url: "PARLEY_ADMIN_URL",
      jwt_algorithm: "PARLEY_JWT_ALGORITHM",
      jwt_secret: "PARLEY_JWT_SECRET",
      jwt_private_key: "PARLEY_JWT_PRIVATE_KEY",
      jwt_key_id: "PARLEY_JWT_KEY_ID",
      jwt_issuer: "PARLEY_JWT_ISSUER",
      jwt_audience: "PARLEY_JWT_AUDIENCE",
      token_ttl: "PARLEY_TOKEN_TTL",
      api_secret: "PARLEY_API_SECRET",
      webhook_secrets: "PARLEY_WEBHOOK_SECRETS",
      signature_tolerance: "PARLEY_SIGNATURE_TOLERANCE",
      open_timeout: "PARLEY_HTTP_OPEN_TIMEOUT",
      read_timeout: "PARLEY_HTTP_READ_TIMEOUT",
      retries: "PARLEY_HTTP_RETRIES"
    }.freeze

    SECRET_ATTRS = %i[jwt_secret jwt_private_key api_secret webhook_secrets].freeze
    private_constant :SECRET_ATTRS

    # A PEM file path, read when PARLEY_JWT_PRIVATE_KEY (the PEM text itself) is not set.
    PRIVATE_KEY_FILE_ENV = "PARLEY_JWT_PRIVATE_KEY_FILE"

    DEFAULTS = {
      jwt_algorithm: "HS256",
      token_ttl: 3600,
      webhook_secrets: [],
      signature_tolerance: Signature::TOLERANCE,
      open_timeout: 2,
      read_timeout: 5,
      retries: 1
    }.freeze

    # Settings whose writers normalize the value (below); the others are stored as given.
    NORMALIZED = %i[jwt_algorithm token_ttl signature_tolerance open_timeout read_timeout retries webhook_secrets].freeze
    private_constant :NORMALIZED

    attr_reader(*ENV_NAMES.keys)
    attr_writer(*(ENV_NAMES.keys - NORMALIZED))

    def self.from_env(env = ENV, **overrides)
      values = ENV_NAMES.each_with_object({}) do |(attr, name), acc|
        raw = env[name]
        acc[attr] = raw unless raw.nil? || raw.strip.empty?
      end
      if !values.key?(:jwt_private_key) && (path = env[PRIVATE_KEY_FILE_ENV]) && !path.strip.empty?
        values[:jwt_private_key] = read_key_file(path)
      end
      new(**values, **overrides)
    end

    def self.read_key_file(path)
      File.read(path)
    rescue SystemCallError => e
      raise ConfigError, "#{PRIVATE_KEY_FILE_ENV}: cannot read the key file (#{e.class.name.split('::').last})"
    end

    def initialize(**values)
      unknown = values.keys - ENV_NAMES.keys
      raise ArgumentError, "unknown Parley setting(s): #{unknown.join(', ')}" unless unknown.empty?

      DEFAULTS.merge(values).each { |attr, value| public_send(:"#{attr}=", value) }
    end

    def jwt_algorithm=(value)
      @jwt_algorithm = value.to_s.strip.upcase
    end

    def token_ttl=(value)
      @token_ttl = Config.seconds(value, :token_ttl)
    end

    def signature_tolerance=(value)
      @signature_tolerance = Config.seconds(value, :signature_tolerance)
    end

    def open_timeout=(value)
      @open_timeout = Config.seconds(value, :open_timeout, fractional: true)
    end

    def read_timeout=(value)
      @read_timeout = Config.seconds(value, :read_timeout, fractional: true)
    end

    # How many times the client tries a request again (each time signed anew) when it may: a read
    # or a publish with a `ref` that could not reach Parley, or any request refused as a replay.
    def retries=(value)
      count = Integer(value.to_s, 10)
      raise ArgumentError if count.negative?

      @retries = count
    rescue ArgumentError
      raise ConfigError, "#{Config.env_name(:retries)}: #{value.inspect} is not a whole number of retries (0 or more)"
    end

    # Accepts an Array or a comma-separated String; two secrets during a rotation.
    def webhook_secrets=(value)
      list = value.is_a?(String) ? value.split(",") : Array(value)
      @webhook_secrets = list.map { |s| s.to_s.strip }.reject(&:empty?)
    end

    # Durations as the service writes them: 3600, "3600", "90s", "15m", "1h", "500ms".
    def self.seconds(value, attr, fractional: false)
      return value if value.is_a?(Numeric) && value.positive?

      match = value.to_s.strip.match(/\A(\d+(?:\.\d+)?)(ms|s|m|h)?\z/)
      raise ConfigError, "#{ENV_NAMES.fetch(attr)}: #{value.inspect} is not a duration such as 90, 90s, 15m or 1h" unless match

      scale = { "ms" => 0.001, "s" => 1, nil => 1, "m" => 60, "h" => 3600 }.fetch(match[2])
      amount = match[1].to_f * scale
      raise ConfigError, "#{ENV_NAMES.fetch(attr)} must be positive" unless amount.positive?

      fractional ? amount : amount.ceil
    end

    # The environment variable that feeds an attribute, for error messages.
    def self.env_name(attr)
      ENV_NAMES.fetch(attr)
    end

    # Secrets stay out of #inspect, so a config printed to a log or a console leaks nothing.
    def inspect
      shown = ENV_NAMES.keys.map do |attr|
        value = public_send(attr)
        value = "[FILTERED]" if SECRET_ATTRS.include?(attr) && !(value.nil? || value == [])
        "#{attr}=#{value.inspect}"
      end
      "#<#{self.class.name} #{shown.join(' ')}>"
    end
    alias to_s inspect
  end
end
