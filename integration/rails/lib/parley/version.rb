# frozen_string_literal: true

module Parley
  # The gem's version; it follows the wire contract it speaks (protocol v1.1).
  VERSION = "1.1.0"
end
