# frozen_string_literal: true

# config/initializers/parley.rb
#
# The kit copied to vendor/parley (docs/rails.md, step 1). Parley::Config.from_env reads the
# PARLEY_* variables; anything set here overrides them, e.g. secrets kept in Rails credentials.
require Rails.root.join("vendor/parley/parley").to_s

Parley.configure do |c|
  credentials = Rails.application.credentials.parley || {}
  c.jwt_secret = credentials[:jwt_secret] if credentials[:jwt_secret]
  c.api_secret = credentials[:api_secret] if credentials[:api_secret]
  c.webhook_secrets = credentials[:webhook_secrets] if credentials[:webhook_secrets]
end

# Logging out closes the user's sockets and refuses their earlier tokens (docs/rails.md, step 8).
if defined?(Warden::Manager)
  Warden::Manager.before_logout do |user, _auth, _opts|
    Parley.client.disconnect(user.id, reason: "logout", revoke: true) if user
  rescue Parley::Error => e
    Rails.logger.warn("Parley disconnect failed: #{e.message}")
  end
end
