# frozen_string_literal: true

# config/initializers/parley.rb
#
# Parley::Config.from_env reads the PARLEY_* variables (see docs/rails.md). Anything set here
# overrides them, e.g. secrets kept in Rails credentials instead of the environment.
require "parley"

Parley.configure do |c|
  credentials = Rails.application.credentials.parley || {}
  c.jwt_secret = credentials[:jwt_secret] if credentials[:jwt_secret]
  c.api_secret = credentials[:api_secret] if credentials[:api_secret]
  c.webhook_secrets = credentials[:webhook_secrets] if credentials[:webhook_secrets]
end
