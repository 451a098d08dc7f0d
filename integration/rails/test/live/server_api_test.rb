# frozen_string_literal: true

require_relative "../test_helper"
require "support/live"

# Parley::Client against a running Parley: every server API endpoint (protocol section 2).
class LiveServerApiTest < Minitest::Test
  include Live::Helpers

  def setup
    super
    require_env("PARLEY_ADMIN_URL", "PARLEY_API_SECRET")
  end

  def test_publish_system_and_user_messages_then_read_them_back
    room = unique_room
    system = client.publish(room, text: "Deploy at noon")
    assert_match(/\S/, system.fetch("id"))
    assert_kind_of Integer, system.fetch("ts")
    user = client.publish(room, text: "Order 7 shipped", user: { id: "ruby-ada", name: "Ada" },
                                meta: { "order" => 7 }, ref: "rails-#{SecureRandom.hex(4)}")

    history = client.messages(room)
    assert_equal room, history["room"]
    assert_equal true, history["complete"]
    first, second = history.fetch("messages")
    assert_equal [system["id"], user["id"]], [first["id"], second["id"]]
    assert_equal ["system", "Deploy at noon"], first.values_at("kind", "text")
    assert_nil first["user"]
    assert_equal ["user", { "id" => "ruby-ada", "name" => "Ada" }, { "order" => 7 }], second.values_at("kind", "user", "meta")
  end

  def test_publishing_is_idempotent_on_ref
    room = unique_room
    ref = "rails-#{SecureRandom.hex(4)}"
    first = client.publish(room, text: "once", ref: ref)
    again = client.publish(room, text: "once", ref: ref)
    assert_equal first["id"], again["id"]
    assert_equal 1, client.messages(room)["messages"].size
  end

  def test_history_since_a_cursor_and_with_a_limit
    room = unique_room
    ids = %w[one two three].map { |text| client.publish(room, text: text)["id"] }
    assert_equal ids[1..], client.messages(room, since: ids[0])["messages"].map { |m| m["id"] }
    assert_equal [ids[2]], client.messages(room, limit: 1)["messages"].map { |m| m["id"] }
  end

  def test_presence_of_an_empty_room
    room = unique_room
    assert_equal({ "room" => room, "members" => [] }, client.presence(room).slice("room", "members"))
  end

  def test_stats
    stats = client.stats
    %w[connections rooms instances].each { |key| assert_kind_of Integer, stats[key], key }
    assert_operator stats["instances"], :>=, 1
  end

  def test_disconnect_a_user_without_connections
    assert_equal true, client.disconnect(unique_user, reason: "logout")
    assert_equal true, client.disconnect(unique_user, reason: "banned", revoke: true)
  end

  def test_dead_letters_list_and_replay_of_unknown_ids
    assert_kind_of Array, client.dead_letters.fetch("messages")
    assert_equal({ "replayed" => 0 }, client.replay_dead_letters(["1-0"]))
  end

  def test_bad_input_is_a_400_that_changes_nothing
    room = unique_room
    error = assert_raises(Parley::ApiError) { client.publish(room, text: nil) }
    assert_equal [400, "bad_request"], [error.status, error.code]
    error = assert_raises(Parley::ApiError) { client.publish("not a room!", text: "x") }
    assert_equal [400, "bad_request"], [error.status, error.code]
    assert_equal [], client.messages(room)["messages"]
  end

  def test_a_wrong_secret_is_a_401_that_changes_nothing
    room = unique_room
    intruder = Parley::Client.new(config, api_secret: "not-the-secret-0123456789abcdef0")
    error = assert_raises(Parley::ApiError) { intruder.publish(room, text: "forged") }
    assert_equal [401, "unauthorized"], [error.status, error.code]
    assert_equal [], client.messages(room)["messages"]
  end
end
