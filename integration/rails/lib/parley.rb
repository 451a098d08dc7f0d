# frozen_string_literal: true

require_relative "parley/version"
require_relative "parley/errors"
require_relative "parley/config"
require_relative "parley/signature"
require_relative "parley/users"
require_relative "parley/token_issuer"
require_relative "parley/client"
require_relative "parley/rails/token_endpoint"
require_relative "parley/rails/webhook_verification"
require_relative "parley/rails/view_helper"
require_relative "parley/dev_server"
require_relative "parley/railtie" if defined?(::Rails::Railtie)

# The monolith side of Parley: tokens for the browser, the signed server API, and verification of
# Parley's signed posts. Needs the Ruby standard library and the `jwt` gem; the Railtie, the
# generator and the helpers come into play when Rails is loaded.
#
# Inside `module Parley`, `Rails` means Parley::Rails (the controller concerns): write ::Rails
# for the framework.
module Parley
  class << self
    # The process-wide configuration, read from the environment on first use.
    def config
      @config ||= Config.from_env
    end

    def config=(config)
      @config = config
      reset!
    end

    # Adjusts the configuration, typically in config/initializers/parley.rb:
    #
    #   Parley.configure do |c|
    #     c.jwt_secret = Rails.application.credentials.dig(:parley, :jwt_secret)
    #   end
    def configure
      yield config
      reset!
      config
    end

    # Shared instances built from #config; both are safe to use from many threads.
    def token_issuer
      @token_issuer ||= TokenIssuer.new(config)
    end

    def client
      @client ||= Client.new(config)
    end

    # Forgets the shared instances (and, with `config: true`, the configuration), e.g. in tests.
    def reset!(config: false)
      @config = nil if config
      @token_issuer = nil
      @client = nil
    end

    # --- The server API in Rails terms: usable from models, jobs, rake tasks and `rails runner`.
    # Each is one signed HTTP call through the shared client (see Parley::Client for answers and
    # errors: Parley::ApiError, Parley::ConnectionError).

    # Posts `text` to `room`: from `user` (a model with #id and #name, or {id:, name:}) or, without
    # one, as a system message. With a `ref`, retrying is safe: Parley keeps one message per ref.
    #
    #   Parley.publish("order-#{order.id}", "Your order has shipped", ref: "shipped-#{order.id}")
    def publish(room, text, user: nil, meta: nil, ref: nil)
      client.publish(room, text: text, user: user, meta: meta, ref: ref)
    end

    # Who is in the room now, cluster-wide: [{"id" => "42", "name" => "Ada", "connections" => 2}].
    def online(room)
      client.presence(room).fetch("members", [])
    end

    # The last `limit` messages Parley still holds for the room, oldest first.
    def recent_messages(room, limit: 50)
      client.messages(room, limit: limit).fetch("messages", [])
    end

    # Every message Parley still holds after the message id `since`, oldest first, paged through
    # for you (an Enumerator). Say, to fill a gap in the app's table after an outage.
    def messages_since(room, since)
      client.each_message(room, since: since)
    end

    # Closes the user's sockets everywhere (close 4403, the widget does not reconnect). With
    # `revoke: true` (logout, ban), the user's tokens issued until now are refused as well.
    def disconnect(user, reason:, revoke: false)
      client.disconnect(user, reason: reason, revoke: revoke)
    end

    # Messages the app's history endpoint refused (4xx), each with "status" and "error".
    def dead_letters
      client.dead_letters.fetch("messages", [])
    end

    # Sends dead letters back for delivery (all of them, or those ids); returns how many.
    def replay_dead_letters(ids = nil)
      client.replay_dead_letters(ids).fetch("replayed")
    end
  end
end
