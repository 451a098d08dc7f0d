# frozen_string_literal: true

require_relative "test_helper"

# bin/parley: Parley started beside `rails server` with settings that agree with the app's.
class DevServerTest < Minitest::Test
  include ParleyTestHelpers

  def config(**values)
    Parley::Config.new(chat_url: "http://localhost:8080", admin_url: "http://127.0.0.1:9090", jwt_secret: HMAC_SECRET,
                       api_secret: "api-secret-0123456789abcdef01234", webhook_secrets: "hook-secret-0123456789abcdef0123,old",
                       **values)
  end

  def test_parley_gets_the_apps_ports_secrets_and_origins
    env = Parley::DevServer.parley_env(config, rails_port: 3001, env: {})
    assert_equal({ "PARLEY_PORT" => "8080", "PARLEY_ADMIN_PORT" => "9090", "PARLEY_JWT_SECRETS" => HMAC_SECRET,
                   "PARLEY_API_SECRETS" => "api-secret-0123456789abcdef01234",
                   "PARLEY_MONOLITH_URL" => "http://127.0.0.1:3001",
                   "PARLEY_MONOLITH_SECRET" => "hook-secret-0123456789abcdef0123",
                   "PARLEY_MONOLITH_EVENTS_PATH" => "/chat/events",
                   "PARLEY_ALLOWED_ORIGINS" => "http://localhost:3001,http://127.0.0.1:3001" }, env)
  end

  def test_issuer_and_audience_go_along_and_the_environment_wins
    env = Parley::DevServer.parley_env(config(jwt_issuer: "app", jwt_audience: "chat"), rails_port: "3000",
                                       env: { "PARLEY_ALLOWED_ORIGINS" => "http://dev.test:3000", "HOME" => "/root" })
    assert_equal %w[app chat], env.values_at("PARLEY_JWT_ISSUER", "PARLEY_JWT_AUDIENCE")
    assert_equal "http://dev.test:3000", env["PARLEY_ALLOWED_ORIGINS"]
    refute env.key?("HOME"), "only Parley's own variables are passed"
  end

  def test_missing_or_unusable_settings_are_named
    assert_match(/PARLEY_API_SECRETS/, assert_raises(Parley::ConfigError) { Parley::DevServer.parley_env(config(api_secret: nil), env: {}) }.message)
    assert_match(/PARLEY_CHAT_URL/, assert_raises(Parley::ConfigError) { Parley::DevServer.parley_env(config(chat_url: "nonsense"), env: {}) }.message)
    assert_match(/PUBLIC_KEYS/, assert_raises(Parley::ConfigError) { Parley::DevServer.parley_env(config(jwt_algorithm: "ES256"), env: {}) }.message)
  end

  def test_the_command_runs_a_jar_or_a_checkout
    assert_equal ["/jdk/bin/java", "-jar", "/p/parley-chat.jar"],
                 Parley::DevServer.command(env: { "PARLEY_JAR" => "/p/parley-chat.jar", "JAVA_HOME" => "/jdk" })
    assert_equal ["java", "-jar", "/p/parley-chat.jar"], Parley::DevServer.command(env: { "PARLEY_JAR" => "/p/parley-chat.jar" })
    assert_equal ["/src/parley/parley", "run"], Parley::DevServer.command(env: { "PARLEY_HOME" => "/src/parley" })
    assert_match(/PARLEY_JAR.*PARLEY_HOME/, assert_raises(Parley::ConfigError) { Parley::DevServer.command(env: {}) }.message)
  end

  def test_development_defaults_are_derived_from_the_app_and_never_override
    filled = Parley::DevServer.defaults!(Parley::Config.new, Rails.application)
    assert_equal ["http://localhost:8080", "http://127.0.0.1:9090"], [filled.chat_url, filled.admin_url]
    secrets = [filled.jwt_secret, filled.api_secret, filled.webhook_secrets.first]
    assert_equal 3, secrets.uniq.size, "one secret per channel"
    secrets.each { |s| assert_match(/\A\h{64}\z/, s) }
    assert_equal secrets, Parley::DevServer.defaults!(Parley::Config.new, Rails.application)
                                           .then { |c| [c.jwt_secret, c.api_secret, c.webhook_secrets.first] },
                 "stable: rails server and bin/parley derive the same values"
    Parley::TokenIssuer.new(filled).issue(user_id: 1, name: "a") # long enough for HS256

    own = Parley::DevServer.defaults!(config, Rails.application)
    assert_equal [HMAC_SECRET, "http://localhost:8080"], [own.jwt_secret, own.chat_url]
    assert_equal ["hook-secret-0123456789abcdef0123", "old"], own.webhook_secrets
  end
end
