# frozen_string_literal: true

require "rails/generators"
require "rails/generators/active_record"

module Parley
  module Generators
    # `rails generate parley:install`: everything a Rails app needs to chat through Parley. Every
    # step checks what is already there, so running it twice changes nothing.
    class InstallGenerator < ::Rails::Generators::Base
      include ActiveRecord::Generators::Migration

      source_root File.expand_path("templates", __dir__)
      desc "Adds Parley to this app: initializer, token/history/events endpoints, tables, widget, bin/parley, Procfile.dev"

      ROUTES = <<~RUBY
        # Parley (rails generate parley:install): the widget's token, Parley's signed posts, the chat page.
        post "chat/token", to: "chat_tokens#parley_token", as: :chat_token, defaults: { format: :json }
        post "chat/messages", to: "chat/messages#create", as: :chat_messages
        post "chat/events", to: "chat/events#create", as: :chat_events
        get "chat", to: "chat#show", as: :chat
      RUBY
      PROCFILE = ["web: bin/rails server -p ${RAILS_PORT:-3000}", "chat: bin/parley"].freeze
      WIDGET_RENDER = %(<%= render "parley/widget" %>)
      LAYOUT = "app/views/layouts/application.html.erb"

      def initializer
        copy_file "initializer.rb", "config/initializers/parley.rb"
      end

      def controllers
        copy_file "chat_tokens_controller.rb", "app/controllers/chat_tokens_controller.rb"
        copy_file "messages_controller.rb", "app/controllers/chat/messages_controller.rb"
        copy_file "events_controller.rb", "app/controllers/chat/events_controller.rb"
        copy_file "chat_controller.rb", "app/controllers/chat_controller.rb"
      end

      def models
        copy_file "chat_message.rb", "app/models/chat_message.rb"
        copy_file "chat_presence.rb", "app/models/chat_presence.rb"
        # Once only: the app may have edited or already run it.
        existing = self.class.migration_exists?(File.join(destination_root, "db/migrate"), "create_parley_tables")
        return say_status(:exist, existing.sub("#{destination_root}/", ""), :blue) if existing

        migration_template "create_parley_tables.rb.tt", "db/migrate/create_parley_tables.rb"
      end

      # Routes before anything starts posting to them: Parley dead-letters posts that find no route.
      def routes
        return if File.read(File.join(destination_root, "config/routes.rb")).include?(ROUTES.lines.first.strip)

        route ROUTES
      end

      def views
        copy_file "_widget.html.erb", "app/views/parley/_widget.html.erb"
        copy_file "show.html.erb", "app/views/chat/show.html.erb"
        layout = File.join(destination_root, LAYOUT)
        return unless File.exist?(layout) && !File.read(layout).include?(WIDGET_RENDER)

        inject_into_file LAYOUT, "    #{WIDGET_RENDER}\n", before: %r{^\s*</body>}
      end

      def dev_server
        copy_file "parley", "bin/parley"
        chmod "bin/parley", 0o755
        procfile = File.join(destination_root, "Procfile.dev")
        existing = File.exist?(procfile) ? File.read(procfile) : nil
        missing = PROCFILE.reject { |line| existing.to_s.lines.any? { |l| l.start_with?(line.split(":").first + ":") } }
        return if missing.empty?

        if existing
          append_to_file "Procfile.dev", "#{"\n" unless existing.end_with?("\n") || existing.empty?}#{missing.join("\n")}\n"
        else
          create_file "Procfile.dev", "#{missing.join("\n")}\n"
        end
      end

      def checklist
        say <<~TEXT

          Parley is installed. What is left:
            1. bin/rails db:migrate                  (the chat_messages and chat_presences tables)
            2. Your ApplicationController defines current_user (Devise does): the token endpoint and
               parley_widget use it. Nobody signed in: the widget says "Sign in to chat".
            3. Run Parley beside the app: PARLEY_JAR=/path/to/parley-chat.jar (or PARLEY_HOME=a Parley
               checkout) with a foreman-style runner on Procfile.dev, or bin/parley in a second terminal.
               Development needs no secrets: both sides derive them from secret_key_base.
            4. Open http://localhost:3000/chat in two browsers signed in as two users.
            5. Production: set PARLEY_CHAT_URL, PARLEY_ADMIN_URL, PARLEY_JWT_SECRET, PARLEY_API_SECRET and
               PARLEY_WEBHOOK_SECRETS (or the credentials under parley:), and Parley's side to match.
          The guide: docs/rails.md in the Parley repository.
        TEXT
      end

      private

      # The app's own Rails version, as migrations state it ([6.1], [7.1] ...).
      def migration_version
        "[#{ActiveRecord::VERSION::MAJOR}.#{ActiveRecord::VERSION::MINOR}]"
      end
    end
  end
end
