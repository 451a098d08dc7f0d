# frozen_string_literal: true

require_relative "test_helper"
require "support/fake_rails"
require "erb"

# The example app in examples/ is what docs/rails.md tells people to copy, so it runs here,
# as written, on the fake controller and record classes.
class ApplicationController < ActionController::Base
  class << self
    attr_accessor :signed_in_user
  end

  def current_user
    ApplicationController.signed_in_user
  end
end

EXAMPLES = File.expand_path("../examples", __dir__)
%w[app/models/chat_message app/models/chat_presence app/controllers/chat_tokens_controller
   app/controllers/chat/messages_controller app/controllers/chat/events_controller].each do |file|
  require File.join(EXAMPLES, file)
end

class ExamplesTest < Minitest::Test
  include ParleyTestHelpers

  SECRET = "webhook-secret-0123456789abcdef0"
  Member = Struct.new(:id, :name, :team_ids)

  def setup
    Parley.config = Parley::Config.new(jwt_secret: HMAC_SECRET, webhook_secrets: [SECRET])
    ChatMessage.rows.clear
    ChatPresence.rows.clear
  end

  def teardown
    Parley.reset!(config: true)
    ApplicationController.signed_in_user = nil
  end

  def parley_post(controller_class, path, payload, secret: SECRET)
    body = payload.is_a?(String) ? payload : JSON.generate(payload)
    header = Parley::Signature.sign(secret, "POST", path, body, Time.now)
    controller_class.dispatch(:create, FakeRails.request("POST", path, body, { "Parley-Signature" => header }))
  end

  def history_message(id, text, user: { "id" => "42", "name" => "Ada" })
    { "type" => "message", "room" => "lobby", "id" => id, "user" => user, "text" => text,
      "ts" => 1_700_000_000_123, "kind" => user ? "user" : "system" }
  end

  def test_every_example_file_compiles
    Dir[File.join(EXAMPLES, "**/*.rb")].each { |file| RubyVM::InstructionSequence.compile_file(file) }
    Dir[File.join(EXAMPLES, "**/*.erb")].each { |file| RubyVM::InstructionSequence.compile(ERB.new(File.read(file)).src) }
  end

  def test_token_controller_gives_team_rooms
    ApplicationController.signed_in_user = Member.new(42, "Ada", [7, 9])
    controller = ChatTokensController.dispatch(:parley_token, FakeRails.request("POST", "/chat/token"))
    claims, = decode(controller.json["token"])
    assert_equal ["lobby", "team-7:*", "team-9:*"], claims["rooms"]
    assert_equal "Ada", claims["name"]
  end

  def test_history_is_stored_once_however_often_it_arrives
    batch = { "messages" => [history_message("1700000000123-0", "hello"), history_message("1700000000123-1", "system note", user: nil)] }
    assert_equal 204, parley_post(Chat::MessagesController, "/chat/messages", batch).status
    assert_equal 204, parley_post(Chat::MessagesController, "/chat/messages", batch).status
    assert_equal 2, ChatMessage.count

    stored = ChatMessage.rows.find { |r| r[:parley_id] == "1700000000123-0" }
    assert_equal({ parley_id: "1700000000123-0", room: "lobby", user_id: "42", user_name: "Ada", kind: "user",
                   body: "hello", meta: nil, sent_at: Time.at(Rational(1_700_000_000_123, 1000)).utc }, stored)
    system = ChatMessage.rows.find { |r| r[:parley_id] == "1700000000123-1" }
    assert_nil system[:user_id]
    assert_equal "system", system[:kind]
  end

  def test_an_empty_batch_is_acknowledged
    assert_equal 204, parley_post(Chat::MessagesController, "/chat/messages", { "messages" => [] }).status
  end

  def test_unsigned_history_is_refused_and_not_stored
    batch = JSON.generate({ "messages" => [history_message("1-0", "forged")] })
    controller = Chat::MessagesController.dispatch(:create, FakeRails.request("POST", "/chat/messages", batch, {}))
    assert_equal 401, controller.status
    assert_equal 0, ChatMessage.count
  end

  def test_history_signed_with_another_secret_is_refused
    status = parley_post(Chat::MessagesController, "/chat/messages", { "messages" => [history_message("1-0", "x")] },
                         secret: "another-secret-0123456789abcdef0").status
    assert_equal 401, status
    assert_equal 0, ChatMessage.count
  end

  def test_unreadable_history_is_a_400_so_parley_dead_letters_it
    assert_equal 400, parley_post(Chat::MessagesController, "/chat/messages", "not json").status
    assert_equal 400, parley_post(Chat::MessagesController, "/chat/messages", { "messages" => [{ "id" => "1-0" }] }).status
  end

  def presence_event(type, ts, user: { "id" => "42", "name" => "Ada" })
    { "type" => type, "room" => "lobby", "user" => user, "ts" => ts }
  end

  def test_events_track_who_is_online
    assert_equal 204, parley_post(Chat::EventsController, "/chat/events",
                                  { "events" => [presence_event("room_occupied", 1000, user: nil), presence_event("member_added", 1000)] }).status
    row = ChatPresence.rows.first
    assert_equal({ room: "lobby", user_id: "42", online: true, user_name: "Ada" },
                 row.slice(:room, :user_id, :online, :user_name))

    parley_post(Chat::EventsController, "/chat/events", { "events" => [presence_event("member_removed", 2000)] })
    assert_equal 1, ChatPresence.count
    refute ChatPresence.rows.first[:online]
  end

  def test_a_redelivered_older_event_does_not_undo_a_newer_one
    parley_post(Chat::EventsController, "/chat/events", { "events" => [presence_event("member_added", 1000), presence_event("member_removed", 2000)] })
    parley_post(Chat::EventsController, "/chat/events", { "events" => [presence_event("member_added", 1000)] })
    refute ChatPresence.rows.first[:online]
    assert_equal Time.at(2).utc, ChatPresence.rows.first[:changed_at]
  end

  def test_unsigned_events_are_refused
    body = JSON.generate({ "events" => [presence_event("member_added", 1000)] })
    controller = Chat::EventsController.dispatch(:create, FakeRails.request("POST", "/chat/events", body, {}))
    assert_equal 401, controller.status
    assert_equal 0, ChatPresence.count
  end
end
