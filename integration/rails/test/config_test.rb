# frozen_string_literal: true

require_relative "test_helper"
require "tempfile"

class ConfigTest < Minitest::Test
  def test_defaults
    config = Parley::Config.new
    assert_equal "HS256", config.jwt_algorithm
    assert_equal 3600, config.token_ttl
    assert_equal 300, config.signature_tolerance
    assert_equal [], config.webhook_secrets
    assert_nil config.admin_url
  end

  def test_reads_every_variable_from_the_environment
    env = {
      "PARLEY_CHAT_URL" => "https://chat.example.com",
      "PARLEY_ADMIN_URL" => "http://parley-admin:9090",
      "PARLEY_JWT_ALGORITHM" => "es256",
      "PARLEY_JWT_SECRET" => "s" * 32,
      "PARLEY_JWT_PRIVATE_KEY" => "-----BEGIN PRIVATE KEY-----",
      "PARLEY_JWT_KEY_ID" => "2025-01",
      "PARLEY_JWT_ISSUER" => "https://app.example.com",
      "PARLEY_JWT_AUDIENCE" => "parley",
      "PARLEY_TOKEN_TTL" => "15m",
      "PARLEY_API_SECRET" => "a" * 32,
      "PARLEY_WEBHOOK_SECRETS" => " new-secret , old-secret ,",
      "PARLEY_SIGNATURE_TOLERANCE" => "60",
      "PARLEY_HTTP_OPEN_TIMEOUT" => "500ms",
      "PARLEY_HTTP_READ_TIMEOUT" => "3s",
      "PARLEY_HTTP_RETRIES" => "2"
    }
    config = Parley::Config.from_env(env)
    assert_equal "https://chat.example.com", config.chat_url
    assert_equal "http://parley-admin:9090", config.admin_url
    assert_equal "ES256", config.jwt_algorithm
    assert_equal "s" * 32, config.jwt_secret
    assert_equal "-----BEGIN PRIVATE KEY-----", config.jwt_private_key
    assert_equal "2025-01", config.jwt_key_id
    assert_equal "https://app.example.com", config.jwt_issuer
    assert_equal "parley", config.jwt_audience
    assert_equal 900, config.token_ttl
    assert_equal "a" * 32, config.api_secret
    assert_equal %w[new-secret old-secret], config.webhook_secrets
    assert_equal 60, config.signature_tolerance
    assert_in_delta 0.5, config.open_timeout
    assert_in_delta 3.0, config.read_timeout
    assert_equal 2, config.retries
  end

  def test_retries_are_a_whole_number
    assert_equal 1, Parley::Config.new.retries
    assert_equal 0, Parley::Config.new(retries: "0").retries
    %w[-1 two 1.5].each do |bad|
      assert_match(/PARLEY_HTTP_RETRIES/, assert_raises(Parley::ConfigError) { Parley::Config.new(retries: bad) }.message)
    end
  end

  def test_blank_variables_count_as_unset
    config = Parley::Config.from_env({ "PARLEY_JWT_ALGORITHM" => " ", "PARLEY_TOKEN_TTL" => "" })
    assert_equal "HS256", config.jwt_algorithm
    assert_equal 3600, config.token_ttl
  end

  def test_keywords_override_the_environment
    config = Parley::Config.from_env({ "PARLEY_TOKEN_TTL" => "60" }, token_ttl: 120)
    assert_equal 120, config.token_ttl
  end

  def test_reads_the_private_key_from_a_file
    Tempfile.create("parley-key") do |file|
      file.write("PEM TEXT")
      file.flush
      assert_equal "PEM TEXT", Parley::Config.from_env({ "PARLEY_JWT_PRIVATE_KEY_FILE" => file.path }).jwt_private_key
      inline = Parley::Config.from_env({ "PARLEY_JWT_PRIVATE_KEY_FILE" => file.path, "PARLEY_JWT_PRIVATE_KEY" => "INLINE" })
      assert_equal "INLINE", inline.jwt_private_key
    end
  end

  def test_an_unreadable_key_file_names_the_variable
    error = assert_raises(Parley::ConfigError) do
      Parley::Config.from_env({ "PARLEY_JWT_PRIVATE_KEY_FILE" => "/nonexistent/parley.pem" })
    end
    assert_match(/PARLEY_JWT_PRIVATE_KEY_FILE/, error.message)
  end

  def test_durations
    assert_equal 90, Parley::Config.new(token_ttl: "90").token_ttl
    assert_equal 90, Parley::Config.new(token_ttl: "90s").token_ttl
    assert_equal 7200, Parley::Config.new(token_ttl: "2h").token_ttl
    assert_equal 1, Parley::Config.new(token_ttl: "500ms").token_ttl
    assert_equal 45, Parley::Config.new(token_ttl: 45).token_ttl
  end

  def test_a_bad_duration_names_the_variable
    %w[soon -5 0 1d].each do |bad|
      error = assert_raises(Parley::ConfigError, bad) { Parley::Config.from_env({ "PARLEY_TOKEN_TTL" => bad }) }
      assert_match(/PARLEY_TOKEN_TTL/, error.message)
    end
  end

  def test_webhook_secrets_from_an_array
    assert_equal %w[a b], Parley::Config.new(webhook_secrets: ["a", nil, " b "]).webhook_secrets
  end

  def test_unknown_settings_are_refused
    assert_raises(ArgumentError) { Parley::Config.new(jwt_secrets: "x") }
  end

  def test_inspect_hides_secrets
    config = Parley::Config.new(jwt_secret: "jwt-secret-value", api_secret: "api-secret-value",
                                webhook_secrets: ["hook-secret-value"], admin_url: "http://a:9090")
    [config.inspect, config.to_s].each do |text|
      refute_match(/secret-value/, text)
      assert_match(/admin_url="http:\/\/a:9090"/, text)
      assert_match(/\[FILTERED\]/, text)
    end
  end
end

class ParleyModuleTest < Minitest::Test
  def teardown
    Parley.reset!(config: true)
  end

  def test_configure_adjusts_the_shared_config_and_rebuilds_shared_parts
    Parley.config = Parley::Config.new(jwt_secret: "a" * 32)
    first = Parley.token_issuer
    assert_same first, Parley.token_issuer
    Parley.configure { |c| c.jwt_secret = "b" * 32 }
    refute_same first, Parley.token_issuer
    token = Parley.token_issuer.issue(user_id: 1, name: nil)
    assert JWT.decode(token, "b" * 32, true, algorithm: "HS256")
  end
end
