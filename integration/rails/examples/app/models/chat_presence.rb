# frozen_string_literal: true

# Who is in which room, as Parley last reported it: one row per (room, user).
class ChatPresence < ApplicationRecord
  def self.apply_parley_event(event)
    case event.fetch("type")
    when "member_added", "member_removed"
      at = Time.at(Rational(event.fetch("ts"), 1000)).utc
      presence = find_or_initialize_by(room: event.fetch("room"), user_id: event.fetch("user").fetch("id"))
      # A redelivered older event must not undo a newer one.
      return if presence.changed_at && presence.changed_at > at

      # Two deliveries racing to insert the same row: the loser violates the unique index, the
      # request fails with a 5xx and Parley retries it, which then updates the row.
      presence.update!(online: event["type"] == "member_added", user_name: event["user"]["name"], changed_at: at)
    when "room_occupied", "room_vacated"
      # Nothing to store per member; a "live now" badge on a room page would use these.
      nil
    end
  end
end
