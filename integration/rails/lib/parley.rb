# frozen_string_literal: true

require_relative "parley/version"
require_relative "parley/errors"
require_relative "parley/config"
require_relative "parley/signature"
require_relative "parley/token_issuer"
require_relative "parley/client"
require_relative "parley/rails/token_endpoint"
require_relative "parley/rails/webhook_verification"

# The monolith side of Parley: tokens for the browser, a signed server API client, and
# verification of Parley's signed posts. Plain Ruby plus the `jwt` gem; drops into a Rails app.
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
  end
end
