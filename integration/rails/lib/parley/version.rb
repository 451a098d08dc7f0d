# frozen_string_literal: true

module Parley
  VERSION = "0.1.0"
end
