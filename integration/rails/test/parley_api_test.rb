# frozen_string_literal: true

require_relative "test_helper"
require "support/loopback_server"

# The module-level API an app calls from models, jobs and `rails runner` (Parley.publish ...),
# against a real HTTP server standing in for Parley's admin port.
class ParleyApiTest < Minitest::Test
  API_SECRET = "api-secret-0123456789abcdef01234"
  Member = Struct.new(:id, :name)

  def setup
    @server = LoopbackServer.new
    Parley.config = Parley::Config.new(admin_url: @server.url, api_secret: API_SECRET)
  end

  def teardown
    @server.stop
    Parley.reset!(config: true)
  end

  def answer(payload, status: 200)
    @server.handler = ->(_req) { [status, { "Content-Type" => "application/json" }, JSON.generate(payload)] }
  end

  def request
    req = @server.next_request
    assert Parley::Signature.verify(req.headers["parley-signature"], req.method, req.target, req.body, secrets: [API_SECRET])
    req
  end

  def test_publish_as_a_user_or_as_the_system
    answer({ id: "1-0", ts: 1 }, status: 201)
    assert_equal({ "id" => "1-0", "ts" => 1 }, Parley.publish("order-7", "Shipped", user: Member.new(3, "Support"),
                                                                                 meta: { "n" => 1 }, ref: "shipped-7"))
    req = request
    assert_equal "/api/v1/rooms/order-7/messages", req.target
    assert_equal({ "text" => "Shipped", "user" => { "id" => "3", "name" => "Support" }, "meta" => { "n" => 1 }, "ref" => "shipped-7" },
                 req.json)
    Parley.publish("lobby", "Deploy finished")
    assert_equal({ "text" => "Deploy finished" }, request.json)
  end

  def test_readers_return_the_lists
    answer({ room: "lobby", members: [{ id: "42", name: "Ada", connections: 2 }] })
    assert_equal [{ "id" => "42", "name" => "Ada", "connections" => 2 }], Parley.online("lobby")
    assert_equal "/api/v1/rooms/lobby/presence", request.target
    answer({ room: "lobby", messages: [{ id: "9-0" }], complete: true, more: false })
    assert_equal [{ "id" => "9-0" }], Parley.recent_messages("lobby", limit: 5)
    assert_equal "/api/v1/rooms/lobby/messages?limit=5", request.target
    assert_equal [{ "id" => "9-0" }], Parley.messages_since("lobby", "8-0").to_a
    assert_equal "/api/v1/rooms/lobby/messages?since=8-0&limit=1000", request.target
  end

  def test_disconnect_and_dead_letters
    answer({})
    assert Parley.disconnect(Member.new(42, "Ada"), reason: "banned", revoke: true)
    req = request
    assert_equal ["/api/v1/users/42/disconnect", { "reason" => "banned", "revoke" => true }], [req.target, req.json]

    answer({ messages: [{ id: "1-0", status: 422, error: "refused" }] })
    assert_equal ["1-0"], Parley.dead_letters.map { |m| m["id"] }
    request
    answer({ replayed: 1 })
    assert_equal 1, Parley.replay_dead_letters(["1-0"])
    assert_equal({ "ids" => ["1-0"] }, request.json)
  end
end
