# frozen_string_literal: true

# Parley: the chat service beside this app (written by `rails generate parley:install`).
#
# Settings come from PARLEY_* environment variables (PARLEY_CHAT_URL, PARLEY_ADMIN_URL,
# PARLEY_JWT_SECRET, PARLEY_API_SECRET, PARLEY_WEBHOOK_SECRETS, ...); secrets kept in credentials
# (bin/rails credentials:edit, under `parley:`) win over them. A missing or weak secret raises
# Parley::ConfigError naming it, the first time something needs it.
Parley.configure do |c|
  credentials = Rails.application.credentials.parley || {}
  c.jwt_secret = credentials[:jwt_secret] if credentials[:jwt_secret]
  c.api_secret = credentials[:api_secret] if credentials[:api_secret]
  c.webhook_secrets = credentials[:webhook_secrets] if credentials[:webhook_secrets]

  # Development and test need no setup: bin/parley runs Parley beside `rails server` with the same
  # values, and the secrets are derived from this app's secret_key_base (never written down).
  Parley::DevServer.defaults!(c, Rails.application) if Rails.env.development? || Rails.env.test?
end

# Chat text and who wrote it stay out of the log lines Rails writes for Parley's posts
# ("Parameters: ..."); ids and rooms remain, for finding a message.
Rails.application.config.filter_parameters += %w[messages.text messages.user messages.meta events.user]
