# frozen_string_literal: true

require_relative "test_helper"

class WebhookVerificationTest < Minitest::Test
  include ParleyTestHelpers
  SECRET = "webhook-secret-0123456789abcdef0"
  NEXT_SECRET = "webhook-secret-next-0123456789ab"
  BODY = '{"messages":[{"id":"1700000000000-0","room":"lobby","text":"hi"}]}'

  # A webhook controller as the app writes it; the action records that it ran.
  class HistoryController < ActionController::API
    include Parley::Rails::WebhookVerification
    before_action :verify_parley_signature!

    class << self
      attr_accessor :received
    end

    def create
      HistoryController.received = request.raw_post
      head :no_content
    end
  end

  Answer = Struct.new(:status, :received, :body) do
    def json
      JSON.parse(body)
    end
  end

  def setup
    Parley.config = Parley::Config.new(webhook_secrets: [SECRET])
    HistoryController.received = nil
  end

  def deliver(controller_class, method, fullpath, body, headers)
    status, _, text = dispatch(controller_class, :create, method: method, target: fullpath, body: body, headers: headers)
    received = HistoryController.received
    HistoryController.received = nil
    Answer.new(status, received, text)
  end

  def teardown
    Parley.reset!(config: true)
  end

  def post(body: BODY, fullpath: "/chat/messages", method: "POST", header: :sign, secret: SECRET, t: Time.now)
    header = Parley::Signature.sign(secret, "POST", "/chat/messages", BODY, t) if header == :sign
    headers = header ? { "Parley-Signature" => header } : {}
    deliver(HistoryController, method, fullpath, body, headers)
  end

  def test_a_genuine_post_reaches_the_action
    controller = post
    assert_equal 204, controller.status
    assert_equal BODY, controller.received
  end

  def test_either_secret_during_a_rotation
    Parley.config.webhook_secrets = [NEXT_SECRET, SECRET]
    assert_equal 204, post.status
    assert_equal 204, post(secret: NEXT_SECRET).status
  end

  def test_the_query_string_is_part_of_what_is_signed
    header = Parley::Signature.sign(SECRET, "POST", "/chat/messages?batch=3", BODY, Time.now)
    assert_equal 204, post(fullpath: "/chat/messages?batch=3", header: header).status
    assert_equal 401, post(fullpath: "/chat/messages?batch=4", header: header).status
  end

  def test_tampered_posts_are_refused_before_the_action
    [
      post(body: BODY.sub("hi", "pwned")),
      post(fullpath: "/chat/events"),
      post(method: "PUT"),
      post(secret: "another-secret-0123456789abcdef0"),
      post(header: nil),
      post(header: "t=1,v1=zz"),
      post(t: Time.now - 301)
    ].each do |answer|
      assert_equal 401, answer.status
      assert_nil answer.received
    end
  end

  def test_a_refusal_is_logged_with_its_reason_and_without_the_header
    header = Parley::Signature.sign(SECRET, "POST", "/chat/messages", BODY, Time.now - 3600)
    line = app_log { assert_equal 401, post(header: header).status }
    assert_equal 1, line.lines.grep(/Parley signature refused/).size, line
    assert_match(/stale/, line)
    assert_match(%r{POST /chat/messages}, line)
    refute_includes line, header
  end

  def test_the_tolerance_comes_from_the_config
    Parley.config.signature_tolerance = 30
    assert_equal 401, post(t: Time.now - 60).status
  end

  def test_no_configured_secret_is_a_server_error_not_a_refusal
    Parley.config.webhook_secrets = []
    error = assert_raises(Parley::ConfigError) { post }
    assert_match(/PARLEY_WEBHOOK_SECRETS/, error.message)
  end

  def test_hooks_may_supply_secrets_and_handle_failures
    controller_class = Class.new(HistoryController) do
      private

      def parley_webhook_secrets
        ["per-tenant-secret-0123456789abcd"]
      end

      def parley_signature_failed(error)
        render json: { error: error.reason }, status: :unauthorized
      end
    end
    header = Parley::Signature.sign("per-tenant-secret-0123456789abcd", "POST", "/chat/messages", BODY, Time.now)
    ok = deliver(controller_class, "POST", "/chat/messages", BODY, { "Parley-Signature" => header })
    assert_equal 204, ok.status
    refused = deliver(controller_class, "POST", "/chat/messages", BODY, {})
    assert_equal({ "error" => "missing" }, refused.json)
  end
end
