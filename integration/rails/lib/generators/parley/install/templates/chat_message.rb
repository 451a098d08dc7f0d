# frozen_string_literal: true

# One chat message, as Parley posted it to Chat::MessagesController.
class ChatMessage < ApplicationRecord
  # Stores a batch from Parley. Delivery is at least once, so a message already stored (same
  # parley_id) is skipped: a redelivered batch changes nothing.
  def self.store_from_parley(messages)
    raise TypeError, "messages is not a list" unless messages.is_a?(Array)

    now = Time.current
    rows = messages.map { |message| attributes_from_parley(message).merge(created_at: now, updated_at: now) }
    insert_all(rows, unique_by: :parley_id) unless rows.empty?
  end

  def self.attributes_from_parley(message)
    raise TypeError, "a message is not an object" unless message.is_a?(Hash)

    user = message["user"]
    {
      parley_id: message.fetch("id"),
      room: message.fetch("room"),
      user_id: user && user.fetch("id"), # nil for system messages
      user_name: user && user["name"],
      kind: message.fetch("kind", "user"),
      body: message.fetch("text"),
      meta: message["meta"],
      sent_at: Time.at(Rational(message.fetch("ts"), 1000)).utc
    }
  end
end
