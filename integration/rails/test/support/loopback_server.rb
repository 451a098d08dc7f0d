# frozen_string_literal: true

require "json"
require "webrick"
require_relative "inbox"

# A real HTTP server on 127.0.0.1 and a free port, for tests that need the other end of a
# connection. Each request is recorded as received (method, request target as sent, raw body,
# headers) and answered by the handler the test sets.
class LoopbackServer
  Received = Struct.new(:method, :target, :body, :headers, keyword_init: true) do
    def path
      target.split("?", 2).first
    end

    def json
      JSON.parse(body)
    end
  end

  attr_reader :received, :port
  attr_accessor :handler

  # port 0 picks a free port; mounts maps paths to the handler (default: everything).
  def initialize(port: 0, mounts: ["/"], &handler)
    @received = Inbox.new
    @handler = handler || ->(_req) { [200, {}, "{}"] }
    started = Inbox.new
    @server = WEBrick::HTTPServer.new(BindAddress: "127.0.0.1", Port: port, Logger: WEBrick::Log.new(File::NULL),
                                      AccessLog: [], DoNotReverseLookup: true, StartCallback: -> { started << true })
    @port = @server.config[:Port]
    mounts.each { |path| @server.mount_proc(path) { |req, res| serve(req, res) } }
    @thread = Thread.new { @server.start }
    # A shutdown that comes before start would be lost, so return only once the loop runs.
    started.shift(timeout: 10) || raise("the loopback server on port #{@port} did not start")
  end

  def url
    "http://127.0.0.1:#{@port}"
  end

  # The next recorded request, waiting up to `timeout` seconds for it.
  def next_request(timeout: 5)
    @received.shift(timeout: timeout) || raise("no request reached #{url} within #{timeout} s")
  end

  def stop
    @server.shutdown
    @thread.join
  end

  private

  def serve(req, res)
    headers = {}
    req.each { |name, value| headers[name.downcase] = value }
    request = Received.new(method: req.request_method, target: req.unparsed_uri, body: req.body.to_s, headers: headers)
    @received << request
    status, response_headers, body = @handler.call(request)
    res.status = status
    response_headers.each { |name, value| res[name] = value }
    res.body = body.to_s
  end
end
