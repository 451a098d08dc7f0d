# frozen_string_literal: true

module Chat
  # Parley's room and presence events (member_added, member_removed, room_occupied,
  # room_vacated), signed, retried and at least once like the history.
  class EventsController < ActionController::API
    include Parley::Rails::WebhookVerification
    before_action :verify_parley_signature!

    def create
      JSON.parse(request.raw_post).fetch("events").each { |event| ChatPresence.apply_parley_event(event) }
      head :no_content
    rescue JSON::ParserError, KeyError, TypeError => e
      logger.warn("Parley events batch refused: #{e.is_a?(JSON::ParserError) ? 'not JSON' : e.message[0, 200]}")
      head :bad_request
    end
  end
end
