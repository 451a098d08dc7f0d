# frozen_string_literal: true

# Who is in which room, as Parley's events say: one row per room and user, online or not.
class ChatPresence < ApplicationRecord
  scope :online, -> { where(online: true) }

  # Applies one event. Events can be delivered again, so an event older than the row's last
  # change is ignored (an old member_added never undoes a newer member_removed). Two deliveries
  # racing to insert the same row: one fails on the unique index, answers 500, and Parley
  # retries it.
  def self.apply_parley_event(event)
    raise TypeError, "an event is not an object" unless event.is_a?(Hash)

    online = { "member_added" => true, "member_removed" => false }.fetch(event.fetch("type"), nil)
    return if online.nil? # room_occupied / room_vacated: nothing to store here

    user = event.fetch("user")
    at = Time.at(Rational(event.fetch("ts"), 1000)).utc
    presence = find_or_initialize_by(room: event.fetch("room"), user_id: user.fetch("id"))
    return if presence.changed_at && presence.changed_at > at

    presence.update!(online: online, user_name: user["name"], changed_at: at)
  end
end
