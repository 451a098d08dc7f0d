# frozen_string_literal: true

module Parley
  # Every error the gem raises is a Parley::Error, so `rescue Parley::Error` covers them all.
  class Error < StandardError; end

  # A setting is missing or unusable. The message names the environment variable to fix.
  class ConfigError < Error; end

  # A Parley-Signature header did not check out. #reason is a short, stable symbol for logs and
  # metrics (:missing, :malformed, :stale, :mismatch); the message says the same in words.
  class SignatureError < Error
    attr_reader :reason

    def initialize(reason, message)
      @reason = reason
      super(message)
    end
  end

  # The server API answered with a non-2xx status. #code is the API's machine-readable error
  # (`bad_request`, `unauthorized`, ...) or `http_<status>` when the body was not the API's JSON.
  class ApiError < Error
    attr_reader :status, :code, :body

    def initialize(status:, code:, message:, body: nil)
      @status = status
      @code = code
      @body = body
      super("#{status} #{code}: #{message}")
    end

    # Parley refused the request because it had already accepted the same signature (protocol
    # section 4): nothing happened, and the request may be signed again and re-sent.
    def replayed?
      status == 401 && message.to_s.match?(/replay/i)
    end
  end

  # The server API could not be reached or did not answer in time. Publishing with a `ref` makes
  # a retry after this error safe: the service de-duplicates on it.
  class ConnectionError < Error; end
end
