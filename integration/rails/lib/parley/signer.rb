# frozen_string_literal: true

require_relative "signature"

module Parley
  # Signs server API requests so that no two requests from this process carry the same
  # signature. Parley refuses a signature it has already accepted (protocol section 4, replay
  # protection), and a signature covers only the second, the method, the target and the body: two
  # identical calls in the same second (two presence reads, a retry) would look like a replay. When
  # a request would repeat a signature of the current second, the signer waits for the next second.
  # Thread-safe; one per client. The wait happens under the signer's lock, so concurrent callers
  # queue behind it for at most that second.
  class Signer
    def initialize(secret, clock: -> { Time.now }, sleeper: ->(seconds) { sleep(seconds) })
      @secret = secret
      @clock = clock
      @sleeper = sleeper
      @lock = Mutex.new
      @second = nil
      @issued = {}
    end

    # The Parley-Signature header value for this request, never one this signer gave before.
    def sign(method, target, body)
      @lock.synchronize do
        loop do
          now = @clock.call
          forget_before(now.to_i)
          header = Signature.sign(@secret, method, target, body, now)
          unless @issued.key?(header)
            @issued[header] = true
            return header
          end
          @sleeper.call(1 - (now.to_f % 1)) # into the next second, where the timestamp differs
        end
      end
    end

    private

    def forget_before(second)
      return if @second == second

      @second = second
      @issued.clear
    end
  end
end
