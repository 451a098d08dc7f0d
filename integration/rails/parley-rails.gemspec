# frozen_string_literal: true

require_relative "lib/parley/version"

Gem::Specification.new do |spec|
  spec.name = "parley-rails"
  spec.version = Parley::VERSION
  spec.summary = "The Rails side of Parley: tokens, the signed server API, webhook verification, a generator"
  spec.description = "Connects a Rails app to a Parley chat service: mints the widget's tokens, calls Parley's " \
                     "signed server API (Parley.publish and friends), verifies Parley's signed history and presence " \
                     "posts, and installs all of it with `rails generate parley:install`."
  spec.authors = ["The Parley team"]
  spec.license = "Apache-2.0"
  spec.required_ruby_version = ">= 2.7"

  spec.files = Dir.chdir(__dir__) { Dir["lib/**/*", "README.md"].select { |file| File.file?(file) } }
  spec.require_paths = ["lib"]

  spec.add_dependency "jwt", ">= 2.5", "< 4"
  spec.add_dependency "railties", ">= 6.1", "< 8.1"
end
