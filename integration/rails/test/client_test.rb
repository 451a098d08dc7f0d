# frozen_string_literal: true

require_relative "test_helper"
require "socket"
require "support/loopback_server"

# The client against a real HTTP server on loopback that stands in for Parley's admin port.
class ClientTest < Minitest::Test
  API_SECRET = "api-secret-0123456789abcdef01234"

  def setup
    @server = LoopbackServer.new
    @client = client
  end

  def teardown
    @server.stop
  end

  def client(**overrides)
    Parley::Client.new(Parley::Config.new(admin_url: @server.url, api_secret: API_SECRET, **overrides))
  end

  def answer(status, payload)
    @server.handler = ->(_req) { [status, { "Content-Type" => "application/json" }, payload.is_a?(String) ? payload : JSON.generate(payload)] }
  end

  # Asserts the request was signed over exactly what went on the wire, and returns it.
  def signed_request(timeout: 5)
    req = @server.next_request(timeout: timeout)
    assert Parley::Signature.verify(req.headers["parley-signature"], req.method, req.target, req.body, secrets: [API_SECRET])
    req
  end

  def test_publish_a_user_message
    answer(201, { id: "1700000000000-0", ts: 1_700_000_000_000 })
    result = @client.publish("lobby", text: "Hello", user: { id: 42, name: "Ada" }, meta: { "order" => 7 }, ref: "order-7")
    assert_equal({ "id" => "1700000000000-0", "ts" => 1_700_000_000_000 }, result)
    req = signed_request
    assert_equal ["POST", "/api/v1/rooms/lobby/messages"], [req.method, req.target]
    assert_equal "application/json", req.headers["content-type"]
    assert_equal({ "text" => "Hello", "user" => { "id" => "42", "name" => "Ada" }, "meta" => { "order" => 7 }, "ref" => "order-7" },
                 req.json)
  end

  def test_publish_a_system_message_sends_only_the_text
    answer(201, { id: "1-0", ts: 1 })
    @client.publish("lobby", text: "Maintenance at noon")
    assert_equal({ "text" => "Maintenance at noon" }, signed_request.json)
  end

  def test_publish_accepts_string_keyed_users
    answer(201, { id: "1-0", ts: 1 })
    @client.publish("lobby", text: "x", user: { "id" => "7" })
    assert_equal({ "id" => "7" }, signed_request.json["user"])
  end

  def test_valid_room_names_go_out_as_written
    answer(200, { room: "team-7:general.ops_1", members: [] })
    @client.presence("team-7:general.ops_1")
    assert_equal "/api/v1/rooms/team-7:general.ops_1/presence", signed_request.target
  end

  def test_other_characters_are_escaped_within_one_segment
    answer(400, { error: "bad_request", message: "bad room" })
    assert_raises(Parley::ApiError) { @client.presence("a b/../x?y#é") }
    assert_equal "/api/v1/rooms/a%20b%2F..%2Fx%3Fy%23%C3%A9/presence", signed_request.target
  end

  def test_messages_with_since_and_limit
    answer(200, { room: "lobby", messages: [], complete: true })
    assert_equal({ "room" => "lobby", "messages" => [], "complete" => true }, @client.messages("lobby", since: "1700000000000-3", limit: 5))
    assert_equal "/api/v1/rooms/lobby/messages?since=1700000000000-3&limit=5", signed_request.target
    @client.messages("lobby")
    req = signed_request
    assert_equal ["GET", "/api/v1/rooms/lobby/messages", ""], [req.method, req.target, req.body]
  end

  def test_disconnect_and_revoke
    answer(202, "")
    assert_equal true, @client.disconnect(42, reason: "banned", revoke: true)
    req = signed_request
    assert_equal "/api/v1/users/42/disconnect", req.target
    assert_equal({ "reason" => "banned", "revoke" => true }, req.json)
    @client.disconnect("u 1", reason: "logout")
    req = signed_request
    assert_equal "/api/v1/users/u%201/disconnect", req.target
    assert_equal({ "reason" => "logout" }, req.json)
  end

  def test_stats
    answer(200, { connections: 3, rooms: 2, instances: 1 })
    assert_equal({ "connections" => 3, "rooms" => 2, "instances" => 1 }, @client.stats)
    assert_equal ["GET", "/api/v1/stats"], signed_request.then { |r| [r.method, r.target] }
  end

  def test_dead_letters_and_replay
    answer(200, { messages: [{ id: "1-0", room: "r", text: "x", status: 422, error: "invalid" }] })
    assert_equal 422, @client.dead_letters["messages"].first["status"]
    assert_equal "/api/v1/dead-letters", signed_request.target

    answer(202, { replayed: 2 })
    assert_equal({ "replayed" => 2 }, @client.replay_dead_letters(["1-0", "2-0"]))
    req = signed_request
    assert_equal "/api/v1/dead-letters/replay", req.target
    assert_equal({ "ids" => ["1-0", "2-0"] }, req.json)

    @client.replay_dead_letters
    assert_equal({}, signed_request.json, "no ids: every dead letter goes back")
  end

  def test_an_admin_url_with_a_path_prefixes_every_target
    prefixed = Parley::Client.new(Parley::Config.new(admin_url: "#{@server.url}/parley-admin/", api_secret: API_SECRET))
    answer(200, { connections: 0, rooms: 0, instances: 1 })
    prefixed.stats
    assert_equal "/parley-admin/api/v1/stats", signed_request.target
  end

  def test_api_errors_carry_status_code_and_message
    answer(400, { error: "bad_request", message: "text is required" })
    error = assert_raises(Parley::ApiError) { @client.publish("lobby", text: "") }
    assert_equal 400, error.status
    assert_equal "bad_request", error.code
    assert_match(/text is required/, error.message)

    answer(401, { error: "unauthorized", message: "stale signature" })
    error = assert_raises(Parley::ApiError) { @client.stats }
    assert_equal [401, "unauthorized"], [error.status, error.code]
  end

  def test_non_json_errors_get_an_http_code
    @server.handler = ->(_req) { [502, { "Content-Type" => "text/html" }, "<h1>Bad gateway</h1>"] }
    error = assert_raises(Parley::ApiError) { @client.stats }
    assert_equal [502, "http_502"], [error.status, error.code]
    assert_match(/Bad gateway/, error.message)
    assert_kind_of Parley::Error, error
  end

  def test_an_unreachable_service_is_a_connection_error
    closed = TCPServer.new("127.0.0.1", 0)
    port = closed.addr[1]
    closed.close
    unreachable = Parley::Client.new(Parley::Config.new(admin_url: "http://127.0.0.1:#{port}", api_secret: API_SECRET))
    error = assert_raises(Parley::ConnectionError) { unreachable.stats }
    assert_match(%r{GET /api/v1/stats}, error.message)
  end

  def test_a_silent_service_times_out
    silent = TCPServer.new("127.0.0.1", 0)
    slow = Parley::Client.new(Parley::Config.new(admin_url: "http://127.0.0.1:#{silent.addr[1]}", api_secret: API_SECRET,
                                                 read_timeout: "200ms"))
    error = assert_raises(Parley::ConnectionError) { slow.stats }
    assert_match(/ReadTimeout/, error.message)
  ensure
    silent&.close
  end

  def test_secrets_stay_out_of_errors
    error = assert_raises(Parley::ConnectionError) do
      Parley::Client.new(Parley::Config.new(admin_url: "http://127.0.0.1:1", api_secret: API_SECRET)).stats
    end
    refute_includes error.message, API_SECRET
  end

  def test_needs_a_url_and_a_secret
    assert_match(/PARLEY_ADMIN_URL/, assert_raises(Parley::ConfigError) { Parley::Client.new(Parley::Config.new(api_secret: "x")) }.message)
    assert_match(/PARLEY_API_SECRET/, assert_raises(Parley::ConfigError) { Parley::Client.new(Parley::Config.new(admin_url: "http://a")) }.message)
    assert_match(/http/, assert_raises(Parley::ConfigError) { Parley::Client.new(Parley::Config.new(admin_url: "ftp://a", api_secret: "x")) }.message)
  end

  # A stand-in clock for the signer: the test moves time, and sleeping moves it too.
  class Clock
    attr_reader :now, :slept

    def initialize(now)
      @now = now
      @slept = []
    end

    def sleep(seconds)
      @slept << seconds
      @now += seconds
    end
  end

  def test_identical_calls_never_share_a_signature
    start = Time.now.to_i
    clock = Clock.new(Time.at(start + 0.25))
    signer = Parley::Signer.new(API_SECRET, clock: -> { clock.now }, sleeper: clock.method(:sleep))
    quick = Parley::Client.new(Parley::Config.new(admin_url: @server.url, api_secret: API_SECRET), signer: signer)
    answer(200, { room: "lobby", members: [] })
    quick.presence("lobby")
    quick.presence("lobby")
    first = signed_request.headers["parley-signature"]
    second = signed_request.headers["parley-signature"]
    refute_equal first, second, "Parley refuses a signature it has already accepted"
    assert_equal ["t=#{start}", "t=#{start + 1}"], [first, second].map { |h| h.split(",").first }
    assert_equal [0.75], clock.slept.map { |s| s.round(2) }, "the second call waited for the next second only"
  end

  def test_a_request_refused_as_a_replay_is_signed_again_and_resent
    calls = 0
    @server.handler = lambda do |_req|
      calls += 1
      calls == 1 ? [401, {}, JSON.generate(error: "unauthorized", message: "replayed request")] : [200, {}, JSON.generate(connections: 1, rooms: 1, instances: 1)]
    end
    assert_equal 1, @client.stats["connections"]
    first = signed_request
    second = signed_request
    refute_equal first.headers["parley-signature"], second.headers["parley-signature"]
  end

  def test_other_401s_are_not_retried
    answer(401, { error: "unauthorized", message: "signature mismatch" })
    assert_raises(Parley::ApiError) { @client.stats }
    signed_request
    assert_raises(RuntimeError) { @server.next_request(timeout: 0.3) }
  end

  def test_a_read_or_a_publish_with_ref_is_retried_when_parley_did_not_answer
    slow_once = Parley::Client.new(Parley::Config.new(admin_url: @server.url, api_secret: API_SECRET, read_timeout: "300ms"))
    calls = 0
    @server.handler = lambda do |_req|
      calls += 1
      sleep 1 if calls.odd? # the first attempt of each call gets no answer in time
      [201, {}, JSON.generate(id: "1-0", ts: 1)]
    end
    assert_equal "1-0", slow_once.publish("lobby", text: "shipped", ref: "order-7")["id"]
    first = signed_request(timeout: 3)
    second = signed_request(timeout: 3)
    assert_equal first.body, second.body
    refute_equal first.headers["parley-signature"], second.headers["parley-signature"]

    calls = 0
    assert_raises(Parley::ConnectionError) { slow_once.publish("lobby", text: "no ref") }
    signed_request(timeout: 3)
    assert_raises(RuntimeError, "a publish without ref may have happened: never sent twice") { @server.next_request(timeout: 1.5) }
  end

  def test_retries_can_be_turned_off
    answer(401, { error: "unauthorized", message: "replayed request" })
    assert_raises(Parley::ApiError) { client(retries: 0).stats }
    signed_request
    assert_raises(RuntimeError) { @server.next_request(timeout: 0.3) }
  end

  def test_each_message_pages_on_while_there_is_more
    pages = {
      "/api/v1/rooms/lobby/messages?since=5-0&limit=2" => { messages: [{ id: "6-0" }, { id: "7-0" }], complete: true, more: true },
      "/api/v1/rooms/lobby/messages?since=7-0&limit=2" => { messages: [{ id: "8-0" }], complete: true, more: false }
    }
    @server.handler = ->(req) { [200, {}, JSON.generate(pages.fetch(req.target))] }
    assert_equal %w[6-0 7-0 8-0], @client.each_message("lobby", since: "5-0", page_size: 2).map { |m| m["id"] }
  end

  def test_publish_takes_a_user_model
    answer(201, { id: "1-0", ts: 1 })
    member = Struct.new(:id, :display_name).new(42, "Ada Lovelace")
    @client.publish("lobby", text: "x", user: member)
    assert_equal({ "id" => "42", "name" => "Ada Lovelace" }, signed_request.json["user"])
  end
end
