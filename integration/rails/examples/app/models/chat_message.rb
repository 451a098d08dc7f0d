# frozen_string_literal: true

# The monolith's copy of the chat history; parley_id is unique (see the migration).
class ChatMessage < ApplicationRecord
  # One Parley message (protocol section 1, `message`) as a row.
  def self.attributes_from_parley(message)
    {
      parley_id: message.fetch("id"),
      room: message.fetch("room"),
      user_id: message.dig("user", "id"),
      user_name: message.dig("user", "name"),
      kind: message.fetch("kind", "user"),
      body: message.fetch("text"),
      meta: message["meta"],
      sent_at: Time.at(Rational(message.fetch("ts"), 1000)).utc
    }
  end
end
