# frozen_string_literal: true

require_relative "test_helper"

class SignatureTest < Minitest::Test
  include ParleyTestHelpers

  SECRET = HMAC_SECRET
  NEXT_SECRET = "fedcba9876543210fedcba9876543210-next"
  T = 1_700_000_000
  BODY = '{"messages":[]}'

  def signed(secret = SECRET, method: "POST", path: "/chat/messages", body: BODY, t: T)
    Parley::Signature.sign(secret, method, path, body, t)
  end

  def verify(header, method: "POST", path: "/chat/messages", body: BODY, secrets: [SECRET], now: Time.at(T), **options)
    Parley::Signature.verify(header, method, path, body, secrets: secrets, now: now, **options)
  end

  def refusal(header, **options)
    assert_raises(Parley::SignatureError) { verify(header, **options) }
  end

  def test_signs_every_shared_vector_exactly
    vectors = fixture_json("signature_vectors.json").fetch("vectors")
    refute_empty vectors
    vectors.each do |v|
      header = Parley::Signature.sign(v["secret"], v["method"], v["path_and_query"], v["body"], v["t"])
      assert_equal v["header"], header, v["name"]
      assert_equal "t=#{v['t']},v1=#{v['hex']}", header, v["name"]
      assert verify(header, method: v["method"], path: v["path_and_query"], body: v["body"],
                            secrets: [v["secret"]], now: Time.at(v["t"])), v["name"]
    end
  end

  def test_the_brief_vector_is_the_first_one
    first = fixture_json("signature_vectors.json").fetch("vectors").first
    assert_equal [SECRET, T, "POST", "/chat/messages", BODY],
                 first.values_at("secret", "t", "method", "path_and_query", "body")
  end

  def test_method_is_signed_upper_case
    assert_equal signed(method: "POST"), signed(method: "post")
  end

  def test_time_may_be_a_time_or_seconds
    assert_equal signed(t: T), Parley::Signature.sign(SECRET, "POST", "/chat/messages", BODY, Time.at(T))
  end

  def test_binary_and_utf8_bodies_sign_the_same_bytes
    text = '{"text":"Grüße 👋"}'
    assert_equal signed(body: text), signed(body: text.b)
    assert verify(signed(body: text), body: text.b)
  end

  def test_nil_body_signs_as_empty
    assert_equal signed(method: "GET", body: ""), signed(method: "GET", body: nil)
  end

  def test_accepts_either_secret_during_a_rotation
    assert verify(signed(NEXT_SECRET), secrets: [SECRET, NEXT_SECRET])
    assert verify(signed(SECRET), secrets: [SECRET, NEXT_SECRET])
  end

  def test_accepts_a_header_carrying_two_signatures
    both = "t=#{T},v1=#{Parley::Signature.hex(NEXT_SECRET, T, 'POST', '/chat/messages', BODY)}," \
           "v1=#{Parley::Signature.hex(SECRET, T, 'POST', '/chat/messages', BODY)}"
    assert verify(both, secrets: [SECRET])
  end

  def test_ignores_unknown_schemes_and_spaces
    hex = Parley::Signature.hex(SECRET, T, "POST", "/chat/messages", BODY)
    assert verify("t=#{T}, v0=abc, v1=#{hex}")
  end

  def test_refuses_a_changed_body_path_query_or_method
    header = signed
    assert_equal :mismatch, refusal(header, body: '{"messages":[{}]}').reason
    assert_equal :mismatch, refusal(header, path: "/chat/events").reason
    assert_equal :mismatch, refusal(header, path: "/chat/messages?x=1").reason
    assert_equal :mismatch, refusal(header, method: "PUT").reason
  end

  def test_refuses_a_changed_timestamp
    hex = Parley::Signature.hex(SECRET, T, "POST", "/chat/messages", BODY)
    assert_equal :mismatch, refusal("t=#{T + 1},v1=#{hex}", now: Time.at(T + 1)).reason
  end

  def test_refuses_another_secret
    assert_equal :mismatch, refusal(signed("another-secret-another-secret-xx")).reason
  end

  def test_allows_300_seconds_of_skew_either_way
    assert verify(signed, now: Time.at(T + 300))
    assert verify(signed, now: Time.at(T - 300))
  end

  def test_refuses_a_stale_or_future_timestamp
    error = refusal(signed, now: Time.at(T + 301))
    assert_equal :stale, error.reason
    assert_match(/300/, error.message)
    assert_equal :stale, refusal(signed, now: Time.at(T - 301)).reason
  end

  def test_tolerance_can_be_narrowed
    assert_equal :stale, refusal(signed, now: Time.at(T + 31), tolerance: 30).reason
  end

  def test_refuses_missing_and_malformed_headers
    assert_equal :missing, refusal(nil).reason
    assert_equal :missing, refusal("  ").reason
    hex = "a" * 64
    ["garbage", "v1=#{hex}", "t=#{T}", "t=abc,v1=#{hex}", "t=-5,v1=#{hex}", "t=#{T},t=#{T},v1=#{hex}",
     "t=#{T},v1"].each do |header|
      assert_equal :malformed, refusal(header).reason, header
    end
  end

  def test_refuses_a_truncated_signature
    assert_equal :mismatch, refusal(signed[0..-3]).reason
  end

  def test_needs_a_secret
    assert_raises(ArgumentError) { verify(signed, secrets: []) }
    assert_raises(ArgumentError) { verify(signed, secrets: [nil, ""]) }
  end

  def test_messages_never_contain_the_signature
    header = signed("another-secret-another-secret-xx")
    error = refusal(header)
    refute_includes error.message, header.split("v1=").last
  end
end
