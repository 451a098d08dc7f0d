# frozen_string_literal: true

# A thread-safe record of things that arrive (HTTP requests, WebSocket frames) that a test can
# wait on: by order (#shift) or by content (#find). Waiting is bounded by a deadline and wakes on
# arrival, so tests never sleep for a fixed time.
class Inbox
  def initialize
    @items = []
    @taken = 0
    @lock = Mutex.new
    @arrived = ConditionVariable.new
  end

  def <<(item)
    @lock.synchronize do
      @items << item
      @arrived.broadcast
    end
    self
  end

  def all
    @lock.synchronize { @items.dup }
  end

  # The oldest item not yet shifted; nil when none arrives within `timeout` seconds.
  def shift(timeout:)
    wait_until(timeout) do
      item = @items[@taken]
      @taken += 1 if item
      item
    end
  end

  # The first item (ever recorded) for which the block is true; nil after `timeout` seconds.
  def find(timeout:, &predicate)
    wait_until(timeout) { @items.find(&predicate) }
  end

  private

  def wait_until(timeout)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
    @lock.synchronize do
      loop do
        found = yield
        return found if found

        remaining = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
        return nil if remaining <= 0

        @arrived.wait(@lock, remaining)
      end
    end
  end
end
