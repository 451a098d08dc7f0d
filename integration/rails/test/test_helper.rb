# frozen_string_literal: true

# Shared setup for the gem's tests. Run them all with bin/test (see README.md).
$LOAD_PATH.unshift(File.expand_path("../lib", __dir__)) unless $LOAD_PATH.include?(File.expand_path("../lib", __dir__))
$LOAD_PATH.unshift(__dir__) unless $LOAD_PATH.include?(__dir__)

require "minitest/autorun"
require "json"
require "support/rails_app"

module ParleyTestHelpers
  HMAC_SECRET = "0123456789abcdef0123456789abcdef"
  FIXTURES = File.expand_path("fixtures", __dir__)

  def fixture_json(name)
    JSON.parse(File.read(File.join(FIXTURES, name), encoding: "UTF-8"))
  end

  def decode(token, key = HMAC_SECRET, algorithm = "HS256", **options)
    JWT.decode(token, key, true, algorithm: algorithm, **options)
  end

  # Runs one action of a controller through ActionPack (its middleware-free Rack endpoint, as the
  # router calls it) and returns [status, headers, body].
  def dispatch(controller_class, action, method: "POST", target: "/", body: "", headers: {}, session: {})
    env = Rack::MockRequest.env_for(target, method: method, input: body, "CONTENT_TYPE" => "application/json")
    headers.each { |name, value| env["HTTP_#{name.upcase.tr('-', '_')}"] = value }
    env["rack.session"] = session
    status, response_headers, response_body = controller_class.action(action).call(env)
    text = +""
    response_body.each { |part| text << part }
    [status, response_headers, text]
  end

  # What the app logged while the block ran.
  def app_log
    start = RailsApp::LOG.string.length
    yield
    RailsApp::LOG.string[start..]
  end
end
