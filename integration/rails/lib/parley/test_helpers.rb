# frozen_string_literal: true

require "json"
require "securerandom"
require_relative "signature"
require_relative "users"

module Parley
  # For the app's own tests (ActionDispatch::IntegrationTest, RSpec request specs): posts to the
  # app's history and events endpoints signed exactly as Parley signs them, and builds the
  # payloads Parley sends. Not loaded by default:
  #
  #   # test/test_helper.rb
  #   require "parley/test_helpers"
  #   class ActionDispatch::IntegrationTest
  #     include Parley::TestHelpers
  #   end
  #
  #   parley_post "/chat/messages", messages: [parley_message(room: "lobby", text: "hi")]
  #   assert_response :no_content
  module TestHelpers
    # The Parley-Signature header Parley would send for this request.
    def parley_signature(method, path, body, secret: Parley.config.webhook_secrets.first, time: Time.now)
      raise ArgumentError, "no webhook secret: set PARLEY_WEBHOOK_SECRETS or pass secret:" if secret.to_s.empty?

      Signature.sign(secret, method, path, body, time)
    end

    # POSTs `payload` (a Hash, or the raw body as a String) as Parley does, through the test's
    # own `post` (integration test or request spec), and returns what `post` returns.
    def parley_post(path, payload, secret: Parley.config.webhook_secrets.first, time: Time.now)
      body = payload.is_a?(String) ? payload : JSON.generate(payload)
      post path, params: body, headers: { "Content-Type" => "application/json",
                                          Signature::HEADER => parley_signature("POST", path, body, secret: secret, time: time) }
    end

    # One message as Parley posts it to the history endpoint; a system message when user is nil.
    def parley_message(room:, text:, user: { id: "42", name: "Ada" }, id: nil, ts: nil, meta: nil)
      ts ||= (Time.now.to_f * 1000).floor
      message = { "type" => "message", "room" => room, "id" => id || "#{ts}-#{SecureRandom.random_number(1000)}",
                  "user" => user && Users.wire(user), "text" => text, "ts" => ts, "kind" => user ? "user" : "system" }
      meta ? message.merge("meta" => meta) : message
    end

    # One event as Parley posts it to the events endpoint (member_added, member_removed,
    # room_occupied, room_vacated).
    def parley_event(type, room:, user: nil, ts: nil)
      { "type" => type, "room" => room, "user" => user && Users.wire(user),
        "ts" => ts || (Time.now.to_f * 1000).floor }.compact
    end
  end
end
