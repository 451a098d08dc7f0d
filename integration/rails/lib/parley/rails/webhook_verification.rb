# frozen_string_literal: true

require_relative "../config"
require_relative "../signature"

module Parley
  module Rails
    # Verifies that a request really comes from Parley (its history and event posts, protocol §3)
    # before the action runs:
    #
    #   class Chat::MessagesController < ActionController::API
    #     include Parley::Rails::WebhookVerification
    #     before_action :verify_parley_signature!
    #   end
    #
    # It signs-checks the raw body, the method and the request target as received
    # (request.fullpath), against the secrets in Parley.config.webhook_secrets (two during a
    # rotation), and answers 401 when the check fails; the request then never reaches the action.
    # A 401 makes Parley retry the batch and, if it persists, dead-letter it: nothing is lost while
    # a secret is being fixed. Override the private hooks parley_webhook_secrets,
    # parley_signature_tolerance or parley_signature_failed(error) to change the defaults.
    module WebhookVerification
      def verify_parley_signature!
        secrets = Array(parley_webhook_secrets)
        if secrets.empty?
          # A server misconfiguration, not a bad request: fail loudly (500) and let Parley retry.
          raise ConfigError, "#{Config.env_name(:webhook_secrets)} is required to verify Parley's posts"
        end

        Signature.verify(request.headers[Signature::HEADER], request.method, request.fullpath, request.raw_post.to_s,
                         secrets: secrets, tolerance: parley_signature_tolerance)
        true
      rescue SignatureError => e
        parley_signature_failed(e)
        false
      end

      private

      def parley_webhook_secrets
        Parley.config.webhook_secrets
      end

      def parley_signature_tolerance
        Parley.config.signature_tolerance
      end

      def parley_signature_failed(error)
        # The reason and the path only: the header and body stay out of logs.
        logger&.warn("Parley signature refused (#{error.reason}) for #{request.method} #{request.path}") if respond_to?(:logger, true)
        head :unauthorized
      end
    end
  end
end
