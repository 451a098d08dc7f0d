# frozen_string_literal: true

require "securerandom"
require "uri"
require_relative "inbox"
require_relative "monolith_receiver"

# Shared by the tests in test/live: they run against a Parley instance that someone else started
# (the JUnit IT, or a developer), described by the environment (the contract is in README.md).
# Without it they skip, and with PARLEY_LIVE_REQUIRED=1 they fail instead, so a CI run that
# forgot a variable cannot pass by skipping.
module Live
  TIMEOUT = Float(ENV.fetch("PARLEY_LIVE_TIMEOUT", "60"))

  def self.required?
    %w[1 true yes].include?(ENV["PARLEY_LIVE_REQUIRED"].to_s.downcase)
  end

  def self.set?(name)
    !ENV[name].to_s.strip.empty?
  end

  module Helpers
    def setup
      super
      # The stand-in monolith listens for the whole run as soon as there is a URL for it, so
      # Parley's history posts always find it and its retry backoff stays short.
      MonolithReceiver.shared if Live.set?("PARLEY_MONOLITH_URL")
    end

    def require_env(*names)
      missing = names.reject { |name| Live.set?(name) }
      return if missing.empty?

      message = "live test needs #{missing.join(', ')} (see integration/rails/README.md)"
      flunk(message) if Live.required?
      skip(message)
    end

    def config
      @config ||= Parley::Config.from_env
    end

    def client
      @client ||= Parley::Client.new(config)
    end

    def issuer
      @issuer ||= Parley::TokenIssuer.new(config)
    end

    # Names unique to this run, so tests never see each other's (or an earlier run's) data.
    def unique_room(prefix = "ruby")
      "#{prefix}-#{SecureRandom.hex(4)}"
    end

    def unique_user
      "ruby-#{SecureRandom.hex(4)}"
    end

    # Calls the block until it returns something truthy and returns that; fails after the
    # deadline with `what` in the message. For state that settles asynchronously (presence,
    # dead letters), never for timing.
    def eventually(what, timeout: Live::TIMEOUT)
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
      loop do
        result = yield
        return result if result
        flunk("#{what}: not seen within #{timeout} s") if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

        sleep 0.2
      end
    end
  end
end

unless Live.set?("PARLEY_ADMIN_URL") || Live.required?
  warn "live tests skip: no PARLEY_ADMIN_URL (see integration/rails/README.md to run them against Parley)"
end
