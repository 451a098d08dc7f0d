# frozen_string_literal: true

# Shared setup for the kit's tests. Run them all with bin/test (see README.md).
$LOAD_PATH.unshift(File.expand_path("../lib", __dir__)) unless $LOAD_PATH.include?(File.expand_path("../lib", __dir__))
$LOAD_PATH.unshift(__dir__) unless $LOAD_PATH.include?(__dir__)

require "minitest/autorun"
require "json"
require "parley"

module ParleyTestHelpers
  HMAC_SECRET = "0123456789abcdef0123456789abcdef"
  FIXTURES = File.expand_path("fixtures", __dir__)

  def fixture_json(name)
    JSON.parse(File.read(File.join(FIXTURES, name), encoding: "UTF-8"))
  end

  def decode(token, key = HMAC_SECRET, algorithm = "HS256", **options)
    JWT.decode(token, key, true, algorithm: algorithm, **options)
  end
end
