# frozen_string_literal: true

# Bundler requires a gem by its name: `gem "parley-rails"` loads the whole of Parley.
require_relative "parley"
