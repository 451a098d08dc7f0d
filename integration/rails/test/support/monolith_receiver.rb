# frozen_string_literal: true

require "json"
require "uri"
require "parley"
require "rack/mock"
require_relative "inbox"
require_relative "loopback_server"

# The monolith as the live tests play it: an HTTP server on PARLEY_MONOLITH_URL's port that
# receives Parley's history and event posts and checks each with the gem's
# Parley::Rails::WebhookVerification in a real ActionController::API controller. Verified posts get
# 204, others 401; a history batch holding a text the test asked it to refuse gets 422 (the
# monolith refusing a message), which makes Parley dead-letter that message.
class MonolithReceiver
  Post = Struct.new(:kind, :method, :target, :body, :signature, :status, keyword_init: true) do
    def verified?
      status != 401
    end

    def payload
      JSON.parse(body)
    end

    def messages
      kind == :history ? payload.fetch("messages") : []
    end

    def events
      kind == :events ? payload.fetch("events") : []
    end
  end

  # The concern under test, with the secrets of this run.
  class VerifyingController < ActionController::API
    include Parley::Rails::WebhookVerification
    before_action :verify_parley_signature!

    class << self
      attr_accessor :secrets
    end

    def accept
      head :no_content
    end

    private

    def parley_webhook_secrets
      VerifyingController.secrets
    end
  end

  # One receiver per test process, stopped when the run ends.
  def self.shared
    @shared ||= new(ENV.fetch("PARLEY_MONOLITH_URL"), secrets: Parley::Config.from_env.webhook_secrets,
                                                       history_path: ENV.fetch("PARLEY_MONOLITH_HISTORY_PATH", "/chat/messages"),
                                                       events_path: ENV.fetch("PARLEY_MONOLITH_EVENTS_PATH", "/chat/events"))
                  .tap { |receiver| Minitest.after_run { receiver.stop } }
  end

  attr_reader :posts, :url

  def initialize(url, secrets:, history_path:, events_path:)
    uri = URI(url)
    base = uri.path.to_s.chomp("/")
    @paths = { base + history_path => :history, base + events_path => :events }
    @url = "http://127.0.0.1:#{uri.port}"
    @refused = []
    @lock = Mutex.new
    @posts = Inbox.new
    VerifyingController.secrets = secrets
    @server = LoopbackServer.new(port: uri.port, mounts: @paths.keys) { |request| receive(request) }
  end

  # History batches with a message whose text contains `marker` are refused (422) until #accept.
  def refuse(marker)
    @lock.synchronize { @refused << marker }
  end

  def accept(marker)
    @lock.synchronize { @refused.delete(marker) }
  end

  # The first verified history post carrying the message with this id, and that message.
  def history_message(id, timeout: Live::TIMEOUT)
    post = @posts.find(timeout: timeout) { |p| p.verified? && p.status < 300 && p.messages.any? { |m| m["id"] == id } }
    post && [post, post.messages.find { |m| m["id"] == id }]
  end

  # The first verified event post with an event for which the block is true, and that event.
  def event(timeout: Live::TIMEOUT, &predicate)
    post = @posts.find(timeout: timeout) { |p| p.verified? && p.events.any?(&predicate) }
    post && [post, post.events.find(&predicate)]
  end

  # Sends a request to this receiver as if it came from Parley (for tampered copies).
  def deliver(method, target, body, signature)
    Net::HTTP.start("127.0.0.1", URI(@url).port, open_timeout: 5, read_timeout: 5) do |http|
      request = Net::HTTPGenericRequest.new(method, true, true, target, { "Content-Type" => "application/json" })
      request[Parley::Signature::HEADER] = signature if signature
      http.request(request, body).code.to_i
    end
  end

  def stop
    @server.stop
  end

  private

  def receive(request)
    kind = @paths.fetch(request.path, :unknown)
    signature = request.headers["parley-signature"]
    env = Rack::MockRequest.env_for(request.target, method: request.method, input: request.body,
                                    "CONTENT_TYPE" => "application/json")
    env["HTTP_PARLEY_SIGNATURE"] = signature if signature
    status, = VerifyingController.action(:accept).call(env)
    status = 422 if status == 204 && kind == :history && refuses?(request.body)
    @posts << Post.new(kind: kind, method: request.method, target: request.target, body: request.body,
                       signature: signature, status: status)
    [status, { "Content-Type" => "application/json" }, status == 422 ? '{"error":"refused by the test"}' : ""]
  end

  def refuses?(body)
    markers = @lock.synchronize { @refused.dup }
    return false if markers.empty?

    JSON.parse(body).fetch("messages", []).any? { |m| markers.any? { |marker| m["text"].to_s.include?(marker) } }
  rescue JSON::ParserError
    false
  end
end
