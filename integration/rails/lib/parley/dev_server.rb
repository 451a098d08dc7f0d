# frozen_string_literal: true

require "uri"
require_relative "config"
require_relative "errors"

module Parley
  # Parley beside `rails server` on a developer's machine: the settings both sides share, derived
  # once, and the command that starts Parley with them (the generated bin/parley, run by
  # Procfile.dev as `chat: bin/parley`).
  module DevServer
    CHAT_URL = "http://localhost:8080"
    ADMIN_URL = "http://127.0.0.1:9090"
    RAILS_PORT = 3000
    EVENTS_PATH = "/chat/events"

    module_function

    # Fills what development needs and the environment did not set: the two URLs, and the three
    # secrets, derived from the app's secret_key_base (so they are stable, differ per app and are
    # never written down). For development and test only; production sets its own.
    def defaults!(config, app)
      config.chat_url ||= CHAT_URL
      config.admin_url ||= ADMIN_URL
      config.jwt_secret ||= derived(app, "jwt") if config.jwt_algorithm.start_with?("HS")
      config.api_secret ||= derived(app, "api")
      config.webhook_secrets = [derived(app, "webhook")] if config.webhook_secrets.empty?
      config
    end

    # The PARLEY_* variables for the Parley process, so that it agrees with this app's
    # configuration: its ports from the two URLs, the same secrets, history and events posted
    # back to the app on `rails_port`, and the app's own origins allowed. Variables already in
    # `env` win (say, PARLEY_ALLOWED_ORIGINS for another host name).
    def parley_env(config, rails_port: RAILS_PORT, env: ENV)
      unless config.jwt_algorithm.start_with?("HS")
        raise ConfigError, "bin/parley passes HS secrets only; for #{config.jwt_algorithm} set PARLEY_JWT_PUBLIC_KEYS yourself"
      end

      app = "127.0.0.1:#{Integer(rails_port)}"
      derived = {
        "PARLEY_PORT" => port_of(config.chat_url, :chat_url),
        "PARLEY_ADMIN_PORT" => port_of(config.admin_url, :admin_url),
        "PARLEY_JWT_SECRETS" => config.jwt_secret,
        "PARLEY_API_SECRETS" => config.api_secret,
        "PARLEY_MONOLITH_URL" => "http://#{app}",
        "PARLEY_MONOLITH_SECRET" => config.webhook_secrets.first,
        "PARLEY_MONOLITH_EVENTS_PATH" => EVENTS_PATH,
        "PARLEY_ALLOWED_ORIGINS" => "http://localhost:#{Integer(rails_port)},http://#{app}"
      }
      missing = derived.select { |_, value| value.to_s.empty? }.keys
      raise ConfigError, "cannot start Parley without #{missing.join(', ')}" unless missing.empty?

      derived.merge!({ "PARLEY_JWT_ISSUER" => config.jwt_issuer, "PARLEY_JWT_AUDIENCE" => config.jwt_audience }.compact)
      derived.merge(env.to_h.select { |name, value| derived.key?(name) && !value.to_s.strip.empty? })
    end

    # How to run Parley: a built jar (PARLEY_JAR=.../parley-chat.jar, run with $JAVA_HOME's java,
    # 21 or later) or a checkout (PARLEY_HOME=..., run as `$PARLEY_HOME/parley run`, which builds
    # it first).
    def command(env: ENV)
      if present?(env["PARLEY_JAR"])
        java = present?(env["JAVA_HOME"]) ? File.join(env["JAVA_HOME"], "bin", "java") : "java"
        [java, "-jar", env["PARLEY_JAR"]]
      elsif present?(env["PARLEY_HOME"])
        [File.join(env["PARLEY_HOME"], "parley"), "run"]
      else
        raise ConfigError, "set PARLEY_JAR to Parley's parley-chat.jar, or PARLEY_HOME to a Parley checkout"
      end
    end

    def derived(app, purpose)
      app.key_generator.generate_key("parley #{purpose} secret", 32).unpack1("H*")
    end

    def port_of(url, attr)
      uri = URI(url.to_s)
      raise ConfigError, "#{Config.env_name(attr)} must be an http(s) URL with a host" unless uri.is_a?(URI::HTTP) && uri.host

      uri.port.to_s
    rescue URI::InvalidURIError
      raise ConfigError, "#{Config.env_name(attr)} must be an http(s) URL with a host"
    end

    def present?(value)
      !value.to_s.strip.empty?
    end
  end
end
