# frozen_string_literal: true

require_relative "../test_helper"
require "support/live"
require "support/ws_client"

# Parley's real history and event posts (protocol section 3) checked by the gem's verifier in the
# stand-in monolith (support/monolith_receiver.rb), tampered copies refused, and the dead-letter
# round trip driven through Parley::Client.
class LiveWebhooksTest < Minitest::Test
  include Live::Helpers

  def setup
    super
    require_env("PARLEY_MONOLITH_URL", "PARLEY_WEBHOOK_SECRETS", "PARLEY_ADMIN_URL", "PARLEY_API_SECRET")
    @receiver = MonolithReceiver.shared
  end

  def delivered(id)
    found = @receiver.history_message(id)
    refute_nil found, "message #{id} never reached the monolith with a valid signature"
    found
  end

  def test_history_posts_carry_valid_signatures
    room = unique_room
    published = client.publish(room, text: "Archive me", user: { id: "ruby-ada", name: "Ada" })
    post, message = delivered(published["id"])
    assert_equal ["POST", 204], [post.method, post.status]
    assert_match(/\At=\d+,v1=\h{64}\z/, post.signature)
    # The fields the example ChatMessage stores (a `type` field is neither needed nor checked).
    assert_equal({ "room" => room, "id" => published["id"], "text" => "Archive me", "kind" => "user",
                   "user" => { "id" => "ruby-ada", "name" => "Ada" }, "ts" => published["ts"] },
                 message.slice("room", "id", "text", "kind", "user", "ts"))
  end

  def test_tampered_copies_of_a_real_post_are_refused
    published = client.publish(unique_room, text: "Genuine")
    post, = delivered(published["id"])
    secrets = config.webhook_secrets
    verify = ->(method, target, body, header) { Parley::Signature.verify(header, method, target, body, secrets: secrets) }

    assert verify.call(post.method, post.target, post.body, post.signature)
    t = post.signature[/t=(\d+)/, 1].to_i
    tampered = {
      "body" => [post.method, post.target, post.body.sub("Genuine", "Forged"), post.signature],
      "path" => [post.method, "#{post.target}?x=1", post.body, post.signature],
      "method" => ["PUT", post.target, post.body, post.signature],
      "timestamp" => [post.method, post.target, post.body, post.signature.sub("t=#{t}", "t=#{t + 1}")],
      "signature" => [post.method, post.target, post.body, post.signature.sub(/v1=\h/) { |s| s.end_with?("0") ? "#{s[0..-2]}1" : "#{s[0..-2]}0" }],
      "missing header" => [post.method, post.target, post.body, nil]
    }
    tampered.each do |what, request|
      assert_raises(Parley::SignatureError, what) { verify.call(*request) }
    end
    assert_equal :stale, assert_raises(Parley::SignatureError) {
      Parley::Signature.verify(post.signature, post.method, post.target, post.body, secrets: secrets, now: Time.at(t + 301))
    }.reason

    # Over HTTP, through the controller concern: the copies get 401, the untouched one 204 (a
    # replay inside the window is harmless because the monolith upserts on the message id).
    tampered.except("method").each do |what, (method, target, body, header)|
      assert_equal 401, @receiver.deliver(method, target, body, header), what
    end
    assert_equal 204, @receiver.deliver(post.method, post.target, post.body, post.signature)
  end

  def test_refused_messages_are_dead_lettered_then_replayed
    room = unique_room
    marker = "refuse-#{SecureRandom.hex(4)}"
    @receiver.refuse(marker)
    kept = client.publish(room, text: "Fine")
    refused = client.publish(room, text: "Not storable #{marker}")

    delivered(kept["id"])
    letter = eventually("#{refused['id']} in the dead letters") do
      client.dead_letters["messages"].find { |m| m["id"] == refused["id"] }
    end
    assert_equal [room, 422], letter.values_at("room", "status")
    refute_nil letter["error"]

    @receiver.accept(marker)
    assert_equal({ "replayed" => 1 }, client.replay_dead_letters([refused["id"]]))
    _, message = delivered(refused["id"])
    assert_equal "Not storable #{marker}", message["text"]
    eventually("#{refused['id']} gone from the dead letters") do
      client.dead_letters["messages"].none? { |m| m["id"] == refused["id"] }
    end
  end

  def test_presence_events_are_posted
    require_env("PARLEY_MONOLITH_EVENTS_PATH", "PARLEY_CHAT_URL")
    user = unique_user
    room = unique_room
    socket = WsClient.connect(config.chat_url)
    socket.send_json(type: "auth", token: Parley::TokenIssuer.new(config).issue(user_id: user, name: "Eve"))
    socket.send_json(type: "join", room: room)
    refute_nil socket.await(timeout: Live::TIMEOUT) { |f| f["type"] == "joined" }

    post, added = @receiver.event { |e| e["type"] == "member_added" && e["room"] == room }
    refute_nil added, "no member_added event for #{room}"
    assert_equal({ "id" => user, "name" => "Eve" }, added["user"])
    assert_equal 204, post.status
    refute_nil @receiver.event { |e| e["type"] == "room_occupied" && e["room"] == room }

    socket.close
    refute_nil @receiver.event { |e| e["type"] == "member_removed" && e["room"] == room && e.dig("user", "id") == user }
  end
end
