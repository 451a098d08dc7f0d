# frozen_string_literal: true

module Parley
  # Hooks the gem into a Rails app: `parley_widget` in every view, and the generator
  # (`rails generate parley:install`, found by Rails under lib/generators). The configuration
  # itself stays in the app's config/initializers/parley.rb, which the generator writes.
  class Railtie < ::Rails::Railtie
    initializer "parley.view_helper" do
      ActiveSupport.on_load(:action_view) { include Parley::Rails::ViewHelper }
    end
  end
end
