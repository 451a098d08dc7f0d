# frozen_string_literal: true

require_relative "test_helper"

class TokenIssuerTest < Minitest::Test
  include ParleyTestHelpers

  NOW = Time.at(1_700_000_000)
  # Generated once: RSA key generation is the slow part of this file.
  RSA_KEY = OpenSSL::PKey::RSA.new(2048)
  EC_KEY = OpenSSL::PKey::EC.generate("prime256v1")

  def issuer(**settings)
    Parley::TokenIssuer.new(Parley::Config.new(jwt_secret: HMAC_SECRET, **settings))
  end

  def test_hs256_token_carries_the_contract_claims
    token = issuer.issue(user_id: 42, name: "Ada", rooms: ["lobby", "team-7:*"], now: NOW)
    claims, header = decode(token, HMAC_SECRET, "HS256", verify_expiration: false)
    assert_equal "HS256", header["alg"]
    assert_nil header["kid"]
    assert_equal "42", claims["sub"]
    assert_equal "Ada", claims["name"]
    assert_equal ["lobby", "team-7:*"], claims["rooms"]
    assert_equal NOW.to_i, claims["iat"]
    assert_equal NOW.to_i + 3600, claims["exp"]
    assert_match(/\A\h{8}-\h{4}-\h{4}-\h{4}-\h{12}\z/, claims["jti"])
    refute claims.key?("iss")
    refute claims.key?("aud")
  end

  def test_a_fresh_token_verifies_with_expiry_checked
    claims, = decode(issuer.issue(user_id: "u-1", name: "Bo"))
    assert_equal "u-1", claims["sub"]
  end

  def test_without_rooms_or_name_those_claims_are_absent
    claims, = decode(issuer.issue(user_id: 7, name: nil))
    refute claims.key?("rooms"), "no rooms claim lets Parley's default policy decide"
    refute claims.key?("name")
  end

  def test_an_empty_room_list_is_kept
    claims, = decode(issuer.issue(user_id: 7, name: "x", rooms: []))
    assert_equal [], claims["rooms"]
  end

  def test_ttl_from_config_and_per_call
    claims, = decode(issuer(token_ttl: "15m").issue(user_id: 1, name: nil, now: NOW), verify_expiration: false)
    assert_equal 900, claims["exp"] - claims["iat"]
    claims, = decode(issuer.issue(user_id: 1, name: nil, ttl: 60, now: NOW), verify_expiration: false)
    assert_equal 60, claims["exp"] - claims["iat"]
  end

  def test_every_token_has_its_own_jti
    a, = decode(issuer.issue(user_id: 1, name: nil))
    b, = decode(issuer.issue(user_id: 1, name: nil))
    refute_equal a["jti"], b["jti"]
  end

  def test_issuer_and_audience_when_configured
    token = issuer(jwt_issuer: "https://app.example.com", jwt_audience: "parley").issue(user_id: 1, name: nil)
    claims, = decode(token, HMAC_SECRET, "HS256", iss: "https://app.example.com", verify_iss: true,
                                                  aud: "parley", verify_aud: true)
    assert_equal "https://app.example.com", claims["iss"]
    assert_equal "parley", claims["aud"]
  end

  def test_long_names_are_cut_to_64_characters
    claims, = decode(issuer.issue(user_id: 1, name: "é" * 100))
    assert_equal "é" * 64, claims["name"]
  end

  def test_room_entries_are_checked
    ["lobby", "dm:1:2", "a.b_c-d", "team-7:*", "*", "x" * 64, "#{'x' * 63}*"].each do |ok|
      assert issuer.issue(user_id: 1, name: nil, rooms: [ok]), ok
    end
    ["", "with space", "a/b", "x" * 65, "mid*dle", "**", "é"].each do |bad|
      assert_raises(ArgumentError, bad) { issuer.issue(user_id: 1, name: nil, rooms: [bad]) }
    end
  end

  def test_user_id_is_required
    assert_raises(ArgumentError) { issuer.issue(user_id: nil, name: "x") }
    assert_raises(ArgumentError) { issuer.issue(user_id: " ", name: "x") }
  end

  def test_hs384_and_hs512_need_longer_secrets
    assert_equal "HS512", decode(issuer(jwt_algorithm: "HS512", jwt_secret: "k" * 64).issue(user_id: 1, name: nil),
                                 "k" * 64, "HS512").last["alg"]
    error = assert_raises(Parley::ConfigError) { issuer(jwt_algorithm: "HS384", jwt_secret: "k" * 47) }
    assert_match(/PARLEY_JWT_SECRET must be at least 48 bytes/, error.message)
  end

  def test_missing_or_short_secret_names_the_variable
    error = assert_raises(Parley::ConfigError) { Parley::TokenIssuer.new(Parley::Config.new) }
    assert_match(/PARLEY_JWT_SECRET is required/, error.message)
    error = assert_raises(Parley::ConfigError) { issuer(jwt_secret: "short") }
    assert_match(/PARLEY_JWT_SECRET must be at least 32 bytes/, error.message)
  end

  def test_unsupported_algorithms_are_refused
    %w[none RS512 PS256].each do |alg|
      error = assert_raises(Parley::ConfigError, alg) { issuer(jwt_algorithm: alg) }
      assert_match(/PARLEY_JWT_ALGORITHM/, error.message)
    end
  end

  def test_rs256_with_a_pem_private_key
    rs = issuer(jwt_algorithm: "RS256", jwt_private_key: RSA_KEY.to_pem)
    token = rs.issue(user_id: 42, name: "Ada")
    claims, header = decode(token, RSA_KEY.public_key, "RS256")
    assert_equal "42", claims["sub"]
    assert_equal rs.key_id, header["kid"]
    assert_raises(JWT::VerificationError) { decode(token, OpenSSL::PKey::RSA.new(2048).public_key, "RS256") }
  end

  def test_es256_with_a_pem_private_key
    es = issuer(jwt_algorithm: "ES256", jwt_private_key: EC_KEY.to_pem)
    token = es.issue(user_id: 42, name: "Ada")
    public_only = OpenSSL::PKey.read(EC_KEY.public_to_pem)
    claims, header = decode(token, public_only, "ES256")
    assert_equal "42", claims["sub"]
    assert_equal "ES256", header["alg"]
    assert_equal es.key_id, header["kid"]
  end

  def test_configured_key_id_wins_over_the_thumbprint
    es = issuer(jwt_algorithm: "ES256", jwt_private_key: EC_KEY, jwt_key_id: "2025-01")
    assert_equal "2025-01", decode(es.issue(user_id: 1, name: nil), EC_KEY, "ES256").last["kid"]
  end

  def test_wrong_key_types_are_refused
    cases = {
      ["RS256", EC_KEY.to_pem] => /RSA private key/,
      ["ES256", RSA_KEY.to_pem] => /EC P-256 private key/,
      ["RS256", RSA_KEY.public_to_pem] => /RSA private key/,
      ["ES256", OpenSSL::PKey::EC.generate("secp384r1").to_pem] => /EC P-256/,
      ["RS256", "not a pem"] => /not a PEM key/,
      ["RS256", nil] => /PARLEY_JWT_PRIVATE_KEY .*is required/
    }
    cases.each do |(alg, pem), message|
      error = assert_raises(Parley::ConfigError, alg) { issuer(jwt_algorithm: alg, jwt_private_key: pem) }
      assert_match message, error.message
    end
  end

  def test_small_rsa_keys_are_refused
    error = assert_raises(Parley::ConfigError) do
      issuer(jwt_algorithm: "RS256", jwt_private_key: OpenSSL::PKey::RSA.new(1024).to_pem)
    end
    assert_match(/2048/, error.message)
  end

  def test_jwks_publishes_the_public_keys_by_kid
    rs = issuer(jwt_algorithm: "RS256", jwt_private_key: RSA_KEY.to_pem)
    next_key = OpenSSL::PKey::RSA.new(2048)
    document = JSON.parse(JSON.generate(rs.jwks(also: [next_key.public_to_pem])))
    keys = document.fetch("keys")
    assert_equal 2, keys.size
    current = keys.find { |k| k["kid"] == rs.key_id }
    assert_equal({ "kty" => "RSA", "use" => "sig", "alg" => "RS256" }, current.slice("kty", "use", "alg"))
    keys.each { |k| refute k.key?("d"), "a JWKS never holds private parts" }

    # A verifier that picks the key by kid from this document accepts the token.
    token = rs.issue(user_id: 9, name: nil)
    claims, = JWT.decode(token, nil, true, algorithms: ["RS256"], jwks: { keys: keys.map { |k| k.transform_keys(&:to_sym) } })
    assert_equal "9", claims["sub"]
  end

  def test_jwks_for_es256
    es = issuer(jwt_algorithm: "ES256", jwt_private_key: EC_KEY.to_pem)
    key = es.jwks.fetch("keys").first
    assert_equal %w[EC P-256 ES256], key.values_at("kty", "crv", "alg")
    refute key.key?("d")
  end

  def test_a_shared_secret_is_never_published
    assert_raises(Parley::ConfigError) { issuer.jwks }
  end
end
