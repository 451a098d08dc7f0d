# frozen_string_literal: true

require_relative "../test_helper"
require "support/live"
require "support/ws_client"

# Tokens minted by Parley::TokenIssuer, presented by a real WebSocket client to a running
# Parley (protocol section 1), and the server API acting on those connections.
class LiveTokensTest < Minitest::Test
  include Live::Helpers

  def setup
    super
    require_env("PARLEY_CHAT_URL", "PARLEY_ADMIN_URL", "PARLEY_API_SECRET")
    unless Live.set?("PARLEY_JWT_SECRET") || Live.set?("PARLEY_JWT_PRIVATE_KEY") || Live.set?("PARLEY_JWT_PRIVATE_KEY_FILE")
      require_env("PARLEY_JWT_SECRET")
    end
    @sockets = []
  end

  def teardown
    @sockets.each(&:close)
  end

  def connect(token)
    socket = WsClient.connect(config.chat_url)
    @sockets << socket
    socket.send_json(type: "auth", token: token)
    socket
  end

  def welcomed(user_id, name: "Ruby User", **claims)
    token = issuer.issue(user_id: user_id, name: name, **claims)
    socket = connect(token)
    welcome = socket.next_frame(timeout: Live::TIMEOUT)
    assert_equal "welcome", welcome&.fetch("type"), "expected a welcome, got #{welcome.inspect}"
    [socket, welcome, token]
  end

  def join(socket, room)
    socket.send_json(type: "join", room: room)
    socket.await(timeout: Live::TIMEOUT) { |f| f["room"] == room && %w[joined error].include?(f["type"]) }
  end

  def test_a_ruby_minted_token_is_welcomed
    user = unique_user
    _, welcome, token = welcomed(user, name: "Ada Ruby")
    assert_equal({ "id" => user, "name" => "Ada Ruby" }, welcome["user"])
    exp = JSON.parse(Base64.urlsafe_decode64(token.split(".")[1].then { |p| p + "=" * (-p.size % 4) }))["exp"]
    assert_equal exp, welcome["expires"]
  end

  def test_the_rooms_claim_is_enforced
    prefix = unique_room("ruby-team")
    socket, = welcomed(unique_user, rooms: ["#{prefix}:*"])
    assert_equal "joined", join(socket, "#{prefix}:general")["type"]
    refused = join(socket, unique_room("ruby-elsewhere"))
    assert_equal %w[error forbidden], refused.values_at("type", "code")
  end

  def test_published_messages_reach_the_socket_and_presence_lists_the_user
    user = unique_user
    room = unique_room
    socket, = welcomed(user, name: "Bo")
    assert_equal "joined", join(socket, room)["type"]

    member = eventually("#{user} in the presence of #{room}") do
      client.presence(room)["members"].find { |m| m["id"] == user }
    end
    assert_equal({ "id" => user, "name" => "Bo", "connections" => 1 }, member)

    published = client.publish(room, text: "Hello from Rails")
    message = socket.await(timeout: Live::TIMEOUT) { |f| f["type"] == "message" && f["id"] == published["id"] }
    refute_nil message, "the published message never reached the socket"
    assert_equal [room, "Hello from Rails", "system", nil], message.values_at("room", "text", "kind", "user")

    assert_operator client.stats["connections"], :>=, 1
  end

  def test_refresh_with_a_new_token_for_the_same_user
    user = unique_user
    socket, = welcomed(user)
    fresh = issuer.issue(user_id: user, name: "Ruby User", ttl: 7200)
    socket.send_json(type: "refresh", token: fresh)
    refreshed = socket.await(timeout: Live::TIMEOUT) { |f| %w[refreshed error].include?(f["type"]) }
    assert_equal "refreshed", refreshed["type"], refreshed.inspect
    assert_operator refreshed["expires"], :>, Time.now.to_i + 3600
  end

  def test_disconnect_with_revoke_closes_the_socket_and_refuses_the_old_token
    user = unique_user
    # Issued a few seconds back, so "issued before the revocation" holds at any clock resolution.
    old_token = issuer.issue(user_id: user, name: "Banned", now: Time.now - 5)
    socket = connect(old_token)
    assert_equal "welcome", socket.next_frame(timeout: Live::TIMEOUT)&.fetch("type")

    assert_equal true, client.disconnect(user, reason: "banned", revoke: true)
    assert_equal 4403, socket.await_close(timeout: Live::TIMEOUT)

    again = connect(old_token)
    refused = again.next_frame(timeout: Live::TIMEOUT)
    assert_equal %w[error unauthorized], refused&.values_at("type", "code")
    assert_equal 4401, again.await_close(timeout: Live::TIMEOUT)
  end
end
