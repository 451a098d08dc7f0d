# frozen_string_literal: true

# A real Rails application (ActionPack, ActiveRecord on SQLite, ActionView), booted
# once per test run, into which `rails generate parley:install` is run exactly as an app would run
# it. The tests then drive the generated controllers, models, views and routes through Rails
# itself: what they pass is what a Rails app gets. Needs Debian's ruby-rails and ruby-sqlite3.
require "fileutils"
require "stringio"
require "tmpdir"
require "rails"
require "active_record/railtie"
require "action_controller/railtie"
require "action_view/railtie"
require "rails/generators"
require "parley"
require "parley/test_helpers"

module RailsApp
  ROOT = Dir.mktmpdir("parley-rails-app-")
  LOG = StringIO.new
  # The signed-in users of the app, by id (its own "authentication": session[:user_id]).
  Member = Struct.new(:id, :name)
  USERS = { "42" => Member.new(42, "Ada"), "7" => Member.new(7, "Bob") }.freeze

  module_function

  # An app skeleton as `rails new` leaves it, for the parts the generator touches.
  def write_skeleton
    files = {
      "config/routes.rb" => <<~RUBY,
        Rails.application.routes.draw do
          get "login/:id", to: "sessions#create"
        end
      RUBY
      "app/views/layouts/application.html.erb" => <<~ERB
        <!DOCTYPE html>
        <html>
          <head><title>App</title><%= csrf_meta_tags %></head>
          <body>
            <%= yield %>
          </body>
        </html>
      ERB
    }
    files.each do |path, text|
      FileUtils.mkdir_p(File.dirname(File.join(ROOT, path)))
      File.write(File.join(ROOT, path), text)
    end
  end

  # Runs the generator in the app (quietly) and returns what it printed.
  def generate
    out = StringIO.new
    $stdout, saved = out, $stdout
    Rails.application.load_generators
    Rails::Generators.invoke("parley:install", [], behavior: :invoke, destination_root: ROOT)
    out.string
  ensure
    $stdout = saved
  end

  # Every file of the app with its content, to show that a second generator run changes nothing.
  def snapshot
    Dir.glob("**/*", base: ROOT).sort.select { |f| File.file?(File.join(ROOT, f)) }
       .to_h { |f| [f, [File.binread(File.join(ROOT, f)), File.stat(File.join(ROOT, f)).mode]] }
  end

  def load_generated_code
    migration = Dir[File.join(ROOT, "db/migrate/*_create_parley_tables.rb")].first or raise "no migration generated"
    require migration
    ActiveRecord::Migration.verbose = false
    CreateParleyTables.migrate(:up)
    %w[app/models/chat_message app/models/chat_presence app/controllers/chat_tokens_controller
       app/controllers/chat/messages_controller app/controllers/chat/events_controller
       app/controllers/chat_controller].each { |file| require File.join(ROOT, file) }
    load File.join(ROOT, "config/initializers/parley.rb")
    Rails.application.reload_routes!
  end
end

# A file, not :memory:, so that every connection of the pool sees the same tables.
ENV["DATABASE_URL"] = "sqlite3:#{File.join(RailsApp::ROOT, "app.sqlite3")}"
RailsApp.write_skeleton
Minitest.after_run { FileUtils.remove_entry(RailsApp::ROOT) }

class ParleyTestApp < Rails::Application
  config.root = RailsApp::ROOT
  config.eager_load = false
  config.secret_key_base = "parley-rails-test-secret-key-base-0123456789abcdef"
  config.logger = Logger.new(RailsApp::LOG)
  config.active_support.deprecation = :stderr
  config.hosts.clear
  # Forgery protection is on in a real app; the browser IT (RailsAppIT) proves the widget passes it.
  config.action_controller.allow_forgery_protection = false
end
ParleyTestApp.initialize!

class ApplicationRecord < ActiveRecord::Base
  self.abstract_class = true
end

class ApplicationController < ActionController::Base
  private

  def current_user
    RailsApp::USERS[session[:user_id].to_s]
  end
end

class SessionsController < ApplicationController
  def create
    session[:user_id] = params.require(:id)
    head :no_content
  end
end

RailsApp::GENERATOR_OUTPUT = RailsApp.generate
RailsApp.load_generated_code
