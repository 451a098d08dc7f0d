# frozen_string_literal: true

module Chat
  # POST /chat/messages {"messages":[message...]}: Parley's history, in batches.
  #
  # Delivery is at-least-once: a batch can arrive twice (after a timeout, a restart, a replay), so
  # the store is an upsert on the message id. A 2xx acknowledges the whole batch; a 4xx refuses it
  # (Parley then finds the refused messages and dead-letters them); a 5xx or no answer makes
  # Parley retry later, so raising here loses nothing.
  class MessagesController < ActionController::API
    include Parley::Rails::WebhookVerification
    before_action :verify_parley_signature!

    def create
      messages = JSON.parse(request.raw_post).fetch("messages")
      rows = messages.map { |message| ChatMessage.attributes_from_parley(message) }
      ChatMessage.upsert_all(rows, unique_by: :parley_id) unless rows.empty?
      head :no_content
    rescue JSON::ParserError, KeyError, TypeError, NoMethodError
      head :bad_request
    end
  end
end
