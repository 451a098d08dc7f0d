# frozen_string_literal: true

module Chat
  # Parley's history posts: every accepted message, in batches, at least once. A 2xx
  # acknowledges the batch; a 5xx (or raising) makes Parley retry it; a 4xx sends the messages
  # to Parley's dead letters (list and replay them with Parley.dead_letters / replay_dead_letters).
  class MessagesController < ActionController::API
    include Parley::Rails::WebhookVerification
    before_action :verify_parley_signature!

    def create
      ChatMessage.store_from_parley(JSON.parse(request.raw_post).fetch("messages"))
      head :no_content
    rescue JSON::ParserError, KeyError, TypeError => e
      # Data this app will never accept: say why (never the body) and let Parley dead-letter it.
      logger.warn("Parley history batch refused: #{e.is_a?(JSON::ParserError) ? 'not JSON' : e.message[0, 200]}")
      head :bad_request
    end
  end
end
