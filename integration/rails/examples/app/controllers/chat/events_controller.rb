# frozen_string_literal: true

module Chat
  # POST /chat/events {"events":[{"type","room","user","ts"}...]}: who is online where, pushed by
  # Parley so the app never polls. Same delivery rules as the history: at-least-once, in order
  # within a batch, retried on anything but a 2xx.
  class EventsController < ActionController::API
    include Parley::Rails::WebhookVerification
    before_action :verify_parley_signature!

    def create
      events = JSON.parse(request.raw_post).fetch("events")
      events.each { |event| ChatPresence.apply_parley_event(event) }
      head :no_content
    rescue JSON::ParserError, KeyError, TypeError, NoMethodError
      head :bad_request
    end
  end
end
